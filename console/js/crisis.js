// Pure helpers for crisis mode (no DOM, no network): the holding statement as customers read it, the
// declare/edit form's checks (the API's limits from its meta, so people see every problem before sending), what an
// edit changed, the banner, and spike suggestions. Tested with `node --test` in tests/unit/console.

import { formatDateTime } from "./format.js";
import { crisisLimits } from "./meta.js";


/**
 * What customers receive, before the contact line Heard adds: mirrors HoldingStatement.compose()
 * (shared/models/crisis.py), so the preview is exactly what goes out.
 */
export function composeStatement({ text, next_update: next, more_info: more }) {
  let body = String(text || "").trim();
  if (!body) return "";
  if (!".!?".includes(body.at(-1))) body += ".";
  const when = String(next || "").trim().replace(/\.+$/, "");
  return `${body} Next update: ${when}. More: ${String(more || "").trim()}`;
}

/** Keywords typed one per line or separated by commas: trimmed, inner spaces collapsed, no repeats (any case). */
export function parseKeywords(value) {
  const seen = new Set();
  const out = [];
  for (const raw of String(value || "").split(/[,\n]/)) {
    const keyword = raw.trim().split(/\s+/).filter(Boolean).join(" ");
    if (!keyword || seen.has(keyword.toLowerCase())) continue;
    seen.add(keyword.toLowerCase());
    out.push(keyword);
  }
  return out;
}

/**
 * Every problem with a declare (requireType) or edit form's values, as [{field, message}]; empty when it
 * may be sent. values: {type, name, keywords: string[], topics: string[], text, next_update, more_info}.
 */
export function crisisProblems(values, { requireType = true, knownTypes = null, knownTopics = null } = {}) {
  const limits = crisisLimits(); // the API's own limits (GET /api/meta)
  const problems = [];
  const add = (field, message) => problems.push({ field, message });
  const len = (v) => [...String(v || "").trim()].length;
  if (requireType && !values.type) add("type", "Choose the type of crisis.");
  else if (requireType && knownTypes && !knownTypes.includes(values.type)) add("type", `"${values.type}" is not a configured crisis type.`);
  if (!len(values.name)) add("name", "Give the crisis a name people will recognise.");
  else if (len(values.name) > limits.name) add("name", `The name is too long (at most ${limits.name} characters).`);
  const keywords = values.keywords || [];
  const topics = values.topics || [];
  const short = keywords.filter((k) => len(k) < limits.keyword.min);
  const long = keywords.filter((k) => len(k) > limits.keyword.max);
  if (short.length) add("keywords", `Keywords need at least ${limits.keyword.min} characters: ${short.join(", ")}.`);
  if (long.length) add("keywords", `Keywords may have at most ${limits.keyword.max} characters: ${long.join(", ")}.`);
  if (keywords.length > limits.keywords) add("keywords", `At most ${limits.keywords} keywords (you have ${keywords.length}).`);
  if (topics.length > limits.topics) add("topics", `At most ${limits.topics} topics.`);
  if (knownTopics) {
    const unknown = topics.filter((t) => !knownTopics.includes(t));
    if (unknown.length) add("topics", `Unknown topics: ${unknown.join(", ")}.`);
  }
  if (!keywords.length && !topics.length) add("keywords", "Give at least one keyword or topic, or no post will match the crisis.");
  for (const [field, label] of [
    ["text", "holding statement"],
    ["next_update", "next update"],
    ["more_info", "more information"],
  ]) {
    if (!len(values[field])) add(field, `The ${label} is required.`);
    else if (len(values[field]) > limits[field]) add(field, `The ${label} is too long (at most ${limits[field]} characters).`);
  }
  return problems;
}

/** The body of a declare request from the form's values. */
export function declareBody(values) {
  return {
    type: values.type,
    name: String(values.name).trim(),
    keywords: values.keywords,
    topics: values.topics,
    holding_statement: statementOf(values),
  };
}

function statementOf(values) {
  return {
    text: String(values.text).trim(),
    next_update: String(values.next_update).trim(),
    more_info: String(values.more_info).trim(),
  };
}

const sameList = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The PATCH body for an edit: only what changed (an unchanged statement must not become a new
 * version), or null when nothing did.
 */
export function crisisChanges(crisis, values) {
  const body = {};
  const statement = statementOf(values);
  const old = crisis.holding_statement || {};
  if (statement.text !== old.text || statement.next_update !== old.next_update || statement.more_info !== old.more_info) {
    body.holding_statement = statement;
  }
  if (String(values.name).trim() !== crisis.name) body.name = String(values.name).trim();
  if (!sameList(values.keywords || [], crisis.keywords || [])) body.keywords = values.keywords || [];
  if (!sameList([...(values.topics || [])].sort(), [...(crisis.topics || [])].sort())) body.topics = values.topics || [];
  return Object.keys(body).length ? body : null;
}

