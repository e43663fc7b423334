// Settings (admin console): the configuration in force (GET /api/config) edited through forms — teams with
// languages, skills, business hours with time zone and holidays, capacity; routing rules; the off-hours
// team; the contact line; the triage backend; topics -> operations, crisis types, escalation contacts and
// departments, the escalation reminder interval — and saved as one document (PUT /api/config) with the
// revision it was loaded at. The API validates the whole document; its located problems go next to their
// fields, a refused document changes nothing stored, and one saved by someone else meanwhile is refused
// (409) naming what changed. Parts without a form here (FAQ, surveys...) are kept as they are.

import { api, ApiError } from "../api.js";
import { busy, fill, h, notify } from "../dom.js";
import { showProblems } from "../fielderrors.js";
import { LISTS, listEditor, readLists } from "./settingslists.js";

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

export function splitList(text) {
  return String(text).split(",").map((s) => s.trim()).filter(Boolean);
}

/** "mon 09:00-17:00" lines -> {mon: [{start, end}]}; a line it cannot read is kept for the API to refuse. */
export function parseWeek(text) {
  const week = {};
  for (const line of String(text).split("\n").map((l) => l.trim()).filter(Boolean)) {
    const [day, ...spans] = line.split(/\s+/);
    week[day.toLowerCase()] = spans.join(" ").split(",").map((s) => s.trim()).filter(Boolean).map((span) => {
      const [start, end] = span.split("-").map((t) => t.trim());
      return { start, end };
    });
  }
  return week;
}

export function formatWeek(week) {
  return DAYS.filter((d) => week && week[d]).map((d) => `${d} ${week[d].map((s) => `${s.start.slice(0, 5)}-${s.end.slice(0, 5)}`).join(", ")}`).join("\n");
}

function input(path, label, value, attrs = {}) {
  const id = `cfg-${path.replaceAll(".", "-")}`;
  const el = attrs.tag === "textarea" ? h("textarea", { id, rows: 4 }) : h("input", { id, type: "text", autocomplete: "off", ...attrs });
  el.value = value ?? "";
  el.dataset.path = path;
  return h("div", { class: "field" }, h("label", { for: id, text: label }), el);
}

function select(path, label, value, options) {
  const id = `cfg-${path.replaceAll(".", "-")}`;
  const el = h("select", { id }, options.map(([v, text]) => h("option", { value: v, text })));
  el.value = value ?? "";
  el.dataset.path = path;
  return h("div", { class: "field" }, h("label", { for: id, text: label }), el);
}

function teamFields(team, n) {
  const p = `teams.${n}`;
  const calendar = team.calendar || {};
  return h(
    "fieldset",
    { class: "config-team", dataset: { team: team.id } },
    h("legend", { text: `Team ${team.name} (${team.id})` }),
    input(`${p}.name`, "Name", team.name),
    input(`${p}.languages`, "Languages (comma-separated codes: es, en)", (team.languages || []).join(", ")),
    input(`${p}.skills`, "Skills (comma-separated)", (team.skills || []).join(", ")),
    input(`${p}.agent_capacity`, "Capacity (open cases per agent)", team.agent_capacity, { type: "number", min: 1, max: 500 }),
    input(`${p}.calendar.timezone`, "Time zone", calendar.timezone || "UTC"),
    input(`${p}.calendar.week`, "Business hours (one line per day: mon 09:00-17:00; empty = always open)", formatWeek(calendar.week), { tag: "textarea" }),
    input(`${p}.calendar.holidays`, "Holidays (comma-separated dates, YYYY-MM-DD)", (calendar.holidays || []).join(", ")),
  );
}

