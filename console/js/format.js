// Pure helpers (no DOM, no network) shared by the views; tested with `node --test` in tests/unit/console.

import { mayDo, onProbation, replyLimitOf } from "./meta.js";

export const PRIORITY_LABELS = { 1: "P1 urgent", 2: "P2 high", 3: "P3 normal", 4: "P4 low" };

export function priorityLabel(priority) {
  return PRIORITY_LABELS[priority] || `P${priority}`;
}

const PLATFORM_LABELS = {
  facebook: "Facebook",
  messenger: "Messenger",
  instagram: "Instagram",
  whatsapp: "WhatsApp",
  x: "X",
  telegram: "Telegram",
  linkedin: "LinkedIn",
  generic: "Other",
};

export function platformLabel(platform) {
  return PLATFORM_LABELS[platform] || String(platform || "unknown");
}

export function channelLabel(channel) {
  return channel === "direct" ? "private message" : String(channel || "");
}

/** Character limits of the places a reply goes (from the API's meta; only X has one today). */
export function replyLimit(platform) {
  return replyLimitOf(platform);
}

/** Count characters as people see them (code points, so an emoji is one, not two UTF-16 units). */
export function countChars(text) {
  return [...String(text || "")].length;
}

/** "1d 2h", "3h 5m", "4m 10s", "12s": the largest unit and the one below it are enough for a glance. */
export function formatDuration(ms) {
  const total = Math.floor(Math.abs(ms) / 1000);
  const units = [
    ["d", 86400],
    ["h", 3600],
    ["m", 60],
    ["s", 1],
  ];
  const first = units.findIndex(([, size]) => total >= size);
  if (first === -1) return "0s";
  const [unit, size] = units[first];
  const parts = [`${Math.floor(total / size)}${unit}`];
  const next = units[first + 1];
  if (next) {
    const n = Math.floor((total % size) / next[1]);
    if (n > 0) parts.push(`${n}${next[0]}`);
  }
  return parts.join(" ");
}

export function parseTime(value) {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}

