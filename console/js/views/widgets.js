// Small pieces shared by the views: badges, live countdowns, the case table.

import { h } from "../dom.js";
import {
  channelLabel,
  formatDateTime,
  platformLabel,
  priorityLabel,
  replyWindowState,
  slaState,
  waitingLabel,
} from "../format.js";
import { caseHref } from "../route.js";
import { rememberCaseList } from "../shortcuts.js";

// Every countdown on the page remembers its case; the shell's one-second tick refreshes them all.
const clocks = new Map();

function renderClock(el) {
  const entry = clocks.get(el);
  if (!entry) return;
  const now = Date.now();
  if (entry.kind === "sla") {
    const state = slaState(entry.kase, now);
    el.textContent = state.label;
    el.className = `clock sla sla-${state.kind}`;
    el.dataset.breached = String(state.breached);
  } else if (entry.kind === "waiting") {
    el.textContent = waitingLabel(entry.kase, now) || "—";
  } else if (entry.kind === "window") {
    const state = replyWindowState(entry.kase, now);
    el.textContent = state ? state.label : "no limit";
    el.className = `clock window ${state && !state.open ? "window-closed" : ""}`;
  }
}

export function clock(kind, kase) {
  const el = h("span", { class: "clock" });
  clocks.set(el, { kind, kase });
  renderClock(el);
  return el;
}

export function tickClocks() {
  for (const el of clocks.keys()) {
    if (!el.isConnected) clocks.delete(el);
    else renderClock(el);
  }
}

export function priorityBadge(priority) {
  return h("span", { class: `badge priority priority-${priority}`, text: priorityLabel(priority) });
}

export function sentimentBadge(sentiment) {
  return h("span", { class: `badge sentiment sentiment-${sentiment}`, text: sentiment || "unknown" });
}

export function statusBadge(status) {
  return h("span", { class: `badge status-badge status-${status}`, text: status });
}

export function customerName(customer) {
  if (!customer) return "unknown";
  const handle = customer.handle ? `@${customer.handle}` : null;
  return [customer.name, handle].filter(Boolean).join(" ") || customer.id;
}

export function whereLabel(kase) {
  return `${platformLabel(kase.platform)} · ${channelLabel(kase.channel)}`;
}

/** Cells are labelled with data-label so narrow screens can show each row as a card. */
function cell(label, ...children) {
  return h("td", { "data-label": label }, h("div", { class: "cell" }, ...children));
}

/** A table of cases; `caption` names it for assistive technology. */
export function caseTable(cases, { caption, empty }) {
  if (!cases.length) return h("p", { class: "empty", text: empty });
  rememberCaseList(cases.map((kase) => kase.case_id)); // j / k walk the last list shown

  const head = ["Priority", "Case", "Customer", "Where", "Category", "Sentiment", "Status", "Waiting", "SLA"];
  return h(
    "table",
    { class: "cases" },
    h("caption", { class: "visually-hidden", text: caption }),
    h("thead", {}, h("tr", {}, head.map((title) => h("th", { scope: "col", text: title })))),
    h(
      "tbody",
      {},
      cases.map((kase) =>
        h(
          "tr",
          { dataset: { caseId: kase.case_id } },
          cell("Priority", priorityBadge(kase.priority)),
          cell(
            "Case",
            h("a", { href: caseHref(kase.case_id), class: "case-link", text: kase.summary || "(no text)" }),
            h("div", { class: "muted small", text: `opened ${formatDateTime(kase.opened_at)}` }),
          ),
          cell("Customer", customerName(kase.customer)),
          cell("Where", whereLabel(kase)),
          cell("Category", kase.category),
          cell("Sentiment", sentimentBadge(kase.sentiment)),
          cell("Status", statusBadge(kase.status), kase.owner ? h("div", { class: "muted small", text: kase.owner }) : null),
          cell("Waiting", clock("waiting", kase)),
          cell("SLA", clock("sla", kase)),
        ),
      ),
    ),
  );
}