function ruleFields(rule, n, teamOptions, onRemove) {
  const p = `rules.${n}`;
  const remove = h("button", { type: "button", class: "button button-small", text: "Remove rule" });
  remove.addEventListener("click", onRemove);
  return h(
    "fieldset",
    { class: "config-rule", dataset: { rule: String(n) } },
    h("legend", { text: `Rule ${n + 1}` }),
    input(`${p}.name`, "Name", rule.name),
    select(`${p}.team`, "Send to team", rule.team, teamOptions),
    input(`${p}.categories`, "Categories (comma-separated)", (rule.categories || []).join(", ")),
    input(`${p}.topics`, "Topics (comma-separated)", (rule.topics || []).join(", ")),
    input(`${p}.languages`, "Languages (comma-separated)", (rule.languages || []).join(", ")),
    input(`${p}.platforms`, "Platforms (comma-separated)", (rule.platforms || []).join(", ")),
    input(`${p}.required_skills`, "Required skills (comma-separated)", (rule.required_skills || []).join(", ")),
    remove,
  );
}

const value = (form, path) => form.querySelector(`[data-path="${path}"]`).value;

function readTeam(form, team, n) {
  const p = `teams.${n}`;
  const capacity = value(form, `${p}.agent_capacity`);
  return {
    ...team,
    name: value(form, `${p}.name`),
    languages: splitList(value(form, `${p}.languages`)).map((l) => l.toLowerCase()),
    skills: splitList(value(form, `${p}.skills`)),
    agent_capacity: /^\d+$/.test(capacity) ? Number(capacity) : capacity,
    calendar: {
      ...(team.calendar || {}),
      timezone: value(form, `${p}.calendar.timezone`).trim(),
      week: parseWeek(value(form, `${p}.calendar.week`)),
      holidays: splitList(value(form, `${p}.calendar.holidays`)),
    },
  };
}

function readRule(form, rule, n) {
  const p = `rules.${n}`;
  const list = (name) => splitList(value(form, `${p}.${name}`));
  return { ...rule, name: value(form, `${p}.name`), team: value(form, `${p}.team`), categories: list("categories"), topics: list("topics"), languages: list("languages"), platforms: list("platforms"), required_skills: list("required_skills") };
}

/**
 * The whole document to save: the one loaded (with its revision), with what the forms say in place of
 * their parts. The forms' teams are matched by id: a team's members are never the form's to change.
 */
export function readDocument(form, loaded, rules, lists) {
  const offHours = value(form, "off_hours_team");
  const minutes = value(form, "escalation_reminder_minutes");
  return {
    ...loaded,
    ...readLists(form, lists),
    escalation_reminder_minutes: /^\d+$/.test(minutes) ? Number(minutes) : minutes,
    teams: loaded.teams.map((t, n) => readTeam(form, t, n)),
    rules: rules.map((r, n) => readRule(form, r, n)),
    off_hours_team: offHours || null,
    contact_line: value(form, "contact_line"),
    triage_backend: value(form, "triage_backend"),
  };
}

// The parts of the document these forms edit (a team's members are the Users and Teams pages').
const FORM_PARTS = ["rules", "off_hours_team", "contact_line", "triage_backend", "escalation_reminder_minutes", ...LISTS.map((l) => l.key)];
const withoutMembers = (teams) => JSON.stringify((teams || []).map(({ members, ...team }) => team));

/** The form's parts that someone else changed between `loaded` and `stored` (empty: no real conflict). */
export function changedParts(loaded, stored) {
  const changed = FORM_PARTS.filter((part) => JSON.stringify(loaded[part] ?? null) !== JSON.stringify(stored[part] ?? null));
  return withoutMembers(loaded.teams) === withoutMembers(stored.teams) ? changed : ["teams", ...changed];
}

/** The edited document moved onto the stored one: its parts, the stored teams' members and revision. */
export function rebase(edited, stored) {
  const members = Object.fromEntries(stored.teams.map((t) => [t.id, t.members]));
  return {
    ...stored,
    ...Object.fromEntries(FORM_PARTS.map((part) => [part, edited[part]])),
    teams: edited.teams.map((t) => ({ ...t, members: members[t.id] ?? t.members })),
    revision: stored.revision,
  };
}

