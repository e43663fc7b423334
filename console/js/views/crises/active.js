// The active crises: what each matches, the statement customers receive and its history, with
// "Edit statement" (only what changed is sent) and "End crisis" (with an optional note).

import { api, ApiError } from "../../api.js";
import { composeStatement, crisisChanges, crisisProblems, fieldOfError, historyLine, matchesText } from "../../crisis.js";
import { busy, fill, h, notify } from "../../dom.js";
import { formatDateTime } from "../../format.js";
import { crisisFields } from "../crisisform.js";
import { confirmAction } from "../dialog.js";
import { progressBox } from "./progress.js";

// `page` (from crises.js): {config(), names, editing (ids with an open edit form), load({force})}.

async function endCrisis(crisis, button, page, closingField) {
  const closing = closingField.value.trim();
  const answer = await confirmAction({
    title: `End the crisis "${crisis.name}"?`,
    message: closing
      ? "Every customer of the crisis gets the closing statement once. Matching posts become ordinary cases again. An ended crisis cannot be restarted."
      : "Matching posts become ordinary cases again and no more holding statements are sent. No closing statement is sent. An ended crisis cannot be restarted; declare a new one if needed.",
    confirmLabel: "End crisis",
    danger: true,
    noteLabel: "Note for the record (optional)",
  });
  if (!answer) return;
  await busy(button, async () => {
    button.textContent = "Ending…";
    try {
      await api(`/crises/${encodeURIComponent(crisis.crisis_id)}/end`, { method: "POST", body: { note: answer.note || "", closing_statement: closing } });
      page.editing.delete(crisis.crisis_id);
      notify(`Crisis ended: ${crisis.name}. New posts are ordinary cases again.`, "success");
    } catch (error) {
      notify(error.message, "error");
    }
  });
  await page.load({ force: true });
  document.getElementById("active-title")?.focus();
}

function confirmChanges(crisis, changes, values) {
  const statement = Boolean(changes.holding_statement);
  return confirmAction({
    title: statement ? `Publish statement version ${crisis.statement_version + 1}?` : `Update "${crisis.name}"?`,
    message: statement
      ? "Every customer of this crisis gets the new statement once, through their own channel (paced per platform); those who opted out get nothing."
      : "What matches the crisis changes for posts that arrive from now on.",
    details: statement ? [h("q", { text: composeStatement(values) })] : [],
    confirmLabel: statement ? "Publish statement" : "Save changes",
  });
}

/** PATCH the changes; true when the form is done (saved, or refused with 409 because the crisis moved on). */
async function saveChanges(crisis, changes, fields, page) {
  try {
    const { data } = await api(`/crises/${encodeURIComponent(crisis.crisis_id)}`, { method: "PATCH", body: changes });
    notify(
      changes.holding_statement ? `Holding statement v${data.crisis.statement_version} is live for "${data.crisis.name}".` : `Crisis "${data.crisis.name}" updated.`,
      "success",
    );
    return true;
  } catch (error) {
    const conflict = error instanceof ApiError && error.status === 409;
    fields.showProblems([{ field: fieldOfError(error.message, "text"), message: error.message }]);
    notify(conflict ? `Not saved: ${error.message}` : error.message, "error");
    return conflict;
  }
}

async function submitEdit(crisis, fields, save, page) {
  const config = page.config();
  const values = fields.read();
  const problems = crisisProblems(values, { requireType: false, knownTopics: config ? config.topics.map((t) => t.id) : null });
  fields.showProblems(problems);
  if (problems.length) return fields.focusFirstProblem();
  const changes = crisisChanges(crisis, values);
  if (!changes) return notify("Nothing changed.");
  if (!(await confirmChanges(crisis, changes, values))) return;
  await busy(save, async () => {
    save.textContent = "Saving…";
    if (await saveChanges(crisis, changes, fields, page)) page.editing.delete(crisis.crisis_id);
  });
  if (!page.editing.has(crisis.crisis_id)) {
    await page.load({ force: true });
    document.querySelector(`[data-crisis-id="${CSS.escape(crisis.crisis_id)}"] h3`)?.focus();
  }
}

