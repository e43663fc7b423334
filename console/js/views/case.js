// One case: its header (who, what, how urgent, SLA), the whole story in order, and the reply box with
// the response checklist (R13) beside it. The pieces live in views/case/; this module holds the case's
// state, loads it and wires the page's buttons (refresh, escalate, resolve).

import { api, ApiError } from "../api.js";
import { withPending } from "../caseview.js";
import { busy, fill, h, notify } from "../dom.js";
import { canWork } from "../format.js";
import { contextPanel } from "./case/context.js";
import { customerPanel } from "./case/customer.js";
import { presenceBar } from "./case/presence.js";
import { caseDetails } from "./case/header.js";
import { replyPanel } from "./case/reply.js";
import { timelinePanel } from "./case/timeline.js";
import { moderationPanel } from "./case/moderation.js";
import { attachmentsPanel, imageAttacher } from "./case/attachments.js";
import { togetherPanel } from "./case/together.js";
import { orderPanel } from "./case/order.js";
import { writingHelpPanel } from "./case/writing_help.js";
import { escalateCase } from "./escalate.js";
import { customerName } from "./widgets.js";

const REFRESH_MS = 15_000;
// Why a case is resolved (the API's ResolutionReason); spam stops the clock and is never followed up.
const RESOLUTIONS = [
  ["solved", "Solved"],
  ["no_reply_needed", "No reply needed"],
  ["duplicate", "Duplicate"],
  ["spam", "Spam"],
];

function pageButtons() {
  return {
    resolve: h("button", { type: "button", id: "resolve", class: "button", hidden: true, text: "Resolve case" }),
    reason: h(
      "select",
      { id: "resolve-reason", "aria-label": "Why it is resolved", hidden: true },
      RESOLUTIONS.map(([value, label]) => h("option", { value, text: label })),
    ),
    reopen: h("button", { type: "button", id: "reopen", class: "button", hidden: true, text: "Reopen case" }),
    escalate: h("button", { type: "button", id: "escalate", class: "button", hidden: true, "aria-haspopup": "dialog", text: "Escalate" }),
    refresh: h("button", { type: "button", class: "button button-quiet", text: "Refresh" }),
  };
}

/** Resolve with the chosen reason: the case comes back resolved (complaints get follow-ups, spam none). */
function wireResolve(button, view, reasonSelect) {
  button.addEventListener("click", () =>
    busy(button, async () => {
      button.textContent = "Resolving…";
      try {
        const reason = reasonSelect.value;
        const { data } = await api(`/cases/${encodeURIComponent(view.caseId)}/resolve`, { method: "POST", body: { reason } });
        view.kase = data.case;
        const followed = view.kase.followups && view.kase.followups.length;
        notify(reason === "spam" ? "Marked as spam." : followed ? "Case resolved. Follow-ups are scheduled." : "Case resolved.", "success");
        await view.load();
        view.title.focus();
      } catch (error) {
        notify(error.message, "error");
      }
    }),
  );
}

/** Reopen a resolved case: it goes back to its owner. */
function wireReopen(button, view) {
  button.addEventListener("click", () =>
    busy(button, async () => {
      try {
        await api(`/cases/${encodeURIComponent(view.caseId)}/reopen`, { method: "POST" });
        notify("Case reopened.", "success");
        await view.load();
        view.title.focus();
      } catch (error) {
        notify(error.message, "error");
      }
    }),
  );
}

/** Escalate opens its dialog; not busy(): the modal blocks a second click and focus returns to the button. */
function wireEscalate(button, view) {
  let escalating = false;
  button.addEventListener("click", async () => {
    if (escalating || !view.kase) return;
    escalating = true;
    try {
      const answer = await escalateCase(view.kase);
      if (!answer) return;
      view.kase = answer.case;
      view.timeline = view.timeline.concat([answer.escalation]);
      view.show();
      notify(answer.escalation.text || "Case escalated.", "success");
      await view.load();
    } catch (error) {
      notify(error.message, "error");
    } finally {
      escalating = false;
    }
  });
}

/** Fetch the case and its timeline into `view`, then redraw it; a missing (or erased) case says so. */
async function loadCase(view, headerBox) {
  try {
    const { data } = await api(`/cases/${encodeURIComponent(view.caseId)}`);
    view.kase = data.case;
    view.timeline = data.timeline || [];
    view.reopensUntil = data.reopens_until || null;
    view.contactLine = typeof data.contact_line === "string" ? data.contact_line : null;
    for (const entry of view.timeline) view.pending.delete(entry.entry_id);
    view.show();
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      view.title.textContent = "Case not found";
      fill(headerBox, h("p", { text: "This case does not exist or was erased." }));
    } else if (!(error instanceof ApiError && error.status === 401)) notify(error.message, "error");
  }
}

