// The whole conversation behind a reply awaiting approval (issue #10): a supervisor judges the reply
// against everything the customer said and was told, not only the first message. Loaded when opened.

import { api } from "../api.js";
import { fill, h } from "../dom.js";
import { formatDateTime, sortTimeline } from "../format.js";

const SHOWN = new Set(["message_in", "reply", "agent_echo"]);

function line(entry) {
  const who = entry.kind === "message_in" ? "Customer" : entry.actor;
  return h("li", { class: `thread-${entry.kind}` }, h("strong", { text: who }), " · ", h("time", { datetime: entry.at, text: formatDateTime(entry.at) }), h("p", { text: entry.text }));
}

/** A closed <details> that fetches and lists the case's messages and replies the first time it opens. */
export function conversationDetails(caseId, replyId) {
  const list = h("ol", { class: "approval-thread", "aria-busy": "true" }, h("li", { text: "Loading the conversation…" }));
  const el = h("details", { class: "approval-conversation" }, h("summary", { text: "The whole conversation" }), list);
  let loaded = false;
  el.addEventListener("toggle", async () => {
    if (!el.open || loaded) return;
    loaded = true;
    try {
      const { data } = await api(`/cases/${encodeURIComponent(caseId)}`);
      const entries = sortTimeline(data.timeline || []).filter((e) => SHOWN.has(e.kind) && e.entry_id !== replyId);
      fill(list, entries.length ? entries.map(line) : [h("li", { text: "Nothing else was said." })]);
    } catch (error) {
      loaded = false;
      fill(list, h("li", { text: `The conversation could not be loaded: ${error.message}` }));
    }
    list.removeAttribute("aria-busy");
  });
  return el;
}