/** Format an ISO time for people, in their own time zone. */
export function formatDateTime(value) {
  const t = parseTime(value);
  if (t === null) return "";
  return new Date(t).toLocaleString(undefined, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
}

/**
 * Where a case stands against its response SLA at `now` (ms). `reply_due` is set while a customer
 * message awaits an answer (the first or a later one); `first_response_due` is the first one's clock.
 * kind: "due" (counting down), "breached" (overdue), "met" (answered in time), "late" (answered after
 * its due time), "none" (nothing awaits an answer).
 */
export function slaState(kase, now) {
  if (kase.status === "resolved") return { kind: "none", label: "resolved", breached: false };
  const answered = parseTime(kase.first_response_at);
  const due = parseTime(kase.reply_due) ?? (answered === null ? parseTime(kase.first_response_due) : null);
  if (due !== null) {
    const left = due - now;
    if (left <= 0) return { kind: "breached", label: `overdue by ${formatDuration(-left)}`, breached: true };
    return { kind: "due", label: `due in ${formatDuration(left)}`, breached: false };
  }
  if (answered !== null) {
    const firstDue = parseTime(kase.first_response_due);
    const late = kase.sla_breached || (firstDue !== null && answered > firstDue);
    return { kind: late ? "late" : "met", label: late ? "answered late" : "answered in time", breached: late };
  }
  if (kase.sla_breached) return { kind: "breached", label: "breached", breached: true };
  return { kind: "none", label: "no SLA", breached: false };
}

/** How long the customer has been waiting since their last message (while the case is open). */
export function waitingLabel(kase, now) {
  if (kase.status === "resolved") return "";
  const since = parseTime(kase.last_customer_at) ?? parseTime(kase.opened_at);
  if (since === null) return "";
  return formatDuration(now - since);
}

/** The platform's messaging window (e.g. Messenger/WhatsApp 24 h): can we still reply, and for how long. */
export function replyWindowState(kase, now) {
  const until = parseTime(kase.reply_window_until);
  if (until === null) return null;
  if (until <= now) return { open: false, label: `closed ${formatDuration(now - until)} ago` };
  return { open: true, label: `open for ${formatDuration(until - now)}` };
}

const TIMELINE_LABELS = {
  message_in: "Customer wrote",
  message_edited: "Customer edited a message",
  message_deleted: "Customer deleted a message",
  reply: "Reply",
  agent_echo: "Reply sent outside Heard",
  delivery: "Delivery update",
  triaged: "Triaged",
  routed: "Routed",
  assigned: "Assigned",
  resolved: "Resolved",
  reopened: "Reopened",
  sla_breached: "SLA breached",
  followups_scheduled: "Follow-ups scheduled",
  followup_due: "Follow-up due",
  escalated: "Escalated",
  note: "Internal note",
  tagged: "Tags changed",
  crisis: "Part of a declared crisis",
  handed_over: "Handed over",
  reply_approved: "Reply approved",
  reply_rejected: "Reply sent back with feedback",
  empathy_graded: "Blind empathy review",
  moderated: "Moderated on the platform",
  moved_private: "Moved to a private conversation",
  draft_generated: "Draft written (not sent)",
};

export function timelineLabel(kind) {
  return TIMELINE_LABELS[kind] || String(kind || "event").replaceAll("_", " ");
}

/** Which side of the conversation an entry belongs to: customer, agent, or system. */
export function timelineSide(kind) {
  if (kind === "message_in" || kind === "message_edited" || kind === "message_deleted") return "customer";
  if (kind === "reply" || kind === "agent_echo") return "agent";
  return "system";
}

/** Who sends Heard's automatic replies (crisis holding statements, approved FAQ answers). */
export const BOT = "heard-bot";

/** An entry Heard wrote on its own: a reply by heard-bot, or one marked `automatic` in its data. */
export function isAutomatic(entry) {
  return Boolean(entry && (entry.actor === BOT || (entry.data && entry.data.automatic === true)));
}

/**
 * How the timeline shows an entry: {label, side, variant, badges}. `variant` marks entries that must
 * stand out ("automatic" replies by heard-bot, "crisis" tags, "escalated"); badges are short texts.
 */
export function describeEntry(entry) {
  const data = (entry && entry.data) || {};
  const kind = entry && entry.kind;
  const side = timelineSide(kind);
  if (isAutomatic(entry) && (kind === "reply" || kind === "agent_echo")) {
    const badges = [BOT];
    if (data.statement_version) badges.push(`statement v${data.statement_version}`);
    const label = data.crisis_id ? "Holding statement (automatic reply)" : data.faq_id ? "Approved answer (automatic reply)" : "Automatic reply";
    return { label, side, variant: "automatic", badges };
  }
  if (kind === "resolved" && isAutomatic(entry)) return { label: "Resolved automatically", side, variant: "automatic", badges: [BOT] };
  if (kind === "crisis") return { label: timelineLabel(kind), side, variant: "crisis", badges: data.type ? [data.type] : [] };
  if (kind === "escalated") return { label: timelineLabel(kind), side, variant: "escalated", badges: [] };
  return { label: timelineLabel(kind), side, variant: null, badges: [] };
}

/** A reply's delivery state, wherever the API keeps it in the entry's data. */
export function deliveryState(entry) {
  const data = entry.data || {};
  return data.delivery || data.status || data.state || (entry.kind === "reply" ? "queued" : null);
}

const DELIVERY_LABELS = { awaiting_approval: "awaiting approval", rejected: "not sent (sent back)" };

/** How people read a delivery state: "awaiting approval" rather than the API's "awaiting_approval". */
export function deliveryLabel(state) {
  return DELIVERY_LABELS[state] || String(state || "").replaceAll("_", " ");
}

/** Entries in time order; ties keep the order the API gave. */
export function sortTimeline(entries) {
  return (entries || [])
    .map((entry, index) => ({ entry, index, t: parseTime(entry.at) ?? 0 }))
    .sort((a, b) => a.t - b.t || a.index - b.index)
    .map((x) => x.entry);
}

/**
 * A message fit for people from an API error answer: Heard's {"message"}, or the request validator's
 * {"detail": [{loc, type}]} (422), which names each field that is wrong and how.
 */
export function apiErrorMessage(status, data) {
  if (data && (data.message || data.Message)) return String(data.message || data.Message);
  if (data && Array.isArray(data.detail) && data.detail.length) {
    const problems = data.detail.map((d) => {
      const where = (Array.isArray(d.loc) ? d.loc : []).filter((p) => p !== "body").map(String).join(" ");
      const what = VALIDATION_TYPES[d.type] || String(d.msg || d.type || "invalid").replaceAll("_", " ");
      return where ? `${where.replaceAll("_", " ")}: ${what}` : what;
    });
    return `Please check: ${problems.join("; ")}.`;
  }
  return `The request failed (HTTP ${status}).`;
}

const VALIDATION_TYPES = {
  missing: "required",
  string_too_short: "too short",
  string_too_long: "too long",
  too_short: "too few",
  too_long: "too many",
  string_pattern_mismatch: "not in the expected form",
  extra_forbidden: "not allowed",
  string_type: "must be text",
  bool_type: "must be true or false",
  int_parsing: "must be a whole number",
};

/** Decode a JWT's payload (no verification: the API verifies; the console only reads names). */
export function decodeJwtPayload(token) {
  const part = String(token || "").split(".")[1];
  if (!part) throw new Error("not a JWT");
  const base64 = part.replaceAll("-", "+").replaceAll("_", "/").padEnd(Math.ceil(part.length / 4) * 4, "=");
  const binary = atob(base64);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** A human message for a Cognito InitiateAuth error type (`__type`, sometimes namespaced with '#'). */
export function cognitoErrorMessage(type, message) {
  const name = String(type || "").split("#").pop();
  switch (name) {
    case "NotAuthorizedException":
    case "UserNotFoundException":
      return "Wrong email or password.";
    case "UserNotConfirmedException":
      return "This account is not confirmed yet. Ask an administrator to confirm it.";
    case "PasswordResetRequiredException":
      return "This account needs a password reset. Ask an administrator.";
    case "TooManyRequestsException":
    case "LimitExceededException":
      return "Too many attempts. Wait a minute and try again.";
    case "InvalidParameterException":
      return "Enter both your email and your password.";
    default:
      return message ? `Sign-in failed: ${message}` : "Sign-in failed. Try again.";
  }
}

// Roles (Cognito groups) only shape what is offered; the API enforces them. What each role may do comes
// from the API's meta (console/js/meta.js), never from a copy here.

/** Take, answer and resolve cases (agents, trainees, supervisors, admins); reviewers only read. */
export function canWork(groups) {
  return mayDo(groups, "work");
}

/** Probation (R12): a trainee's replies wait for a supervisor's approval (unless they also supervise). */
export function needsApproval(groups) {
  return onProbation(groups);
}

export function canApprove(groups) {
  return mayDo(groups, "supervise");
}

/** Blind empathy review (R11) is for reviewers, supervisors and admins. */
export function canReview(groups) {
  return mayDo(groups, "review");
}

/** The audit trail: administrators and auditors (auditors may do nothing else). */
export function canAudit(groups) {
  return mayDo(groups, "audit");
}

/** Administrators: brands and connected accounts (issue #16), the admin console (users, configuration forms). */
export function canAdminister(groups) {
  return mayDo(groups, "administer");
}

/** Privacy (find, export and erase a customer's data): administrators only. */
export function canManagePrivacy(groups) {
  return mayDo(groups, "privacy");
}

export function canSeeReports(groups) {
  return mayDo(groups, "supervise");
}

/** Declaring, updating and ending crises, and reading spike suggestions: supervisors and admins. */
export function canManageCrises(groups) {
  return mayDo(groups, "supervise");
}

/** "Empathy (1 = cold, 5 = deeply empathetic)": the ends of the scale ([[grade, label, meaning], …]). */
export function empathyLegend(scale) {
  const [low, lowLabel] = scale[0];
  const [high, highLabel] = scale[scale.length - 1];
  return `Empathy (${low} = ${lowLabel.toLowerCase()}, ${high} = ${highLabel.toLowerCase()})`;
}
