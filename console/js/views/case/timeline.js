// The case's whole story in time order: customer messages, replies with their delivery state, events.

import { dataLines } from "../../caseview.js";
import { fill, h } from "../../dom.js";
import { deliveryLabel, deliveryState, describeEntry, formatDateTime, isAutomatic, sortTimeline } from "../../format.js";

function entryHead(entry, { label, badges }, state, data) {
  return h(
    "div",
    { class: "entry-head" },
    h("span", { class: "entry-label", text: label }),
    entry.actor && entry.actor !== "system" && !badges.includes(entry.actor) ? h("span", { class: "entry-actor", text: entry.actor }) : null,
    badges.map((badge) => h("span", { class: `badge entry-badge${badge === entry.actor ? " badge-bot" : ""}`, text: badge })),
    h("time", { datetime: entry.at, text: formatDateTime(entry.at) }),
    state ? h("span", { class: `badge delivery delivery-${state}`, text: deliveryLabel(state) }) : null,
    entry.kind === "reply" && data.private ? h("span", { class: "badge", text: "private" }) : null,
  );
}

/** What the pre-send check said about a reply sent anyway (R13); the API gives it to people who work
 * cases and supervisors only, never to a reviewer. */
function presendFindings(entry) {
  const findings = entry.kind === "reply" && Array.isArray(entry.data?.presend) ? entry.data.presend : [];
  if (!findings.length) return null;
  return h(
    "div",
    { class: "entry-presend hint hint-warn" },
    h("strong", { text: "Sent despite: " }),
    h("ul", {}, findings.map((f) => h("li", { dataset: { code: f.code }, text: f.message }))),
  );
}

export function timelineItem(entry) {
  const described = describeEntry(entry);
  const { side, variant } = described;
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
    entryHead(entry, described, state, data),
    entry.text ? h("p", { class: "entry-text", text: entry.text }) : null,
    presendFindings(entry),
    lines.length ? h("ul", { class: "entry-data" }, lines.map((line) => h("li", { text: line }))) : null,
  );
}

/** The timeline panel; `show(entries)` redraws it. */
export function timelinePanel() {
  const list = h("ol", { id: "timeline", class: "timeline", "aria-label": "Case timeline, oldest first" });
  const el = h("section", { class: "timeline-panel", "aria-labelledby": "timeline-title" }, h("h2", { id: "timeline-title", text: "Timeline" }), list);
  function show(entries) {
    if (!entries.length) fill(list, h("li", { class: "empty", text: "No history yet." }));
    else fill(list, sortTimeline(entries).map(timelineItem));
  }
  return { el, show };
}
