// What the agent needs around the conversation (issue #10): the post a comment was written under, and
// whether the conversation can go on — why a reply would be refused now (closed messaging window, a
// resolved case), a reply that goes as the approved template (WhatsApp), a follow-up that came due, and
// until when a resolved case is reached by its customer writing again.

import { fill, h } from "../../dom.js";
import { formatDateTime } from "../../format.js";

function parentPost(post) {
  if (!post) return null;
  const what = post.url ? h("a", { href: post.url, target: "_blank", rel: "noopener noreferrer", text: `post ${post.id}` }) : h("span", { text: `post ${post.id}` });
  return h("p", { id: "parent-post", class: "hint" }, "Written under ", what);
}

/** The lines about whether and how the customer can be answered now (empty when nothing to say). */
export function conversationNotes(kase, reopensUntil) {
  const notes = [];
  if (kase.reply_refusal) notes.push({ id: "reply-refusal", warn: true, text: `No reply possible here: ${kase.reply_refusal}.` });
  if (kase.follow_up_due) notes.push({ id: "follow-up-due", warn: false, text: `The ${kase.follow_up_due} follow-up is due: you can message the customer from here.` });
  if (kase.reply_by_template) notes.push({ id: "reply-template", warn: false, text: "More than 24 hours since the customer wrote: your reply goes as the approved WhatsApp template." });
  if (kase.status === "resolved" && reopensUntil) {
    notes.push({ id: "reopens-until", warn: false, text: `If the customer writes before ${formatDateTime(reopensUntil)}, this case reopens for ${kase.owner || "its team's queue"}.` });
  }
  return notes;
}

/** The context panel; `update(kase, reopensUntil)` redraws it. */
export function contextPanel() {
  const el = h("section", { class: "case-context", "aria-label": "Conversation context" });
  function update(kase, reopensUntil) {
    const notes = conversationNotes(kase, reopensUntil).map((n) => h("p", { id: n.id, class: n.warn ? "hint hint-warn" : "hint", text: n.text }));
    fill(el, parentPost(kase.parent_post), ...notes);
    el.hidden = !el.childElementCount;
  }
  return { el, update };
}
