// Crisis mode, escalation and availability helpers (console/js/crisis.js, escalation.js) and the
// timeline's treatment of automatic replies (format.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import "./with-meta.mjs";

import {
  activeCrises,
  bannerKey,
  composeStatement,
  crisisChanges,
  crisisProblems,
  declareBody,
  fieldOfError,
  parseKeywords,
  recentSuggestions,
  seriesLabel,
  suggestionPrefill,
  suggestionText,
} from "../../../console/js/crisis.js";
import {
  availabilityLabel,
  availabilityMessage,
  checkBackup,
  contactFit,
  escalationRequest,
  mailHref,
  rankContacts,
  telHref,
  urgencyLabel,
} from "../../../console/js/escalation.js";
import { apiErrorMessage, canManageCrises, describeEntry, isAutomatic, timelineLabel } from "../../../console/js/format.js";
import { parseRoute } from "../../../console/js/route.js";

const NOW = Date.parse("2026-03-02T10:00:00Z");
const CONFIG = {
  crisis_types: [
    { id: "safety", name: "Product safety", team: "pr", point_person: "s@h.local", backup: "a@h.local" },
    { id: "outage", name: "Service outage", team: "pr", point_person: "s@h.local", backup: "a@h.local" },
  ],
  topics: [{ id: "billing", operation: "finance" }, { id: "product", operation: "product-quality" }],
};
const VALID = {
  type: "safety",
  name: "Kettle overheating",
  keywords: ["overheat"],
  topics: [],
  text: "We know some kettles overheat",
  next_update: "by 15:00 UTC",
  more_info: "https://example.com/k2",
};
const CRISIS = {
  crisis_id: "k1",
  name: "Kettle overheating",
  status: "active",
  keywords: ["overheat"],
  topics: ["product"],
  holding_statement: { text: "We know", next_update: "by 15:00 UTC", more_info: "https://example.com" },
  statement_version: 1,
  declared_at: "2026-03-02T09:00:00Z",
};

// ---- the holding statement ----------------------------------------------------------------------------

test("the preview is exactly what HoldingStatement.compose() sends", () => {
  // Given a statement without a final full stop and a next update with one
  const text = composeStatement({ text: "  We know some K2 kettles overheat ", next_update: "by 15:00 UTC.", more_info: " https://example.com/k2 " });
  // Then the same sentence the API composes: a full stop added, the update's own stop dropped, trimmed
  assert.equal(text, "We know some K2 kettles overheat. Next update: by 15:00 UTC. More: https://example.com/k2");
  // And a statement ending in ! or ? keeps its own punctuation; an empty one previews nothing
  assert.match(composeStatement({ text: "Sorry!", next_update: "soon", more_info: "x" }), /^Sorry! Next update: soon\. More: x$/);
  assert.equal(composeStatement({ text: "  ", next_update: "x", more_info: "y" }), "");
});

test("keywords typed one per line or with commas are cleaned and deduplicated in any case", () => {
  assert.deepEqual(parseKeywords("overheat,  Smoking   kettle\nOVERHEAT\n\n, ,k2 fire"), ["overheat", "Smoking kettle", "k2 fire"]);
  assert.deepEqual(parseKeywords(""), []);
});

// ---- the declare and edit forms -------------------------------------------------------------------------

test("a complete declare form has no problems and becomes the API's request", () => {
  assert.deepEqual(crisisProblems(VALID, { knownTypes: ["safety"], knownTopics: ["billing"] }), []);
  assert.deepEqual(declareBody({ ...VALID, name: "  Kettle  " }), {
    type: "safety",
    name: "Kettle",
    keywords: ["overheat"],
    topics: [],
    holding_statement: { text: "We know some kettles overheat", next_update: "by 15:00 UTC", more_info: "https://example.com/k2" },
  });
});

test("an empty declare form lists every problem at once, by field", () => {
  // Given nothing filled in, When checked, Then each missing piece is named beside its field
  const problems = crisisProblems({ type: "", name: " ", keywords: [], topics: [], text: "", next_update: "", more_info: "" });
  assert.deepEqual(
    problems.map((p) => p.field),
    ["type", "name", "keywords", "text", "next_update", "more_info"],
  );
  assert.match(problems.find((p) => p.field === "keywords").message, /at least one keyword or topic/);
});

