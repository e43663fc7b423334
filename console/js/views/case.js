// One case: its header (who, what, how urgent, SLA), the whole story in order, and the reply box with
// the response checklist (R13) beside it.

import { api, ApiError } from "../api.js";
import { busy, fill, h, notify } from "../dom.js";
import {
  canWork,
  countChars,
  deliveryLabel,
  deliveryState,
  describeEntry,
  formatDateTime,
  isAutomatic,
  needsApproval,
  replyLimit,
  sortTimeline,
} from "../format.js";
import { escalateCase } from "./escalate.js";
import { clock, customerName, priorityBadge, sentimentBadge, statusBadge, whereLabel } from "./widgets.js";

const REFRESH_MS = 15_000;

// The response map (seed 004): what the recommended action asks of the agent.
const ACTIONS = {
  thank: "Thank them and mirror their enthusiasm.",
  answer: "Answer the question, completely, in one message if you can.",
  fix: "Fix the problem: own it until it is solved.",
  correct: "Correct the facts, politely and with a source.",
  monitor: "Monitor: do not feed a troll. A reply is usually not needed.",
  escalate: "Escalate to the point person for this crisis or risk.",
};

const CHECKLIST = [
  "Think first: read the whole story before you answer.",
  "Solve it in as few messages as possible.",
  "Stay public unless personal information is involved; then move to a private channel and say so.",
  "Mirror enthusiasm, or show empathy to a negative comment.",
  "End on a positive note.",
];
const HEARD = [
  ["Hear", "let them tell the whole story"],
  ["Empathise", "show you understand how they feel"],
  ["Apologise", "for the experience, sincerely"],
  ["Resolve", "fix it, or say exactly what happens next"],
  ["Diagnose", "find why it happened so it does not again"],
];

function detail(term, ...value) {
  return h("div", { class: "detail" }, h("dt", { text: term }), h("dd", {}, ...value));
}

/** Short "key: value" lines for a system event's data (only plain values; nothing is rendered as markup). */
function dataLines(data) {
  const lines = [];
  for (const [key, value] of Object.entries(data || {})) {
    if (value === null || value === undefined || value === "") continue;
    if (["string", "number", "boolean"].includes(typeof value)) lines.push(`${key.replaceAll("_", " ")}: ${value}`);
    else if (Array.isArray(value) && value.every((v) => typeof v !== "object")) lines.push(`${key.replaceAll("_", " ")}: ${value.join(", ")}`);
  }
  return lines;
}

function timelineItem(entry) {
  const { label, side, variant, badges } = describeEntry(entry);
  const state = entry.kind === "reply" ? deliveryState(entry) : null;
  const data = { ...(entry.data || {}) };
  if (state) for (const key of ["delivery", "status", "state"]) delete data[key];
  // System events usually explain themselves in `text`; their data is shown only when they do not.
  const lines = side === "system" && !entry.text ? dataLines(data) : [];
  return h(
    "li",
    {
      class: `entry entry-${side} kind-${entry.kind}${variant ? ` entry-${variant}` : ""}`,
      dataset: isAutomatic(entry) ? { entryId: entry.entry_id, kind: entry.kind, automatic: "true" } : { entryId: entry.entry_id, kind: entry.kind },
    },
    h(
      "div",
      { class: "entry-head" },
      h("span", { class: "entry-label", text: label }),
      entry.actor && entry.actor !== "system" && !badges.includes(entry.actor) ? h("span", { class: "entry-actor", text: entry.actor }) : null,
      badges.map((badge) => h("span", { class: `badge entry-badge${badge === entry.actor ? " badge-bot" : ""}`, text: badge })),
      h("time", { datetime: entry.at, text: formatDateTime(entry.at) }),
      state ? h("span", { class: `badge delivery delivery-${state}`, text: deliveryLabel(state) }) : null,
      entry.kind === "reply" && data.private ? h("span", { class: "badge", text: "private" }) : null,
    ),
    entry.text ? h("p", { class: "entry-text", text: entry.text }) : null,
    lines.length ? h("ul", { class: "entry-data" }, lines.map((line) => h("li", { text: line }))) : null,
  );
}

