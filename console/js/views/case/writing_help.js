// Writing help (issue #11): "Draft a reply" puts a draft written from the approved answers that fit the
// case into the reply box, marked as a draft to edit before sending (nothing is ever sent from here; the
// timeline records that a draft was written); "Summarise" stores the case in a few sentences; "Translate"
// translates one of the case's messages for the agent. Built in and offline by default; Amazon Bedrock and
// Amazon Translate where the stack was deployed with them. Translation says plainly when it is unavailable.

import { api } from "../../api.js";
import { busy, fill, h, notify } from "../../dom.js";

const TRANSLATABLE = new Set(["message_in", "reply", "note"]);

function replyBox() {
  return document.getElementById("reply-text");
}

function putDraft(text) {
  const box = replyBox();
  if (!box) return false;
  box.value = text;
  box.dispatchEvent(new Event("input", { bubbles: true })); // the counter and the pre-send check follow
  box.focus();
  return true;
}

function draftLine(data) {
  const from = data.answers.length ? `from ${data.answers.map((a) => `“${a.title}”`).join(", ")}` : "without an approved answer";
  const by = data.model ? `${data.backend}, ${data.model}` : data.backend;
  return `${data.note} (written ${from}; ${by}).`;
}

function briefText(kase) {
  return kase && kase.brief ? `${kase.brief} (${kase.brief_by || "summary"})` : "Not summarised yet.";
}

function messageLabel(entry) {
  const who = entry.kind === "message_in" ? "Customer" : entry.kind === "reply" ? "Reply" : "Note";
  const text = entry.text.length > 60 ? `${entry.text.slice(0, 59)}…` : entry.text;
  return `${who}: ${text}`;
}

function controls() {
  return {
    draft: h("button", { type: "button", id: "draft-reply", class: "button", text: "Draft a reply" }),
    mark: h("p", { id: "draft-mark", class: "hint hint-warn", role: "status", hidden: true }),
    summarise: h("button", { type: "button", id: "summarise-case", class: "button button-small", text: "Summarise" }),
    brief: h("p", { id: "case-brief", class: "case-brief", "aria-live": "polite" }),
    message: h("select", { id: "translate-entry", "aria-label": "Message to translate" }),
    target: h("input", { id: "translate-target", type: "text", value: (navigator.language || "en").split("-")[0], size: "5", maxlength: "10", "aria-label": "Translate into (language code)" }),
    translate: h("button", { type: "submit", id: "translate-message", class: "button button-small", text: "Translate" }),
    translated: h("p", { id: "translation", class: "translation", "aria-live": "polite" }),
  };
}

/** The panel for people who work cases; `update(kase, timeline)` follows the case. */
export function writingHelpPanel({ caseId, onChange = async () => {} }) {
  const c = controls();
  const path = (what) => `/cases/${encodeURIComponent(caseId)}/${what}`;
  const form = h("form", { class: "translate-form" }, c.message, c.target, c.translate);
  const el = h(
    "section",
    { class: "writing-help-panel", "aria-labelledby": "writing-help-title" },
    h("h2", { id: "writing-help-title", text: "Writing help" }),
    h("p", {}, c.draft),
    c.mark,
    h("h3", { text: "Summary" }),
    c.brief,
    h("p", {}, c.summarise),
    h("h3", { text: "Translate a message" }),
    form,
    c.translated,
  );

  c.draft.addEventListener("click", () =>
    busy(c.draft, async () => {
      try {
        const { data } = await api(path("draft"), { method: "POST" });
        if (!putDraft(data.text)) return notify("The reply box is not available on this case.", "error");
        c.mark.textContent = draftLine(data);
        c.mark.hidden = false;
        notify("Draft inserted: edit it before sending.", "success");
        await onChange(); // the timeline shows the draft entry
      } catch (error) {
        notify(error.message, "error");
      }
    }),
  );
  c.summarise.addEventListener("click", () =>
    busy(c.summarise, async () => {
      try {
        const { data } = await api(path("summary"), { method: "POST" });
        c.brief.textContent = briefText(data.case);
      } catch (error) {
        notify(error.message, "error");
      }
    }),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!c.message.value) return;
    busy(c.translate, async () => {
      try {
        const body = { entry_id: c.message.value, target: c.target.value.trim() };
        const { data } = await api(path("translate"), { method: "POST", body });
        c.translated.textContent = `${data.source} → ${data.target}: ${data.text}`;
      } catch (error) {
        c.translated.textContent = error.message;
      }
    });
  });
  api("/writing-help")
    .then(({ data }) => {
      if (data.translates) return;
      c.translate.disabled = true;
      c.translated.textContent = "Translation is not available offline (Heard translates with Amazon Translate when deployed with generative help).";
    })
    .catch(() => {});

  function update(kase, timeline) {
    c.brief.textContent = briefText(kase);
    const box = replyBox();
    if (box && !box.value.trim()) c.mark.hidden = true; // sent or cleared: no draft in the box any more
    const chosen = c.message.value;
    const messages = timeline.filter((e) => TRANSLATABLE.has(e.kind) && e.text).reverse();
    fill(c.message, messages.map((e) => h("option", { value: e.entry_id, text: messageLabel(e) })));
    if (messages.some((e) => e.entry_id === chosen)) c.message.value = chosen;
  }
  return { el, update };
}