/**
 * PUT the document as loaded (with its revision) and edited; the saved configuration, or null when
 * refused. If someone saved meanwhile (409) and changed none of the parts these forms edit (e.g. a person
 * invited on this page), the edits are saved over the stored document; otherwise the conflict is shown.
 */
async function putSettings(edited, loaded) {
  try {
    return (await api("/config", { method: "PUT", body: edited })).data.config;
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 409)) throw error;
    const stored = (await api("/config")).data.config;
    const changed = changedParts(loaded, stored);
    if (changed.length) throw new ApiError(409, `Someone else saved ${changed.join(", ")} since you opened this page: reload it and redo your change.`);
    return (await api("/config", { method: "PUT", body: rebase(edited, stored) })).data.config;
  }
}

function saveSettings(form, save, general, loaded, rules, lists) {
  return busy(save, async () => {
    try {
      const saved = await putSettings(readDocument(form, loaded, rules, lists), loaded);
      notify("Settings saved.", "success");
      return saved;
    } catch (error) {
      showProblems(form, error.detail && error.detail.length ? error.detail : [{ loc: [], type: "value_error", msg: error.message }], general);
      notify(error.message, "error");
      return null;
    }
  });
}

function generalFields(loaded, teamOptions) {
  return [
    h("h3", { text: "General" }),
    select("off_hours_team", "Off-hours team", loaded.off_hours_team || "", [["", "none"], ...teamOptions]),
    input("contact_line", "Contact line (on every official reply)", loaded.contact_line),
    select("triage_backend", "Triage backend", loaded.triage_backend, [["builtin", "built-in classifier"], ["model", "learned model"], ["comprehend", "Amazon Comprehend"]]),
    input("escalation_reminder_minutes", "Remind an unanswered urgent escalation after (minutes; the backup after as long again)", loaded.escalation_reminder_minutes, { type: "number", min: 5, max: 1440 }),
  ];
}

/** The Settings section: forms over the configuration in force. */
export function mountSettings(box) {
  let loaded = null;
  let rules = [];
  let lists = {};
  const load = (config) => {
    loaded = config;
    rules = [...loaded.rules];
    lists = Object.fromEntries(LISTS.map((l) => [l.key, [...(loaded[l.key] || [])]]));
  };

  function render() {
    const teamOptions = loaded.teams.map((t) => [t.id, `${t.name} (${t.id})`]);
    const rulesBox = h("div", { class: "config-rules" });
    const save = h("button", { type: "submit", class: "button button-primary", text: "Save settings" });
    const general = h("p", { class: "form-error", role: "alert", id: "settings-general-error" });
    const addRule = h("button", { type: "button", class: "button", text: "Add a rule" });
    const form = h(
      "form",
      { id: "settings-form", novalidate: "" },
      generalFields(loaded, teamOptions),
      h("h3", { text: "Teams" }),
      loaded.teams.map((t, n) => teamFields(t, n)),
      h("h3", { text: "Routing rules (the first that matches wins)" }),
      rulesBox,
      addRule,
    );
    for (const list of LISTS) form.append(...listEditor(list, lists, form, teamOptions));
    form.append(general, save);
    const drawRules = () => {
      rules = rules.map((r, n) => (form.querySelector(`[data-path="rules.${n}.name"]`) ? readRule(form, r, n) : r));
      fill(rulesBox, rules.map((r, n) => ruleFields(r, n, teamOptions, () => { rules = rules.filter((_, i) => i !== n); fill(rulesBox); drawRules(); })));
    };
    addRule.addEventListener("click", () => {
      rules = rules.map((r, n) => readRule(form, r, n));
      rules.push({ name: "", team: loaded.default_team });
      fill(rulesBox);
      drawRules();
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      saveSettings(form, save, general, loaded, rules, lists).then((saved) => {
        if (!saved) return;
        load(saved);
        render();
      });
    });
    fill(box, h("h2", { text: "Settings" }), form);
    drawRules();
  }

  return api("/config").then(({ data }) => {
    load(data.config);
    render();
  });
}