function editForm(crisis, card, editButton, page) {
  const fields = crisisFields(`edit-${crisis.crisis_id}`, page.config() || {}, { withType: false, initial: crisis });
  const save = h("button", { type: "submit", class: "button button-primary", text: "Save changes" });
  const cancel = h("button", { type: "button", class: "button", text: "Cancel" });
  const form = h("form", { class: "edit-crisis", novalidate: true, "aria-label": `Edit the crisis ${crisis.name}` }, fields.el, h("div", { class: "actions" }, cancel, save));
  cancel.addEventListener("click", () => {
    page.editing.delete(crisis.crisis_id);
    form.remove();
    editButton.setAttribute("aria-expanded", "false");
    editButton.focus();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitEdit(crisis, fields, save, page);
  });
  card.append(form);
  page.editing.add(crisis.crisis_id);
  editButton.setAttribute("aria-expanded", "true");
  document.getElementById(`edit-${crisis.crisis_id}-text`).focus();
}

function detail(term, ...value) {
  return h("div", { class: "detail" }, h("dt", { text: term }), h("dd", {}, ...value));
}

function crisisFacts(crisis, names) {
  return h(
    "dl",
    { class: "details details-compact" },
    detail("Declared", `${formatDateTime(crisis.declared_at)} by ${crisis.declared_by}`),
    detail("Team", names.team(crisis.team)),
    detail("Point person", crisis.point_person, h("div", { class: "muted small", text: `backup ${crisis.backup}` })),
    detail("Matches", matchesText(crisis)),
  );
}

function crisisHistory(crisis) {
  if (!crisis.history.length) return null;
  return h("details", { class: "history" }, h("summary", { text: `History (${crisis.history.length})` }), h("ol", {}, crisis.history.map((e) => h("li", { text: historyLine(e) }))));
}

function crisisCard(crisis, page) {
  const titleId = `crisis-${crisis.crisis_id}-name`;
  const edit = h("button", { type: "button", class: "button", "aria-expanded": "false", text: "Edit statement" });
  const end = h("button", { type: "button", class: "button button-danger", text: "End crisis" });
  const closingId = `closing-${crisis.crisis_id}`;
  const closing = h("textarea", { id: closingId, rows: "2", maxlength: "600", class: "closing" });
  // The visible words stay the accessible name (voice control); the crisis's name describes them.
  edit.setAttribute("aria-describedby", titleId);
  end.setAttribute("aria-describedby", titleId);
  const card = h(
    "article",
    { class: "card crisis-card", dataset: { crisisId: crisis.crisis_id }, "aria-labelledby": titleId },
    h("div", { class: "crisis-card-head" }, h("h3", { id: titleId, tabindex: "-1", text: crisis.name }), h("span", { class: "badge badge-danger", text: page.names().type(crisis.type) })),
    crisisFacts(crisis, page.names()),
    h("p", { class: "preview-label", text: `Customers receive (statement v${crisis.statement_version}, updated ${formatDateTime(crisis.updated_at)}):` }),
    h("blockquote", { class: "statement-preview", text: crisis.statement_text }),
    crisis.status_url
      ? h("p", { class: "status-link" }, "Public status page (linked from every reply): ", h("a", { href: crisis.status_url, target: "_blank", rel: "noopener", text: crisis.status_url }))
      : null,
    crisisHistory(crisis),
    progressBox(crisis),
    h("div", { class: "field" }, h("label", { for: closingId, text: "Closing statement, sent to everyone when you end the crisis (optional)" }), closing),
    h("div", { class: "actions" }, edit, end),
  );
  edit.addEventListener("click", () => {
    if (!page.editing.has(crisis.crisis_id)) editForm(crisis, card, edit, page);
  });
  end.addEventListener("click", () => endCrisis(crisis, end, page, closing));
  return card;
}

export function showActive(box, crises, page) {
  const active = crises.filter((c) => c.status === "active");
  fill(box, active.length ? active.map((c) => crisisCard(c, page)) : h("p", { class: "empty", text: "No crisis is active." }));
}
