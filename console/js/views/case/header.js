// The case's header: who, what, how urgent, the SLA and the messaging window, follow-ups. Each row is
// one entry of `caseDetailRows`, so a new fact about the case is one more row.

import { api } from "../../api.js";
import { topicLabel } from "../../caseview.js";
import { busy, h, notify } from "../../dom.js";
import { formatDateTime } from "../../format.js";
import { clock, priorityBadge, sentimentBadge, statusBadge, whereLabel } from "../widgets.js";

export function detail(term, ...value) {
  return h("div", { class: "detail" }, h("dt", { text: term }), h("dd", {}, ...value));
}

/** A follow-up; a due one gets "Mark done" for people who work cases. */
function followUpItem(followUp, { caseId, worker, onChange }) {
  const item = h("li", { text: `${followUp.label}: ${formatDateTime(followUp.due_at)} (${followUp.state}) ` });
  if (!worker || followUp.state !== "due") return item;
  const done = h("button", { type: "button", class: "button button-small", text: "Mark done" });
  done.setAttribute("aria-label", `Mark the ${followUp.label} follow-up done`);
  done.addEventListener("click", () =>
    busy(done, async () => {
      try {
        const label = encodeURIComponent(followUp.label);
        await api(`/cases/${encodeURIComponent(caseId)}/followups/${label}/done`, { method: "POST" });
        notify(`The ${followUp.label} follow-up is done.`, "success");
        await onChange();
      } catch (error) {
        notify(error.message, "error");
      }
    }),
  );
  item.append(done);
  return item;
}

function sentimentValue(kase) {
  return kase.first_sentiment && kase.first_sentiment !== kase.sentiment
    ? [sentimentBadge(kase.first_sentiment), " → ", sentimentBadge(kase.sentiment)]
    : [sentimentBadge(kase.sentiment)];
}

function slaValue(kase) {
  return [
    kase.first_response_at ? `${formatDateTime(kase.first_response_at)} · ` : null,
    kase.first_response_due && !kase.first_response_at ? `due ${formatDateTime(kase.first_response_due)} · ` : null,
    clock("sla", kase),
  ];
}

/** Snoozed and not yet woken (the snooze ends by itself at its time). */
export function snoozedUntil(kase, now = Date.now()) {
  return kase.status !== "resolved" && kase.snoozed_until && Date.parse(kase.snoozed_until) > now ? kase.snoozed_until : null;
}

/** Waiting on the customer, until they write again. */
export function waitingOnCustomer(kase) {
  return kase.status !== "resolved" && Boolean(kase.waiting_since) && Date.parse(kase.last_customer_at) <= Date.parse(kase.waiting_since);
}

/** Whether the customer gets the crisis's updates, and for people who work cases the switch (issue 17). */
function crisisUpdates(kase, options) {
  const out = Boolean(kase.updates_opt_out);
  const state = h("span", { id: "case-updates", class: "muted small", text: out ? " · no more crisis updates (the customer opted out)" : " · gets the crisis's updates" });
  if (!options || !options.worker) return state;
  const toggle = h("button", { type: "button", class: "button button-small", text: out ? "Send updates again" : "Customer opted out" });
  toggle.addEventListener("click", () =>
    busy(toggle, async () => {
      try {
        await api(`/cases/${encodeURIComponent(kase.case_id)}/updates-opt-out`, { method: "PUT", body: { opt_out: !out } });
        notify(out ? "The customer gets the crisis's updates again." : "The customer gets no more crisis updates.", "success");
        await options.onChange();
      } catch (error) {
        notify(error.message, "error");
      }
    }),
  );
  return h("span", {}, state, " ", toggle);
}

/** The header's rows, in order (null rows are left out). */
export function caseDetailRows(kase, options) {
  const reasons = kase.priority_reasons || [];
  const followups = kase.followups || [];
  return [
    detail("Status", h("span", { id: "case-status" }, statusBadge(kase.status))),
    kase.erased_at
      ? detail("Personal data", h("span", { id: "case-erased", class: "badge badge-danger", text: `erased on request ${formatDateTime(kase.erased_at)}` }), ` (${kase.erasure_id})`)
      : null,
    kase.resolution ? detail("Resolved as", h("span", { id: "case-resolution", text: kase.resolution.replaceAll("_", " ") })) : null,
    snoozedUntil(kase) ? detail("Snoozed until", h("span", { id: "case-snoozed", text: formatDateTime(kase.snoozed_until) })) : null,
    waitingOnCustomer(kase) ? detail("Waiting on the customer", h("span", { id: "case-waiting", text: `since ${formatDateTime(kase.waiting_since)}` })) : null,
    kase.tags && kase.tags.length ? detail("Tags", h("span", { id: "case-tags", text: kase.tags.join(", ") })) : null,
    detail("Owner", kase.owner || "nobody yet"),
    detail("Team", kase.team),
    detail("Priority", priorityBadge(kase.priority), reasons.length ? h("ul", { class: "reasons" }, reasons.map((r) => h("li", { text: r }))) : null),
    detail("Category", kase.category),
    detail("Sentiment", ...sentimentValue(kase)),
    detail("Topic", topicLabel(kase)),
    detail("Language", kase.language),
    options && options.confidences && Object.keys(options.confidences).length
      ? detail("Triage confidence", Object.entries(options.confidences).map(([field, value]) => `${field} ${Math.round(value * 100)}%`).join(" · "))
      : null,
    detail("Crisis", kase.crisis ? h("span", { class: "badge badge-danger", text: kase.crisis }) : "none", kase.crisis_id ? crisisUpdates(kase, options) : null),
    detail("Recommended action", kase.action),
    detail("Where", whereLabel(kase)),
    detail("First response", ...slaValue(kase)),
    kase.reply_window_until ? detail("Can reply until", `${formatDateTime(kase.reply_window_until)} · `, clock("window", kase)) : null,
    detail("Opened", formatDateTime(kase.opened_at)),
    kase.resolved_at ? detail("Resolved", formatDateTime(kase.resolved_at)) : null,
    detail("Follow-ups", followups.length ? h("ul", { class: "followups" }, followups.map((f) => followUpItem(f, options))) : "none"),
    kase.survey ? detail("Satisfaction survey", h("span", { id: "case-survey", text: surveyText(kase.survey) })) : null,
  ];
}

/** A case's survey in words: its kind, and its score, where it stands, or why it was not sent (R21). */
export function surveyText(survey) {
  const kind = survey.kind === "nps" ? "NPS" : "CSAT";
  const scale = survey.kind === "nps" ? "0-10" : "1-5";
  if (survey.state === "answered") return `${kind} ${survey.score} (${scale}), answered ${formatDateTime(survey.answered_at)}${survey.answered_by === "button" ? " with a quick-answer button" : ""}`;
  if (survey.state === "sent") return `${kind} sent ${formatDateTime(survey.sent_at)}${survey.via === "template" ? " (template)" : ""}, no answer yet`;
  if (survey.state === "skipped") return `${kind} not sent: ${survey.skipped_reason}`;
  return `${kind} scheduled for ${formatDateTime(survey.scheduled_for)}`;
}

/** The header as a definition list; options: {caseId, worker, onChange} (after a follow-up is done). */
export function caseDetails(kase, options) {
  return h("dl", { class: "details" }, caseDetailRows(kase, options));
}
