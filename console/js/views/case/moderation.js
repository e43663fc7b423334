// Moderation on the platform (issue #16): hide or unhide the customer's comment, delete the brand's own
// reply, block or unblock the customer, as far as the case's platform allows (the case's `moderation`
// says what). Each action is recorded on the timeline with its undo.

import { api } from "../../api.js";
import { busy, fill, h, notify } from "../../dom.js";

const PUBLIC = new Set(["comment", "post", "mention"]);

/** The actions to offer for `kase` as [action, label, message_id], from what the platform allows. */
export function moderationChoices(kase, timeline) {
  const allowed = new Set(kase.moderation || []);
  const theirs = timeline.filter((e) => e.kind === "message_in" && e.data && e.data.platform_id).map((e) => e.data.platform_id);
  const latest = theirs[theirs.length - 1];
  const choices = [];
  if (latest && PUBLIC.has(kase.channel)) {
    const hidden = (kase.hidden_ids || []).includes(latest);
    if (hidden && allowed.has("unhide")) choices.push(["unhide", "Unhide comment", latest]);
    if (!hidden && allowed.has("hide")) choices.push(["hide", "Hide comment", latest]);
  }
  const ours = timeline.filter((e) => e.kind === "reply" && e.data && e.data.platform_message_id).pop();
  const deleted = new Set(timeline.filter((e) => e.kind === "moderated" && e.data.action === "delete").map((e) => e.data.target_id));
  if (ours && allowed.has("delete") && !deleted.has(ours.data.platform_message_id)) {
    choices.push(["delete", "Delete our reply", ours.data.platform_message_id]);
  }
  if (kase.author_blocked && allowed.has("unblock")) choices.push(["unblock", "Unblock customer", null]);
  if (!kase.author_blocked && allowed.has("block")) choices.push(["block", "Block customer", null]);
  return choices;
}

export function moderationPanel({ caseId, onChange }) {
  const box = h("div", { class: "actions" });
  const el = h("section", { class: "moderation-panel", "aria-labelledby": "moderation-title", hidden: true }, h("h2", { id: "moderation-title", text: "Moderation" }), box);

  function button(action, label, messageId) {
    const b = h("button", { type: "button", class: "button", dataset: { action }, text: label });
    b.addEventListener("click", () =>
      busy(b, async () => {
        try {
          const body = messageId ? { action, message_id: messageId } : { action };
          await api(`/cases/${encodeURIComponent(caseId)}/moderation`, { method: "POST", body });
          notify(`${label}: done on the platform.`, "success");
          await onChange();
        } catch (error) {
          notify(error.message, "error");
        }
      }),
    );
    return b;
  }

  function update(kase, timeline) {
    const choices = moderationChoices(kase, timeline);
    el.hidden = !choices.length;
    fill(box, ...choices.map(([action, label, messageId]) => button(action, label, messageId)));
  }
  return { el, update };
}