test("the API's limits are checked before sending", () => {
  const long = (n) => "x".repeat(n);
  const problems = crisisProblems(
    { ...VALID, type: "volcano", name: long(121), keywords: ["a", long(61)], topics: ["weather"], text: long(601), next_update: long(81), more_info: long(201) },
    { knownTypes: ["safety"], knownTopics: ["billing"] },
  );
  const messages = problems.map((p) => p.message).join(" | ");
  assert.match(messages, /"volcano" is not a configured crisis type/);
  assert.match(messages, /name is too long/);
  assert.match(messages, /at least 2 characters: a\b/);
  assert.match(messages, /at most 60 characters/);
  assert.match(messages, /Unknown topics: weather/);
  assert.match(messages, /holding statement is too long/);
  assert.match(messages, /next update is too long/);
  assert.match(messages, /more information is too long/);
  // And topics alone are enough to match; an edit needs no type
  assert.deepEqual(crisisProblems({ ...VALID, type: undefined, keywords: [], topics: ["billing"] }, { requireType: false }), []);
});

test("an edit sends only what changed, so an untouched statement stays the same version", () => {
  const same = { name: CRISIS.name, keywords: ["overheat"], topics: ["product"], ...CRISIS.holding_statement };
  // Given nothing changed, Then there is nothing to send
  assert.equal(crisisChanges(CRISIS, same), null);
  // Given only the keywords changed, Then only they are sent (topics in another order are not a change)
  assert.deepEqual(crisisChanges({ ...CRISIS, topics: ["product", "billing"] }, { ...same, topics: ["billing", "product"], keywords: ["overheat", "smoke"] }), {
    keywords: ["overheat", "smoke"],
  });
  // Given a new statement text, Then the whole statement is sent (the API makes it version 2)
  assert.deepEqual(crisisChanges(CRISIS, { ...same, text: "We now know more " }), {
    holding_statement: { text: "We now know more", next_update: "by 15:00 UTC", more_info: "https://example.com" },
  });
});

test("an API refusal is shown beside the field it names", () => {
  assert.equal(fieldOfError("unknown topic(s) ['weather']; configured: [...]"), "topics");
  assert.equal(fieldOfError("unknown crisis type 'volcano'; configured: [...]"), "type");
  assert.equal(fieldOfError("a crisis needs at least one keyword or topic to match posts"), "topics");
  assert.equal(fieldOfError("crisis k1 has ended; declare a new one", "text"), "text");
});

// ---- the banner -------------------------------------------------------------------------------------------

test("the banner shows active crises only, newest first, and changes only when its text would", () => {
  const older = { ...CRISIS, crisis_id: "k0", declared_at: "2026-03-01T09:00:00Z" };
  const ended = { ...CRISIS, crisis_id: "k9", status: "ended", declared_at: "2026-03-02T09:30:00Z" };
  const shown = activeCrises([older, ended, CRISIS]);
  assert.deepEqual(shown.map((c) => c.crisis_id), ["k1", "k0"]);
  // A new statement version changes the key (the live region announces it); a refetch of the same does not
  assert.equal(bannerKey(shown), bannerKey(activeCrises([CRISIS, older])));
  assert.notEqual(bannerKey(shown), bannerKey(activeCrises([{ ...CRISIS, statement_version: 2 }, older])));
  assert.equal(bannerKey(activeCrises([ended])), "");
});

// ---- spike suggestions -------------------------------------------------------------------------------------

const spike = (fields) => ({
  suggestion_id: "s1",
  series: "topic:billing",
  bucket: "2026-03-02T09:50:00Z",
  count: 42,
  baseline_mean: 3.4,
  baseline_sd: 1.2,
  threshold: 20,
  detected_at: "2026-03-02T09:55:10Z",
  notified: ["s@h.local"],
  covered_by: null,
  ...fields,
});

test("a spike reads as how many posts of what, against the usual level", () => {
  assert.equal(seriesLabel("negative"), "negative posts");
  assert.equal(seriesLabel("all"), "posts");
  assert.equal(seriesLabel("topic:billing", { billing: "Billing" }), "posts about Billing");
  const text = suggestionText(spike(), {});
  assert.match(text, /^42 posts about billing in the 5 minutes from /);
  assert.match(text, /usually about 3; the alert threshold is 20\)\.$/);
});

