// Approvals (R12): trainees' replies waiting for a supervisor, oldest first, with the case's summary.
// Approve sends the reply like an agent's; reject sends it back with feedback the trainee sees.

import { api, ApiError } from "../api.js";
import { busy, fill, h, notify } from "../dom.js";
import { canApprove, channelLabel, formatDateTime, platformLabel, priorityLabel } from "../format.js";
import { caseHref } from "../route.js";
import { conversationDetails } from "./approval_thread.js";

const REFRESH_MS = 15_000;

function wireDecisions(p, { approve, reject, feedback }, reload) {
  const path = `/cases/${encodeURIComponent(p.case_id)}/replies/${encodeURIComponent(p.reply_id)}`;
  approve.addEventListener("click", () =>
    busy(approve, async () => {
      try {
        await api(`${path}/approve`, { method: "POST" });
        notify(`Approved: the reply by ${p.author} is on its way to the customer.`, "success");
      } catch (error) {
        notify(error instanceof ApiError && error.status === 409 ? `Not approved: ${error.message}` : error.message, "error");
      }
      await reload();
    }),
  );
  reject.addEventListener("click", () =>
    busy(reject, async () => {
      const text = feedback.value.trim();
      if (!text) {
        notify("Write the feedback first: the trainee sees it on the case.", "error");
        feedback.focus();
        return;
      }
      try {
        await api(`${path}/reject`, { method: "POST", body: { feedback: text } });
        notify(`Sent back to ${p.author} with your feedback.`, "success");
      } catch (error) {
        notify(error.message, "error");
      }
      await reload();
    }),
  );
}

/** One reply awaiting approval: who, when, where, the customer's words, the reply, and the two decisions. */
function approvalItem(p, reload) {
  const feedback = h("textarea", { id: `feedback-${p.reply_id}`, name: "feedback", rows: "2", maxlength: "2000", placeholder: "What should the trainee change?" });
  const approve = h("button", { type: "button", class: "button button-primary approve", text: "Approve and send" });
  const reject = h("button", { type: "button", class: "button reject", text: "Send back" });
  wireDecisions(p, { approve, reject, feedback }, reload);
  const c = p.case || {};
  return h(
    "li",
    { class: "card approval", dataset: { replyId: p.reply_id, caseId: p.case_id } },
    h(
      "p",
      { class: "approval-head" },
      h("strong", { text: p.author }),
      ` replied ${formatDateTime(p.at)} on `,
      h("a", { href: caseHref(p.case_id), text: `${platformLabel(c.platform)} ${channelLabel(c.channel)}` }),
      c.priority ? ` · ${priorityLabel(c.priority)}` : "",
      c.customer ? ` · to ${c.customer}` : "",
    ),
    c.summary ? h("p", { class: "case-summary" }, h("span", { class: "visually-hidden", text: "Customer wrote: " }), `“${c.summary}”`) : null,
    conversationDetails(p.case_id, p.reply_id),
    h("p", { class: "reply-text", text: p.text }),
    h("div", { class: "approval-actions" }, h("label", { class: "visually-hidden", for: `feedback-${p.reply_id}`, text: `Feedback for ${p.author}` }), feedback, reject, approve),
  );
}

export function renderApprovals(container, { session }) {
  document.title = "Approvals · Heard";
  if (!canApprove(session.groups)) {
    fill(container, h("h1", { tabindex: "-1", text: "Approvals" }), h("p", { text: "Approving trainees' replies is for supervisors and administrators." }));
    return null;
  }
  const listBox = h("div", { id: "approvals", "aria-busy": "true" }, h("p", { class: "muted", text: "Loading replies awaiting approval…" }));
  let stopped = false;

  async function load() {
    try {
      const { data } = await api("/approvals");
      if (stopped) return;
      const items = (data && data.items) || [];
      listBox.removeAttribute("aria-busy");
      if (!items.length) fill(listBox, h("p", { class: "empty", text: "No replies are waiting for approval." }));
      else fill(listBox, h("ol", { class: "approvals", "aria-label": "Replies awaiting approval, oldest first" }, items.map((p) => approvalItem(p, load))));
    } catch (error) {
      notify(error.message, "error");
    }
  }

  fill(
    container,
    h("h1", { tabindex: "-1", text: "Approvals" }),
    h("p", { class: "muted", text: "Trainees' replies go public only once approved. The customer is waiting: the SLA runs until you decide." }),
    listBox,
  );
  load();
  const timer = setInterval(() => {
    // Do not redraw under a supervisor who is typing feedback.
    if (!listBox.contains(document.activeElement)) load();
  }, REFRESH_MS);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
