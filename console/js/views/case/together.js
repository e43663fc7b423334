// Working together on a case: internal notes that @mention colleagues (they are notified), the case's
// tags, handing the case to a named colleague, and releasing it back to its team's queue.

import { api } from "../../api.js";
import { busy, h, notify } from "../../dom.js";

const MENTION_HINT = "Internal: the customer never sees it. Mention a colleague with @ and their email (@sam@example.com) to notify them.";

/** "refund, late parcel" → ["refund", "late parcel"] (the API normalises case and spacing). */
export function parseTags(text) {
  return String(text || "")
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
}

function field(id, label, control, hint) {
  return h("div", { class: "field" }, h("label", { for: id, text: label }), hint ? h("p", { class: "hint", id: `${id}-hint`, text: hint }) : null, control);
}

function controls() {
  const noteText = h("textarea", { id: "note-text", rows: "3", maxlength: "4000", "aria-describedby": "note-text-hint" });
  const addNote = h("button", { type: "submit", class: "button", text: "Add note" });
  const noteForm = h("form", { id: "note-form", novalidate: true }, field("note-text", "Internal note", noteText, MENTION_HINT), h("div", { class: "actions" }, addNote));
  const tagsInput = h("input", { id: "tags-input", type: "text", autocomplete: "off", "aria-describedby": "tags-input-hint" });
  const saveTags = h("button", { type: "submit", class: "button button-small", text: "Save tags" });
  const tagsForm = h("form", { id: "tags-form", novalidate: true }, field("tags-input", "Tags", tagsInput, "Separate tags with commas."), h("div", { class: "actions" }, saveTags));
  const handTo = h("input", { id: "hand-to", type: "email", autocomplete: "off", placeholder: "colleague@example.com" });
  const handButton = h("button", { type: "submit", class: "button button-small", text: "Hand over" });
  const handForm = h("form", { id: "hand-form", novalidate: true }, field("hand-to", "Hand to a colleague", handTo), h("div", { class: "actions" }, handButton));
  const releaseButton = h("button", { type: "button", id: "release", class: "button button-small", text: "Release to the queue" });
  return { noteText, addNote, noteForm, tagsInput, saveTags, tagsForm, handTo, handButton, handForm, releaseButton };
}

/** Set the case aside: wait on the customer, or snooze until a local date and time (both pause the SLA). */
function snoozeControls(path, onChange) {
  const until = h("input", { id: "snooze-until", type: "datetime-local" });
  const snooze = h("button", { type: "submit", class: "button button-small", text: "Snooze" });
  const wait = h("button", { type: "button", id: "wait-customer", class: "button button-small", text: "Wait on the customer" });
  const form = h("form", { id: "snooze-form", novalidate: true }, field("snooze-until", "Snooze until", until, "The SLA clock pauses for as long."), h("div", { class: "actions" }, snooze, wait));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const moment = until.value ? new Date(until.value) : null;
    if (!moment || Number.isNaN(moment.getTime())) {
      notify("Choose when the snooze ends.", "error");
      until.focus();
      return;
    }
    act(snooze, () => api(path("snooze"), { method: "POST", body: { until: moment.toISOString() } }), "Case snoozed.", onChange);
  });
  wait.addEventListener("click", () => act(wait, () => api(path("snooze"), { method: "POST", body: {} }), "Waiting on the customer: the SLA clock is stopped.", onChange));
  return form;
}

/** Run one of the panel's actions with its button busy; announce the outcome and reload the case. */
async function act(button, action, done, onChange) {
  await busy(button, async () => {
    try {
      await action();
      notify(done, "success");
      await onChange();
    } catch (error) {
      notify(error.message, "error");
    }
  });
}

function wire(c, path, onChange) {
  c.noteForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = c.noteText.value.trim();
    if (!text) {
      notify("Write the note first.", "error");
      c.noteText.focus();
      return;
    }
    const add = async () => {
      await api(path("notes"), { method: "POST", body: { text } });
      c.noteText.value = "";
    };
    act(c.addNote, add, "Note added.", onChange);
  });
  c.tagsForm.addEventListener("submit", (event) => {
    event.preventDefault();
    act(c.saveTags, () => api(path("tags"), { method: "PUT", body: { tags: parseTags(c.tagsInput.value) } }), "Tags saved.", onChange);
  });
  c.handForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const to = c.handTo.value.trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+$/.test(to)) {
      notify("Enter the colleague's email address.", "error");
      c.handTo.focus();
      return;
    }
    const hand = async () => {
      await api(path("hand"), { method: "POST", body: { to } });
      c.handTo.value = "";
    };
    act(c.handButton, hand, `Case handed to ${to}.`, onChange);
  });
  c.releaseButton.addEventListener("click", () => act(c.releaseButton, () => api(path("release"), { method: "POST" }), "Case released to the queue.", onChange));
}

/** The panel; `update(kase, session)` shows what the signed-in person may do now. */
export function togetherPanel({ caseId, onChange }) {
  const c = controls();
  const path = (tail) => `/cases/${encodeURIComponent(caseId)}/${tail}`;
  wire(c, path, onChange);
  const snoozeForm = snoozeControls(path, onChange);
  const el = h("section", { class: "together-panel", "aria-labelledby": "together-title" }, h("h2", { id: "together-title", text: "Work together" }), c.noteForm, c.tagsForm, c.handForm, snoozeForm, h("div", { class: "actions" }, c.releaseButton));
  function update(kase, session) {
    const supervisor = (session.groups || []).some((g) => g === "supervisor" || g === "admin");
    const mayChange = !kase.owner || kase.owner === session.email || supervisor;
    if (document.activeElement !== c.tagsInput) c.tagsInput.value = (kase.tags || []).join(", ");
    c.tagsForm.hidden = !mayChange;
    c.handForm.hidden = !mayChange || kase.status === "resolved";
    c.releaseButton.hidden = !mayChange || kase.status !== "assigned";
    snoozeForm.hidden = !mayChange || kase.status !== "assigned";
  }
  return { el, update };
}
