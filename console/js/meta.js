// What the API says about roles, reply limits, the empathy scale and the crisis form's limits (`GET /api/meta`), kept for the
// page's life. Python decides these (shared/models/roles.py, shared/rules/empathy.py, the platforms'
// limits); the console only reads them, so the two can never disagree. Pure: no DOM, no network.

let current = null;

/** Check the document's shape once, so a broken answer fails at sign-in rather than deep in a view. */
export function checkMeta(meta) {
  const problems = [];
  if (!meta || typeof meta !== "object") return ["the answer is not an object"];
  const roles = meta.roles;
  if (!Array.isArray(roles) || !roles.length) problems.push("roles: missing");
  else if (!roles.every((r) => r && typeof r.name === "string" && Array.isArray(r.may))) problems.push("roles: each needs a name and what it may do");
  const probation = meta.probation;
  if (!probation || typeof probation.role !== "string" || !Array.isArray(probation.waived_by)) problems.push("probation: missing");
  if (!meta.reply_limits || typeof meta.reply_limits !== "object") problems.push("reply_limits: missing");
  else if (!Object.values(meta.reply_limits).every((n) => Number.isInteger(n) && n > 0)) problems.push("reply_limits: not positive whole numbers");
  const scale = meta.empathy_scale;
  if (!Array.isArray(scale) || !scale.length) problems.push("empathy_scale: missing");
  else if (!scale.every((g) => g && Number.isInteger(g.grade) && g.label && g.meaning)) problems.push("empathy_scale: each grade needs a number, a label and a meaning");
  const limits = meta.crisis_limits;
  const counts = limits ? [limits.name, limits.keywords, limits.topics, limits.text, limits.next_update, limits.more_info, limits.keyword?.min, limits.keyword?.max] : [];
  if (!limits) problems.push("crisis_limits: missing");
  else if (!counts.every((n) => Number.isInteger(n) && n > 0)) problems.push("crisis_limits: not positive whole numbers");
  return problems;
}

/** Keep the API's meta for the rest of the page's life; a malformed one is refused with its problems. */
export function setMeta(meta) {
  const problems = checkMeta(meta);
  if (problems.length) throw new Error(`Heard's settings from the API are not usable (${problems.join("; ")}).`);
  current = meta;
}

export function hasMeta() {
  return current !== null;
}

export function forgetMeta() {
  current = null;
}

function meta() {
  if (!current) throw new Error("Heard's settings have not been loaded from the API yet.");
  return current;
}

/** Does any of these roles (Cognito groups) grant the ability ("work", "supervise", "review")? */
export function mayDo(groups, ability) {
  const granted = new Set((groups || []).filter(Boolean));
  return meta().roles.some((role) => granted.has(role.name) && role.may.includes(ability));
}

/** Probation (R12): the probation role's replies wait for approval unless a waiving role is held too. */
export function onProbation(groups) {
  const g = groups || [];
  const { role, waived_by: waivedBy } = meta().probation;
  return g.includes(role) && !g.some((x) => waivedBy.includes(x));
}

/** The most characters a reply may have on this platform, or null when it has no limit worth showing. */
export function replyLimitOf(platform) {
  return meta().reply_limits[platform] ?? null;
}

/** The line Heard appends to every reply (R4); "" when the API did not say (an older API). */
export function contactLine() {
  return typeof meta().contact_line === "string" ? meta().contact_line : "";
}

/** The empathy scale reviewers grade on, lowest first: [[grade, label, meaning], …]. */
export function empathyScale() {
  return [...meta().empathy_scale].sort((a, b) => a.grade - b.grade).map((g) => [g.grade, g.label, g.meaning]);
}

/** The crisis requests' limits: {name, keyword: {min, max}, keywords, topics, text, next_update, more_info}. */
export function crisisLimits() {
  return meta().crisis_limits;
}

/** Every role's name, in the API's order (the admin console's role choices). */
export function roleNames() {
  return meta().roles.map((role) => role.name);
}
