// The reply box: the text with a live character counter (the platform's limit from the API), the option
// to answer privately on public channels, the hints for this case, and the response checklist (R13).

import { api, ApiError } from "../../api.js";
import { caseHints, CHECKLIST, counterState, HEARD } from "../../caseview.js";
import { busy, fill, h, notify } from "../../dom.js";
import { needsApproval } from "../../format.js";
import { assistPanel } from "../knowledge_assist.js";

function checklist() {
  const checks = CHECKLIST.map((text, i) => h("li", {}, h("input", { type: "checkbox", id: `check-${i}` }), h("label", { for: `check-${i}`, text })));
  return h(
    "aside",
    { class: "checklist", "aria-labelledby": "checklist-title" },
    h("h3", { id: "checklist-title", text: "Before you send" }),
    h("ul", { class: "checks" }, checks),
    h("h3", { text: "HEARD" }),
    h("ol", { class: "heard" }, HEARD.map(([word, what]) => h("li", {}, h("strong", { text: word }), `: ${what}`))),
  );
}

function hintElement({ lead, text, warn }) {
  if (lead) return h("p", { class: warn ? "hint hint-warn" : "hint" }, h("strong", { text: lead }), text);
  return h("p", { class: warn ? "hint hint-warn" : "hint", text });
}

function replyControls() {
  return {
    textarea: h("textarea", { id: "reply-text", name: "text", rows: "6", required: true, "aria-describedby": "reply-count reply-hints" }),
    counter: h("p", { id: "reply-count", class: "counter" }),
    limitNotice: h("span", { class: "visually-hidden", "aria-live": "polite" }),
    hints: h("div", { id: "reply-hints", class: "hints" }),
    // R14: move personal matters to a private channel (the API sends a DM where the platform allows it).
    privateBox: h("input", { type: "checkbox", id: "reply-private", name: "private" }),
    // Issue 17: a public reply that adds the link opening a private conversation with us (m.me, wa.me, ...).
    inviteBox: h("input", { type: "checkbox", id: "reply-invite", name: "invite_private" }),
    send: h("button", { type: "submit", id: "send-reply", class: "button button-primary", disabled: true, text: "Send reply" }),
  };
}

/** The options of a public case's reply: send it privately, or invite to a private conversation (R14). */
function optionFields(c) {
  return {
    privateField: h("div", { class: "field-check", hidden: true }, c.privateBox, h("label", { for: "reply-private", text: "Send as a private message (where the platform allows it)" })),
    inviteField: h("div", { class: "field-check", hidden: true }, c.inviteBox, h("label", { for: "reply-invite", text: "Invite to a private conversation (adds the link that opens a DM with us)" })),
  };
}

function sentNotice(session) {
  return needsApproval(session.groups)
    ? "Reply saved and awaiting a supervisor's approval: it is sent to the customer once approved."
    : "Reply sent to the outbox: it appears on the timeline with its delivery state.";
}

/** The reply's body: the text, sent privately or with the invitation to a private conversation. */
function replyBody(c, { privateField, inviteField }, text) {
  if (c.privateBox.checked && !privateField.hidden) return { text, private: true };
  return c.inviteBox.checked && !inviteField.hidden ? { text, invite_private: true } : { text };
}

/** Send on submit (and Ctrl/⌘+Enter) once, with the button busy; the API's refusal is announced. */
function wireSubmit(form, c, submit, afterwards, onRefused) {
  c.textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!c.textarea.value.trim() || c.send.disabled) return;
    await busy(c.send, async () => {
      c.send.textContent = "Sending…";
      try {
        await submit();
      } catch (error) {
        const refused = error instanceof ApiError && error.status === 409;
        notify(refused ? `Not sent: ${error.message}` : error.message, "error");
        if (refused) await onRefused(); // e.g. a colleague answered meanwhile: show their reply
      }
    });
    afterwards();
    c.textarea.focus();
  });
}

/**
 * The reply panel of a case. `onSent(reply)` runs after the API accepted a reply (the case view shows it
 * and reloads); `update(kase, timeline)` follows the case (hints, private option, the counter's limit).
 */
export function replyPanel({ caseId, session, onSent, onRefused = async () => {}, onTyping = () => {}, attach = null }) {
  const c = replyControls();
  let team = null;
  const assist = assistPanel({ caseId, textarea: c.textarea, team: () => team }); // suggestions, saved replies, pre-send check (#11)
  const { privateField, inviteField } = optionFields(c);
  const form = h(
    "form",
    { class: "reply-form", novalidate: true },
    h("label", { for: "reply-text", class: "reply-label", text: "Your reply" }),
    c.textarea,
    privateField,
    inviteField,
    attach ? attach.el : null, // an image with the reply (issue #16, ./attachments.js)
    h("div", { class: "reply-foot" }, c.counter, c.limitNotice, c.send),
    assist.checkBox,
    c.hints,
  );
  const el = h("section", { class: "reply-panel", "aria-labelledby": "reply-title" }, h("h2", { id: "reply-title", text: "Reply" }), form, assist.el, checklist());
  let platform = null;
  let wasOver = false;
  let seenUntil = null; // the newest reply this agent has seen: a colleague's later one stops theirs (409)

  let line; // the case's brand's contact line (the counter counts the final text); undefined: the default
  function updateCounter() {
    const state = line === undefined ? counterState(c.textarea.value, platform) : counterState(c.textarea.value, platform, line);
    c.counter.textContent = state.label;
    c.counter.classList.toggle("counter-over", state.over);
    c.textarea.setAttribute("aria-invalid", String(state.over));
    c.send.disabled = !state.canSend;
    if (state.over !== wasOver) {
      c.limitNotice.textContent = state.notice;
      wasOver = state.over;
    }
  }

  async function submit() {
    const text = c.textarea.value.trim();
    const body = replyBody(c, { privateField, inviteField }, text);
    if (seenUntil) body.seen_until = seenUntil;
    if (attach) attach.apply(body);
    if (!(await assist.gate.allow(text, Boolean(body.private)))) return;
    const { data } = await api(`/cases/${encodeURIComponent(caseId)}/replies`, { method: "POST", body });
    c.textarea.value = "";
    if (attach) attach.reset();
    assist.gate.reset();
    for (const box of el.querySelectorAll("input[type=checkbox]")) box.checked = false;
    notify(sentNotice(session), "success");
    await onSent(data && data.reply ? data.reply : null);
  }

  c.textarea.addEventListener("input", updateCounter);
  c.textarea.addEventListener("input", onTyping);
  wireSubmit(form, c, submit, updateCounter, onRefused);

  function update(kase, timeline, contactLine = null) {
    platform = kase.platform;
    line = contactLine === null ? undefined : contactLine;
    team = kase.team;
    seenUntil = timeline.filter((e) => e.kind === "reply").reduce((latest, e) => (e.at > latest ? e.at : latest), kase.opened_at);
    fill(c.hints, caseHints(kase, timeline).map(hintElement));
    for (const field of [privateField, inviteField]) field.hidden = kase.channel === "direct";
    // Not offered where the API would refuse it (issue #10): the context panel says why.
    form.hidden = Boolean(kase.reply_refusal);
    updateCounter();
  }
  return { el, update };
}