/** The reply box of the case view: a sent reply shows at once; a refused one reloads (a colleague's answer). */
function caseReply({ caseId, session, view, timeline, presence }) {
  return replyPanel({
    caseId,
    session,
    onSent: async (entry) => {
      if (entry) {
        view.pending.set(entry.entry_id, entry);
        view.timeline = view.timeline.concat([entry]);
        timeline.show(view.timeline);
      }
      await view.load();
    },
    onRefused: () => view.load(),
    onTyping: () => presence.typing(),
    attach: imageAttacher({ caseId }),
  });
}

/** The case's state and how it is drawn: `load()` fetches it, `show()` redraws header, timeline, reply box. */
function caseState({ caseId, session, worker, title, headerBox, buttons }) {
  const view = { caseId, kase: null, timeline: [], title, pending: new Map() }; // pending: sent, not yet listed
  const timeline = timelinePanel();
  const context = contextPanel();
  const presence = presenceBar({ caseId });
  view.presence = presence;
  const reply = worker ? caseReply({ caseId, session, view, timeline, presence }) : null;
  const together = worker ? togetherPanel({ caseId, onChange: () => view.load() }) : null;
  const moderation = worker ? moderationPanel({ caseId, onChange: () => view.load() }) : null;
  const customer = customerPanel({ caseId, worker });
  const files = attachmentsPanel({ caseId }); // customers' media through short-lived links (#16)
  customer.load();
  const order = orderPanel({ caseId, worker }); // the company's order system (#17)
  const writing = worker ? writingHelpPanel({ caseId, onChange: () => view.load() }) : null; // drafts, summary, translation (#11)
  view.show = () => {
    title.textContent = `Case from ${customerName(view.kase.customer)}`;
    document.title = `${customerName(view.kase.customer)} · Case · Heard`;
    // Per-field confidence from the learned triage backend: the latest "triaged" entry's triage.
    const triaged = view.timeline.filter((e) => e.kind === "triaged" && e.data && e.data.triage).pop();
    const confidences = (triaged && triaged.data.triage.confidences) || {};
    fill(headerBox, caseDetails(view.kase, { caseId, worker, confidences, onChange: () => view.load() }));
    headerBox.removeAttribute("aria-busy");
    buttons.resolve.hidden = !worker || view.kase.status === "resolved";
    buttons.reason.hidden = buttons.resolve.hidden;
    buttons.reopen.hidden = !worker || view.kase.status !== "resolved";
    buttons.escalate.hidden = !worker;
    view.timeline = withPending(view.timeline, view.pending);
    timeline.show(view.timeline);
    context.update(view.kase, view.reopensUntil);
    if (reply) reply.update(view.kase, view.timeline, view.contactLine);
    if (together) together.update(view.kase, session);
    if (moderation) moderation.update(view.kase, view.timeline);
    files.update(view.timeline);
    if (order) order.update(view.kase);
    if (writing) writing.update(view.kase, view.timeline);
  };
  view.load = () => loadCase(view, headerBox);
  // Two columns: the conversation and the team's notes on the left, the reply box and the customer on
  // the right. Nothing is sticky: a pinned reply box covered the notes and tags beneath it.
  view.panels = [
    h("div", { class: "case-main" }, context.el, timeline.el, files.el, together ? together.el : null),
    h("div", { class: "case-side" }, presence.el, reply ? reply.el : null, writing ? writing.el : null, moderation ? moderation.el : null, customer.el, order ? order.el : null),
  ];
  return view;
}

export function renderCase(container, { session, params }) {
  document.title = "Case · Heard";
  const worker = canWork(session.groups);
  const title = h("h1", { tabindex: "-1", id: "case-title", text: "Loading case…" });
  const headerBox = h("div", { class: "case-header", "aria-busy": "true" });
  const buttons = pageButtons();
  const view = caseState({ caseId: params.id, session, worker, title, headerBox, buttons });
  wireResolve(buttons.resolve, view, buttons.reason);
  wireReopen(buttons.reopen, view);
  wireEscalate(buttons.escalate, view);
  buttons.refresh.addEventListener("click", () => busy(buttons.refresh, view.load));

  fill(
    container,
    h("p", { class: "breadcrumb" }, h("a", { href: "#/queue", text: "← Queue" }), h("span", { class: "hint", text: " · press ? for keyboard shortcuts" })),
    h("div", { class: "page-head" }, title, h("div", { class: "actions" }, buttons.refresh, buttons.escalate, buttons.reason, buttons.resolve, buttons.reopen)),
    headerBox,
    h("div", { class: "case-body" }, ...view.panels),
  );

  view.load();
  view.presence.start();
  const timer = setInterval(() => {
    // Delivery states change after sending; keep them current while the page is in view.
    if (document.visibilityState === "visible" && !headerBox.contains(document.activeElement)) view.load();
  }, REFRESH_MS);
  return () => {
    clearInterval(timer);
    view.presence.stop();
  };
}