/** Active crises, newest first (the API lists active ones first already; this does not rely on it). */
export function activeCrises(items) {
  return (items || [])
    .filter((c) => c && c.status === "active")
    .sort((a, b) => String(b.declared_at).localeCompare(String(a.declared_at)));
}

/** Changes whenever the banner's text would: it is re-drawn (and announced) only then. */
export function bannerKey(crises) {
  return crises.map((c) => `${c.crisis_id}@${c.statement_version}:${c.name}`).join("|");
}

/** "negative posts", "all posts", "posts about billing" for a spike series. */
export function seriesLabel(series, topicNames = {}) {
  const value = String(series || "");
  if (value === "negative") return "negative posts";
  if (value === "all") return "posts";
  if (value.startsWith("topic:")) {
    const id = value.slice("topic:".length);
    return `posts about ${topicNames[id] || id}`;
  }
  return value || "posts";
}

/** One line for a spike: how many, when, and against what usual level. */
export function suggestionText(suggestion, topicNames = {}) {
  const usual = Math.round(Number(suggestion.baseline_mean) || 0);
  const threshold = Math.ceil(Number(suggestion.threshold) || 0);
  return (
    `${suggestion.count} ${seriesLabel(suggestion.series, topicNames)} in the 5 minutes from ${formatDateTime(suggestion.bucket)} ` +
    `(usually about ${usual}; the alert threshold is ${threshold}).`
  );
}

/** Suggestions worth showing at `now`: detected within `hours`, newest first, uncovered ones first. */
export function recentSuggestions(items, now, hours = 24) {
  const since = now - hours * 3_600_000;
  return (items || [])
    .filter((s) => Date.parse(s.detected_at || s.bucket) >= since)
    .sort((a, b) => Number(Boolean(a.covered_by)) - Number(Boolean(b.covered_by)) || String(b.bucket).localeCompare(String(a.bucket)));
}

/**
 * Declare-form values prefilled from a spike: its topic, a suggested type when the API names one
 * (or the only configured type), and a name; the supervisor adds keywords and the statement.
 */
export function suggestionPrefill(suggestion, config = {}) {
  const types = (config.crisis_types || []).map((t) => t.id);
  const topicIds = (config.topics || []).map((t) => t.id);
  const series = String(suggestion.series || "");
  const topic = series.startsWith("topic:") ? series.slice("topic:".length) : null;
  const suggested = (suggestion.suggested_types || []).find((t) => types.includes(t));
  return {
    type: suggested || (types.length === 1 ? types[0] : ""),
    name: `Spike in ${seriesLabel(series)}`.replace("Spike in posts about", "Spike about"),
    keywords: [],
    topics: topic && topicIds.includes(topic) ? [topic] : [],
  };
}

/** Which field an API refusal is about (its message names it), so the error shows beside that field. */
export function fieldOfError(message, fallback = "name") {
  const text = String(message || "").toLowerCase();
  for (const [word, field] of [
    ["topic", "topics"],
    ["keyword", "keywords"],
    ["crisis type", "type"],
    ["next update", "next_update"],
    ["next_update", "next_update"],
    ["more info", "more_info"],
    ["more_info", "more_info"],
    ["statement", "text"],
    ["text", "text"],
    ["name", "name"],
  ]) {
    if (text.includes(word)) return field;
  }
  return fallback;
}

/** The crisis types' names by id, for labels. */
export function typeNames(config = {}) {
  return Object.fromEntries((config.crisis_types || []).map((t) => [t.id, t.name]));
}

/** What a crisis matches, in words: "keywords: a, b; topics: c", or "nothing". */
export function matchesText(crisis) {
  const parts = [];
  if ((crisis.keywords || []).length) parts.push(`keywords: ${crisis.keywords.join(", ")}`);
  if ((crisis.topics || []).length) parts.push(`topics: ${crisis.topics.join(", ")}`);
  return parts.join("; ") || "nothing";
}

/** Names for ids from the configuration (or the id itself while it is not loaded or lacks one). */
export function configNames(config) {
  const named = (list, id) => ((config && config[list]) || []).find((t) => t.id === id)?.name || id;
  return {
    type: (id) => named("crisis_types", id),
    team: (id) => named("teams", id),
    topics: () => Object.fromEntries(((config && config.topics) || []).map((t) => [t.id, t.id])),
  };
}

/** A crisis's history, one line per entry. */
export function historyLine(entry) {
  return `${formatDateTime(entry.at)}: ${entry.action} by ${entry.actor} (statement v${entry.statement_version})${entry.note ? `; ${entry.note}` : ""}`;
}