export function renderCase(container, { session, params }) {
  const caseId = params.id;
  document.title = "Case · Heard";
  const worker = canWork(session.groups);
  let kase = null;
  let timeline = [];
  const pending = new Map(); // replies we sent that a refresh has not returned yet

  const title = h("h1", { tabindex: "-1", id: "case-title", text: "Loading case…" });
  const headerBox = h("div", { class: "case-header", "aria-busy": "true" });
  const timelineList = h("ol", { id: "timeline", class: "timeline", "aria-label": "Case timeline, oldest first" });
  const resolveButton = h("button", { type: "button", id: "resolve", class: "button", hidden: true, text: "Resolve case" });
  const escalateButton = h("button", { type: "button", id: "escalate", class: "button", hidden: true, "aria-haspopup": "dialog", text: "Escalate" });
  const refreshButton = h("button", { type: "button", class: "button button-quiet", text: "Refresh" });

  // ---- reply box ---------------------------------------------------------------------------------

  const textarea = h("textarea", {
    id: "reply-text",
    name: "text",
    rows: "6",
    required: true,
    "aria-describedby": "reply-count reply-hints",
  });
  const counter = h("p", { id: "reply-count", class: "counter" });
  const limitNotice = h("span", { class: "visually-hidden", "aria-live": "polite" });
  const hints = h("div", { id: "reply-hints", class: "hints" });
  // R14: move personal matters to a private channel (the API sends a DM where the platform allows it).
  const privateBox = h("input", { type: "checkbox", id: "reply-private", name: "private" });
  const privateField = h("div", { class: "field-check", hidden: true }, privateBox, h("label", { for: "reply-private", text: "Send as a private message (where the platform allows it)" }));
  const send = h("button", { type: "submit", id: "send-reply", class: "button button-primary", disabled: true, text: "Send reply" });
  const checks = CHECKLIST.map((text, i) =>
    h("li", {}, h("input", { type: "checkbox", id: `check-${i}` }), h("label", { for: `check-${i}`, text })),
  );
  const form = h(
    "form",
    { class: "reply-form", novalidate: true },
    h("label", { for: "reply-text", class: "reply-label", text: "Your reply" }),
    textarea,
    privateField,
    h("div", { class: "reply-foot" }, counter, limitNotice, send),
    hints,
  );
  let wasOver = false;

  function updateCounter() {
    const limit = kase ? replyLimit(kase.platform) : null;
    const n = countChars(textarea.value);
    const over = limit !== null && n > limit;
    counter.textContent = limit === null ? `${n} characters` : `${n} / ${limit} characters`;
    counter.classList.toggle("counter-over", over);
    textarea.setAttribute("aria-invalid", String(over));
    send.disabled = !textarea.value.trim() || over;
    if (over !== wasOver) {
      limitNotice.textContent = over ? `Over the ${limit} character limit of this platform.` : "Back within the character limit.";
      wasOver = over;
    }
  }
  textarea.addEventListener("input", updateCounter);
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = textarea.value.trim();
    if (!text || send.disabled) return;
    await busy(send, async () => {
      send.textContent = "Sending…";
      try {
        const { data } = await api(`/cases/${encodeURIComponent(caseId)}/replies`, {
          method: "POST",
          body: privateBox.checked && !privateField.hidden ? { text, private: true } : { text },
        });
        if (data && data.reply) {
          pending.set(data.reply.entry_id, data.reply);
          timeline = timeline.concat([data.reply]);
          renderTimeline();
        }
        textarea.value = "";
        privateBox.checked = false;
        for (const box of form.closest(".reply-panel").querySelectorAll("input[type=checkbox]")) box.checked = false;
        notify(
          needsApproval(session.groups)
            ? "Reply saved and awaiting a supervisor's approval: it is sent to the customer once approved."
            : "Reply sent to the outbox: it appears on the timeline with its delivery state.",
          "success",
        );
        await load();
      } catch (error) {
        notify(error instanceof ApiError && error.status === 409 ? `Not sent: ${error.message}` : error.message, "error");
      }
    });
    updateCounter();
    textarea.focus();
  });

  // ---- header, timeline ----------------------------------------------------------------------------

  function renderHints() {
    const items = [];
    if (kase.action && ACTIONS[kase.action]) items.push(h("p", { class: "hint" }, h("strong", { text: "Recommended: " }), ACTIONS[kase.action]));
    const isPublic = kase.channel !== "direct";
    if (isPublic && kase.pii && kase.pii.length) {
      items.push(h("p", { class: "hint hint-warn", text: `Personal information in a public thread (${kase.pii.join(", ")}): move to a private channel and say so publicly.` }));
    }
    if (kase.crisis) {
      const sent = sortTimeline(timeline).filter((e) => e.kind === "reply" && isAutomatic(e) && e.data && e.data.crisis_id).pop();
      items.push(
        h("p", {
          class: "hint hint-warn",
          text: sent
            ? `Crisis: Heard already sent the holding statement (v${sent.data.statement_version || 1}) automatically. Answer the customer's own problem; escalate to the crisis's point person if needed.`
            : "Crisis: use the holding statement. Say you are working on it, when the next update comes and where to find more.",
        }),
      );
    }
    if (replyLimit(kase.platform) !== null) items.push(h("p", { class: "hint", text: `Replies on X are limited to ${replyLimit(kase.platform)} characters, including the contact line Heard adds.` }));
    fill(hints, items);
    privateField.hidden = kase.channel === "direct";
  }

  function followUpItem(followUp) {
    const item = h("li", { text: `${followUp.label}: ${formatDateTime(followUp.due_at)} (${followUp.state}) ` });
    if (worker && followUp.state === "due") {
      const done = h("button", { type: "button", class: "button button-small", text: "Mark done" });
      done.setAttribute("aria-label", `Mark the ${followUp.label} follow-up done`);
      done.addEventListener("click", () =>
        busy(done, async () => {
          try {
            const label = encodeURIComponent(followUp.label);
            await api(`/cases/${encodeURIComponent(caseId)}/followups/${label}/done`, { method: "POST" });
            notify(`The ${followUp.label} follow-up is done.`, "success");
            await load();
          } catch (error) {
            notify(error.message, "error");
          }
        }),
      );
      item.append(done);
    }
    return item;
  }

  function renderHeader() {
    title.textContent = `Case from ${customerName(kase.customer)}`;
    document.title = `${customerName(kase.customer)} · Case · Heard`;
    const reasons = kase.priority_reasons || [];
    const sentiment =
      kase.first_sentiment && kase.first_sentiment !== kase.sentiment
        ? [sentimentBadge(kase.first_sentiment), " → ", sentimentBadge(kase.sentiment)]
        : [sentimentBadge(kase.sentiment)];
    const followups = kase.followups || [];
    fill(
      headerBox,
      h(
        "dl",
        { class: "details" },
        detail("Status", h("span", { id: "case-status" }, statusBadge(kase.status))),
        detail("Owner", kase.owner || "nobody yet"),
        detail("Team", kase.team),
        detail("Priority", priorityBadge(kase.priority), reasons.length ? h("ul", { class: "reasons" }, reasons.map((r) => h("li", { text: r }))) : null),
        detail("Category", kase.category),
        detail("Sentiment", ...sentiment),
        detail("Topic", kase.operation && !["general", kase.topic].includes(kase.operation) ? `${kase.topic} (${kase.operation})` : kase.topic),
        detail("Language", kase.language),
        detail("Crisis", kase.crisis ? h("span", { class: "badge badge-danger", text: kase.crisis }) : "none"),
        detail("Recommended action", kase.action),
        detail("Where", whereLabel(kase)),
        detail(
          "First response",
          kase.first_response_at ? `${formatDateTime(kase.first_response_at)} · ` : null,
          kase.first_response_due && !kase.first_response_at ? `due ${formatDateTime(kase.first_response_due)} · ` : null,
          clock("sla", kase),
        ),
        kase.reply_window_until ? detail("Can reply until", `${formatDateTime(kase.reply_window_until)} · `, clock("window", kase)) : null,
        detail("Opened", formatDateTime(kase.opened_at)),
        kase.resolved_at ? detail("Resolved", formatDateTime(kase.resolved_at)) : null,
        detail(
          "Follow-ups",
          followups.length ? h("ul", { class: "followups" }, followups.map(followUpItem)) : "none",
        ),
      ),
    );
    headerBox.removeAttribute("aria-busy");
    resolveButton.hidden = !worker || kase.status === "resolved";
    escalateButton.hidden = !worker;
    renderHints();
    updateCounter();
  }

  function renderTimeline() {
    const known = new Set(timeline.map((e) => e.entry_id));
    for (const [id, entry] of pending) if (!known.has(id)) timeline.push(entry);
    fill(timelineList, sortTimeline(timeline).map(timelineItem));
    if (!timeline.length) fill(timelineList, h("li", { class: "empty", text: "No history yet." }));
  }

  async function load() {
    try {
      const { data } = await api(`/cases/${encodeURIComponent(caseId)}`);
      kase = data.case;
      timeline = data.timeline || [];
      for (const entry of timeline) pending.delete(entry.entry_id);
      renderHeader();
      renderTimeline();
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        title.textContent = "Case not found";
        fill(headerBox, h("p", { text: "This case does not exist or was erased." }));
      } else if (!(error instanceof ApiError && error.status === 401)) notify(error.message, "error");
    }
  }

  resolveButton.addEventListener("click", () =>
    busy(resolveButton, async () => {
      resolveButton.textContent = "Resolving…";
      try {
        const { data } = await api(`/cases/${encodeURIComponent(caseId)}/resolve`, { method: "POST" });
        kase = data.case;
        notify(kase.category === "complaint" ? "Case resolved. Follow-ups are scheduled." : "Case resolved.", "success");
        await load();
        title.focus();
      } catch (error) {
        notify(error.message, "error");
      }
    }),
  );
  refreshButton.addEventListener("click", () => busy(refreshButton, load));
  // Not busy(): the modal dialog blocks a second click, and focus must return to this button on close.
  let escalating = false;
  escalateButton.addEventListener("click", async () => {
    if (escalating || !kase) return;
    escalating = true;
    try {
      const answer = await escalateCase(kase);
      if (!answer) return;
      kase = answer.case;
      timeline = timeline.concat([answer.escalation]);
      renderHeader();
      renderTimeline();
      notify(answer.escalation.text || "Case escalated.", "success");
      await load();
    } catch (error) {
      notify(error.message, "error");
    } finally {
      escalating = false;
    }
  });

  const replyPanel = worker
    ? h(
        "section",
        { class: "reply-panel", "aria-labelledby": "reply-title" },
        h("h2", { id: "reply-title", text: "Reply" }),
        form,
        h(
          "aside",
          { class: "checklist", "aria-labelledby": "checklist-title" },
          h("h3", { id: "checklist-title", text: "Before you send" }),
          h("ul", { class: "checks" }, checks),
          h("h3", { text: "HEARD" }),
          h("ol", { class: "heard" }, HEARD.map(([word, what]) => h("li", {}, h("strong", { text: word }), `: ${what}`))),
        ),
      )
    : null;

  fill(
    container,
    h("p", { class: "breadcrumb" }, h("a", { href: "#/queue", text: "← Queue" })),
    h("div", { class: "page-head" }, title, h("div", { class: "actions" }, refreshButton, escalateButton, resolveButton)),
    headerBox,
    h(
      "div",
      { class: "case-body" },
      h("section", { class: "timeline-panel", "aria-labelledby": "timeline-title" }, h("h2", { id: "timeline-title", text: "Timeline" }), timelineList),
      replyPanel,
    ),
  );

  load();
  const timer = setInterval(() => {
    // Delivery states change after sending; keep them current while the page is in view.
    if (document.visibilityState === "visible" && !headerBox.contains(document.activeElement)) load();
  }, REFRESH_MS);
  return () => clearInterval(timer);
}
