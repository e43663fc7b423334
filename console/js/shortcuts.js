// Keyboard shortcuts for people who work cases all day. Single keys, never while typing in a field or
// with Ctrl/⌘/Alt held, so they cannot collide with the browser's or a screen reader's own:
//   j / k   next / previous case of the last list you looked at (queue, my cases, search results)
//   r       write a reply (focus the reply box)          d   resolve the case (with the chosen reason)
//   e       escalate                                     /   search
//   ?       this list                                    Esc closes it

import { h } from "./dom.js";
import { caseHref, parseRoute } from "./route.js";
import { openDialog } from "./views/dialog.js";

const LIST_KEY = "heard.caseList";

export const SHORTCUTS = [
  ["j", "Next case in the last list"],
  ["k", "Previous case in the last list"],
  ["r", "Write a reply"],
  ["d", "Resolve the case"],
  ["e", "Escalate the case"],
  ["/", "Search"],
  ["?", "Show these shortcuts"],
];

/** Remember the cases a list shows, in order, for j / k (one per tab). */
export function rememberCaseList(caseIds) {
  try {
    sessionStorage.setItem(LIST_KEY, JSON.stringify(caseIds.slice(0, 500)));
  } catch {
    // Storage full or disabled: j / k simply have no list.
  }
}

function caseList() {
  try {
    return JSON.parse(sessionStorage.getItem(LIST_KEY) || "[]");
  } catch {
    return [];
  }
}

/** The case `step` away from the one on screen in the remembered list (the first one from a list page). */
export function neighbour(list, current, step) {
  if (!list.length) return null;
  const at = list.indexOf(current);
  if (at === -1) return step > 0 ? list[0] : null;
  return list[at + step] ?? null;
}

function typingInField(target) {
  return Boolean(target && (target.closest("input, textarea, select, [contenteditable=''], [contenteditable='true']") || target.closest("dialog")));
}

function showHelp() {
  if (document.querySelector("dialog.shortcuts")) return;
  openDialog({
    title: "Keyboard shortcuts",
    className: "shortcuts",
    build: (form, close) => {
      form.append(
        h("dl", { class: "shortcut-list" }, SHORTCUTS.map(([key, what]) => [h("dt", {}, h("kbd", { text: key })), h("dd", { text: what })])),
        h("button", { type: "button", class: "button", text: "Close", onclick: () => close() }),
      );
    },
    onSubmit: (_form, close) => close(),
  });
}

function clickIfShown(id) {
  const button = document.getElementById(id);
  if (button && !button.hidden && !button.disabled) button.click();
  return Boolean(button);
}

function go(step) {
  const route = parseRoute(location.hash);
  const next = neighbour(caseList(), route.name === "case" ? route.params.id : null, step);
  if (next) location.hash = caseHref(next);
}

const ACTIONS = {
  j: () => go(1),
  k: () => go(-1),
  r: () => document.getElementById("reply-text")?.focus(),
  d: () => clickIfShown("resolve"),
  e: () => clickIfShown("escalate"),
  "/": () => {
    const box = document.getElementById("search-q");
    if (box) box.focus();
    else location.hash = "#/search";
  },
  "?": showHelp,
};

export function installShortcuts() {
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    if (typingInField(event.target) || !document.getElementById("nav") || document.getElementById("nav").hidden) return;
    const action = ACTIONS[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  });
}