test("recent uncovered spikes come first; day-old ones are not shown", () => {
  const items = [
    spike({ suggestion_id: "covered", covered_by: "k1", bucket: "2026-03-02T09:55:00Z" }),
    spike({ suggestion_id: "old", detected_at: "2026-02-28T09:00:00Z" }),
    spike({ suggestion_id: "open-early", bucket: "2026-03-02T08:00:00Z", detected_at: "2026-03-02T08:05:00Z" }),
    spike({ suggestion_id: "open-late" }),
  ];
  assert.deepEqual(recentSuggestions(items, NOW).map((s) => s.suggestion_id), ["open-late", "open-early", "covered"]);
});

test("declaring from a spike prefills its topic and a suggested type", () => {
  // Given a topic spike with no suggested type, Then its topic is ticked and the type is left to choose
  assert.deepEqual(suggestionPrefill(spike(), CONFIG), { type: "", name: "Spike about billing", keywords: [], topics: ["billing"] });
  // Given the API names a configured type, Then it is chosen; an unknown topic is not ticked
  const prefill = suggestionPrefill(spike({ series: "topic:weather", suggested_types: ["nope", "outage"] }), CONFIG);
  assert.equal(prefill.type, "outage");
  assert.deepEqual(prefill.topics, []);
  // Given a negativity spike and a single configured type, Then that type is chosen
  assert.equal(suggestionPrefill(spike({ series: "negative" }), { crisis_types: [CONFIG.crisis_types[0]] }).type, "safety");
  assert.equal(suggestionPrefill(spike({ series: "negative" }), CONFIG).name, "Spike in negative posts");
});

// ---- escalation ----------------------------------------------------------------------------------------------

const CONTACTS = [
  { id: "billing-lead", name: "Lee Chen", title: "Billing lead", question_types: ["double charge", "chargeback"], urgency: "normal", phone: "+1 555 0103", email: "lee@example.com" },
  { id: "cs-manager", name: "Dana Reyes", title: "CS manager", question_types: ["repeat complaint"], urgency: "high", phone: "+1 555 0101", email: "dana@example.com" },
  { id: "pr-lead", name: "Sam Okafor", title: "Head of PR", question_types: ["press", "crisis"], urgency: "critical", phone: "+1 (555) 0102", email: "sam@example.com" },
];

test("contacts that fit the case come first, then the most urgent", () => {
  // Given a crisis case, Then the contact for crises is first, and the rest by urgency
  const crisisCase = { crisis: "safety", topic: "product", category: "question" };
  assert.deepEqual(rankContacts(CONTACTS, crisisCase).map((r) => [r.contact.id, r.fit]), [
    ["pr-lead", "crisis"],
    ["cs-manager", null],
    ["billing-lead", null],
  ]);
  // Given a complaint, Then the contact for repeat complaints fits
  assert.equal(contactFit(CONTACTS[1], { crisis: null, topic: "delivery", category: "complaint" }), "repeat complaint");
  assert.equal(urgencyLabel("critical"), "Critical");
});

test("phone and email links are only ever tel: and mailto: addresses", () => {
  assert.equal(telHref("+1 (555) 0102"), "tel:+15550102");
  assert.equal(telHref("call me"), null);
  assert.equal(mailHref("sam@example.com"), "mailto:sam@example.com");
  assert.equal(mailHref("javascript:alert(1)"), null);
});

test("an escalation needs a target and a reason", () => {
  assert.deepEqual(escalationRequest({ target: "contact", contact: "pr-lead", reason: "  press call " }), {
    problems: [],
    body: { contact: "pr-lead", reason: "press call" },
  });
  assert.deepEqual(escalationRequest({ target: "team", team: "pr", contact: "pr-lead", reason: "crisis" }).body, { team: "pr", reason: "crisis" });
  assert.deepEqual(escalationRequest({ target: "contact", contact: "billing-lead", reason: "refund?", urgent: true }).body, { contact: "billing-lead", reason: "refund?", urgent: true });
  const missing = escalationRequest({ target: "contact", contact: null, reason: " " });
  assert.equal(missing.body, null);
  assert.deepEqual(missing.problems.map((p) => p.field), ["contact", "reason"]);
  assert.deepEqual(escalationRequest({ target: "team", team: "", reason: "x".repeat(1001) }).problems.map((p) => p.field), ["team", "reason"]);
});

