// My notifications: a list, newest first, that marks what I have read; and the unread count beside the
// "Notifications" link and in the tab's title ("(2) Queue · Heard"), refreshed every 30 seconds.

import { api } from "../api.js";
import { busy, fill, h, notify } from "../dom.js";
import { formatDateTime } from "../format.js";
import { caseHref } from "../route.js";

const POLL_MS = 30_000;
let unread = 0;
let timer = null;
let titleWatch = null;

const LABELS = {
  handed_to_you: "Handed to you",
  mentioned: "Mentioned",
  reply_approved: "Reply approved",
  reply_rejected: "Reply sent back",
  reply_failed: "Reply not sent",
  followup_due: "Follow-up due",
  report_ready: "Report ready",
  report_failed: "Report failed",
};

/** "(3) Queue · Heard" for 3 unread; the bare title for none (and any earlier count removed). */
export function titleWithCount(title, count) {
  const bare = String(title || "").replace(/^\(\d+\+?\) /, "");
  return count > 0 ? `(${count >= 50 ? "50+" : count}) ${bare}` : bare;
}

function showCount(count) {
  unread = count;
  const badge = document.getElementById("unread-count");
  if (badge) {
    badge.textContent = count > 0 ? String(count >= 50 ? "50+" : count) : "";
    badge.hidden = count === 0;
  }
  const link = document.getElementById("notifications-link");
  if (link) link.setAttribute("aria-label", count > 0 ? `Notifications, ${count} unread` : "Notifications");
  const wanted = titleWithCount(document.title, count);
  if (document.title !== wanted) document.title = wanted;
}

export async function refreshUnread() {
  try {
    const { data } = await api("/me/notifications");
    showCount(data.unread);
    return data;
  } catch {
    return null; // a failed poll shows the last known count; the next one tries again
  }
}

/** Start counting for the signed-in user: poll, and keep the count in the title whatever a view sets. */
export function mountUnread() {
  if (timer) return;
  refreshUnread();
  timer = setInterval(() => {
    if (document.visibilityState === "visible") refreshUnread();
  }, POLL_MS);
  const titleEl = document.querySelector("title");
  titleWatch = new MutationObserver(() => {
    const wanted = titleWithCount(document.title, unread);
    if (document.title !== wanted) document.title = wanted;
  });
  titleWatch.observe(titleEl, { childList: true, characterData: true, subtree: true });
}

export function unmountUnread() {
  clearInterval(timer);
  timer = null;
  if (titleWatch) titleWatch.disconnect();
  titleWatch = null;
  showCount(0);
}

function item(n) {
  return h(
    "li",
    { class: `notification${n.read_at ? "" : " notification-unread"}`, dataset: { kind: n.kind, id: n.notification_id } },
    h("span", { class: "badge", text: LABELS[n.kind] || n.kind.replaceAll("_", " ") }),
    n.read_at ? null : h("span", { class: "badge badge-new", text: "new" }),
    " ",
    h("time", { datetime: n.at, text: formatDateTime(n.at) }),
    h("p", { text: n.text }),
    n.case_id ? h("a", { href: caseHref(n.case_id), text: "Open the case" }) : null,
    n.kind === "report_ready" || n.kind === "report_failed" ? h("a", { href: "#/reports", text: "Open Reports" }) : null,
  );
}

export function renderNotifications(container) {
  document.title = "Notifications · Heard";
  const list = h("ul", { id: "notifications", class: "notification-list", "aria-live": "polite" });
  const markAll = h("button", { type: "button", id: "mark-all-read", class: "button", text: "Mark all read" });
  async function load() {
    const data = await refreshUnread();
    if (!data) {
      fill(list, h("li", { class: "empty", text: "Notifications could not be loaded. Try again shortly." }));
      return;
    }
    markAll.hidden = data.unread === 0;
    fill(list, data.items.length ? data.items.map(item) : h("li", { class: "empty", text: "Nothing yet. You will hear here when a case is handed to you or a colleague mentions you." }));
  }
  markAll.addEventListener("click", () =>
    busy(markAll, async () => {
      try {
        const { data } = await api("/me/notifications/read", { method: "POST" });
        showCount(data.unread);
        notify("All notifications marked read.", "success");
        await load();
      } catch (error) {
        notify(error.message, "error");
      }
    }),
  );
  fill(container, h("div", { class: "page-head" }, h("h1", { tabindex: "-1", text: "Notifications" }), h("div", { class: "actions" }, markAll)), list);
  load();
  return null;
}
