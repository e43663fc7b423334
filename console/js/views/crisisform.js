// The fields of a crisis (declare and edit share them): type, name, what matches (keywords, topics) and
// the holding statement, with a live preview of exactly what customers receive.

import { composeStatement, parseKeywords, typeNames } from "../crisis.js";
import { countChars, replyLimit } from "../format.js";
import { fill, h } from "../dom.js";
import { crisisLimits } from "../meta.js";

function field(id, label, control, hint) {
  const error = h("p", { id: `${id}-error`, class: "field-error" });
  control.setAttribute("aria-describedby", [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(" "));
  return {
    el: h("div", { class: "field", dataset: { field: id } }, h("label", { for: id, text: label }), control, hint ? h("p", { id: `${id}-hint`, class: "muted small", text: hint }) : null, error),
    error,
  };
}

/** The type select, with a live line on where matching posts go and who is notified. */
function typeField(prefix, config) {
  const types = config.crisis_types || [];
  const teams = Object.fromEntries((config.teams || []).map((t) => [t.id, t.name]));
  const select = h("select", { id: `${prefix}-type`, name: "type", required: true }, h("option", { value: "", text: "Choose a type…" }), types.map((t) => h("option", { value: t.id, text: t.name })));
  const info = h("p", { id: `${prefix}-type-info`, class: "muted small", "aria-live": "polite" });
  const describe = () => {
    const kind = types.find((t) => t.id === select.value);
    info.textContent = kind ? `Matching posts go to the ${teams[kind.team] || kind.team} team at P1. Point person ${kind.point_person}, backup ${kind.backup}: both are notified.` : "";
  };
  select.addEventListener("change", describe);
  const built = field(`${prefix}-type`, "Type", select);
  built.el.append(info);
  select.setAttribute("aria-describedby", `${prefix}-type-info ${prefix}-type-error`);
  return { el: built.el, select, error: built.error, describe };
}

/** Name and keywords. */
function matchFields(prefix) {
  const limits = crisisLimits();
  const name = h("input", { type: "text", id: `${prefix}-name`, name: "name", required: true, maxlength: String(limits.name), autocomplete: "off" });
  const keywords = h("textarea", { id: `${prefix}-keywords`, name: "keywords", rows: "3" });
  const nameField = field(`${prefix}-name`, "Name", name, "What people will recognise it by, e.g. \"Kettle overheating\".");
  const keywordsField = field(`${prefix}-keywords`, "Keywords", keywords, "One per line or separated by commas. Whole words, any case: \"outage\" does not match \"outages\".");
  return { els: [nameField.el, keywordsField.el], controls: { name, keywords }, errors: { name: nameField.error, keywords: keywordsField.error } };
}

/** A checkbox per configured topic. */
function topicsFieldset(prefix, config) {
  const boxes = (config.topics || []).map((topic) => {
    const box = h("input", { type: "checkbox", id: `${prefix}-topic-${topic.id}`, name: "topics", value: topic.id });
    return { topic, box, el: h("li", { class: "field-check" }, box, h("label", { for: box.id, text: topic.operation && topic.operation !== topic.id ? `${topic.id} (${topic.operation})` : topic.id })) };
  });
  const error = h("p", { id: `${prefix}-topics-error`, class: "field-error" });
  const el = h(
    "fieldset",
    { class: "fieldset", "aria-describedby": `${prefix}-topics-hint ${prefix}-topics-error`, dataset: { field: `${prefix}-topics` } },
    h("legend", { text: "Topics" }),
    h("p", { id: `${prefix}-topics-hint`, class: "muted small", text: "Posts triaged into a ticked topic match too, whatever their words." }),
    boxes.length ? h("ul", { class: "topic-list" }, boxes.map((t) => t.el)) : h("p", { class: "empty", text: "No topics are configured." }),
    error,
  );
  return { el, boxes, error };
}

/** The holding statement's three parts and the preview of what customers receive. */
function statementFieldset(prefix) {
  const limits = crisisLimits();
  const text = h("textarea", { id: `${prefix}-text`, name: "text", rows: "4", required: true, maxlength: String(limits.text) });
  const next = h("input", { type: "text", id: `${prefix}-next`, name: "next_update", required: true, maxlength: String(limits.next_update), placeholder: "by 15:00 UTC", autocomplete: "off" });
  const more = h("input", { type: "text", id: `${prefix}-more`, name: "more_info", required: true, maxlength: String(limits.more_info), placeholder: "https://example.com/status", autocomplete: "off" });
  const textField = field(`${prefix}-text`, "Statement", text, `What you can say now (at most ${limits.text} characters).`);
  const nextField = field(`${prefix}-next`, "Next update", next, "When customers hear more, e.g. \"by 15:00 UTC\".");
  const moreField = field(`${prefix}-more`, "More information", more, "A link or where to look.");
  const preview = h("blockquote", { id: `${prefix}-preview`, class: "statement-preview" });
  const previewCount = h("p", { class: "muted small" });
  const el = h("fieldset", { class: "fieldset" }, h("legend", { text: "Holding statement" }), textField.el, nextField.el, moreField.el, h("p", { class: "preview-label", text: "Customers receive:" }), preview, previewCount);
  function showPreview(composed) {
    preview.textContent = composed || "(the statement appears here as you type)";
    preview.classList.toggle("muted", !composed);
    previewCount.textContent = composed
      ? `${countChars(composed)} characters, plus the contact line Heard adds. On X (${replyLimit("x")} characters) a statement that does not fit is not sent; an agent answers instead.`
      : "";
  }
  return { el, controls: { text, next_update: next, more_info: more }, errors: { text: textField.error, next_update: nextField.error, more_info: moreField.error }, showPreview };
}

/** The problems list above the fields and beside each field; remembers the first one's control. */
function problemsDisplay(errors, controls, topicBoxes) {
  const summary = h("div", { class: "form-error", role: "alert" });
  let firstProblem = null;
  function show(problems) {
    for (const [key, el] of Object.entries(errors)) {
      const mine = problems.filter((p) => p.field === key).map((p) => p.message);
      el.textContent = mine.join(" ");
      const control = key === "topics" ? null : controls[key];
      if (control) control.setAttribute("aria-invalid", String(mine.length > 0));
    }
    fill(summary, problems.length ? [h("p", { text: "Please fix:" }), h("ul", {}, problems.map((p) => h("li", { text: p.message })))] : []);
    const first = problems[0];
    firstProblem = first ? (first.field === "topics" ? topicBoxes[0]?.box : controls[first.field]) || null : null;
  }
  return { summary, show, focusFirst: () => firstProblem && firstProblem.focus() };
}

/**
 * Build the fields under `prefix` (element ids `${prefix}-name`, ...). `withType` adds the type select.
 * Returns {el, read(), set(values), showProblems(problems), focusFirstProblem()}.
 */
export function crisisFields(prefix, config, { withType = true, initial = {} } = {}) {
  const type = withType ? typeField(prefix, config) : null;
  const match = matchFields(prefix);
  const topics = topicsFieldset(prefix, config);
  const statement = statementFieldset(prefix);
  const c = { ...(type ? { type: type.select } : {}), ...match.controls, ...statement.controls };
  const errors = { ...(type ? { type: type.error } : {}), ...match.errors, topics: topics.error, ...statement.errors };
  const problems = problemsDisplay(errors, c, topics.boxes);

  const read = () => ({
    type: type ? type.select.value : undefined,
    name: c.name.value,
    keywords: parseKeywords(c.keywords.value),
    topics: topics.boxes.filter((t) => t.box.checked).map((t) => t.topic.id),
    text: c.text.value,
    next_update: c.next_update.value,
    more_info: c.more_info.value,
  });
  const updatePreview = () => statement.showPreview(composeStatement(read()));
  for (const control of [c.text, c.next_update, c.more_info]) control.addEventListener("input", updatePreview);

  function set(values) {
    if (type && values.type !== undefined) {
      type.select.value = values.type || "";
      type.describe();
    }
    if (values.name !== undefined) c.name.value = values.name;
    if (values.keywords !== undefined) c.keywords.value = (values.keywords || []).join("\n");
    if (values.topics !== undefined) for (const t of topics.boxes) t.box.checked = values.topics.includes(t.topic.id);
    const held = values.holding_statement || values;
    for (const key of ["text", "next_update", "more_info"]) if (held[key] !== undefined) c[key].value = held[key];
    updatePreview();
  }

  set(initial);
  const parts = [type ? type.el : null, ...match.els, topics.el, statement.el];
  return { el: h("div", { class: "crisis-fields" }, problems.summary, parts), read, set, showProblems: problems.show, focusFirstProblem: problems.focusFirst, typeNames: typeNames(config) };
}