// ---- availability ----------------------------------------------------------------------------------------------

test("the backup is optional, must be an email and not yourself", () => {
  assert.deepEqual(checkBackup("  ", "me@h.local"), { backup: null, problem: null });
  assert.deepEqual(checkBackup(" Trainee@Heard.Local ", "me@h.local"), { backup: "trainee@heard.local", problem: null });
  assert.match(checkBackup("trainee", "me@h.local").problem, /email address/);
  assert.match(checkBackup("ME@h.local", "me@h.local").problem, /your own backup/);
});

test("the header says whether you are away and where your customers go", () => {
  assert.equal(availabilityLabel({ away: false, backup: "x@h.local" }), "Available");
  assert.equal(availabilityLabel({ away: true, backup: null }), "Away");
  assert.equal(availabilityLabel({ away: true, backup: "x@h.local" }), "Away · backup x@h.local");
  assert.match(availabilityMessage({ away: true, backup: null }), /back to the team's queue/);
  assert.match(availabilityMessage({ away: true, backup: "x@h.local" }), /go to x@h\.local/);
  assert.match(availabilityMessage({ away: false }), /reach you again/);
});

// ---- timeline, errors, roles, routes ------------------------------------------------------------------------------

test("heard-bot's holding statement stands out from an agent's reply", () => {
  // Given the automatic reply intake writes for a crisis match
  const bot = { kind: "reply", actor: "heard-bot", data: { automatic: true, crisis_id: "k1", statement_version: 2, delivery: "sent" } };
  assert.equal(isAutomatic(bot), true);
  assert.deepEqual(describeEntry(bot), {
    label: "Holding statement (automatic reply)",
    side: "agent",
    variant: "automatic",
    badges: ["heard-bot", "statement v2"],
  });
  // And an approved FAQ answer and its automatic resolution are automatic too
  assert.equal(describeEntry({ kind: "reply", actor: "heard-bot", data: { automatic: true, faq_id: "hours" } }).label, "Approved answer (automatic reply)");
  assert.equal(describeEntry({ kind: "resolved", actor: "heard-bot", data: { automatic: true } }).label, "Resolved automatically");
  // But an agent's reply is not
  assert.deepEqual(describeEntry({ kind: "reply", actor: "agent@h.local", data: {} }), { label: "Reply", side: "agent", variant: null, badges: [] });
});

test("crisis tags and escalations are marked on the timeline", () => {
  assert.deepEqual(describeEntry({ kind: "crisis", actor: "system", data: { crisis_id: "k1", type: "safety" } }), {
    label: "Part of a declared crisis",
    side: "system",
    variant: "crisis",
    badges: ["safety"],
  });
  assert.equal(describeEntry({ kind: "escalated", actor: "a@h.local", data: {} }).variant, "escalated");
  assert.equal(timelineLabel("handed_over"), "Handed over");
});

test("error answers become sentences", () => {
  assert.equal(apiErrorMessage(409, { message: "crisis k1 has ended" }), "crisis k1 has ended");
  assert.equal(apiErrorMessage(422, { detail: [{ loc: ["body", "holding_statement", "more_info"], type: "missing" }] }), "Please check: holding statement more info: required.");
  assert.equal(apiErrorMessage(422, { detail: [{ loc: ["body", "zz"], type: "extra_forbidden" }] }), "Please check: zz: not allowed.");
  assert.equal(apiErrorMessage(500, null), "The request failed (HTTP 500).");
});

test("crises are managed by supervisors and admins, at #/crises", () => {
  assert.equal(canManageCrises(["agent", "trainee", "reviewer"]), false);
  assert.equal(canManageCrises(["supervisor"]), true);
  assert.equal(canManageCrises(["admin"]), true);
  assert.equal(parseRoute("#/crises").name, "crises");
});
