// Building the page without innerHTML: every piece of text goes through textContent, so nothing a
// customer writes on a social network can ever become markup or script here.

/**
 * Create an element. `attrs` keys: "class", "text" (textContent), "on<event>" (listener),
 * "dataset" (object), booleans (set when true, omitted when false), anything else as an attribute.
 * Children are nodes or strings (strings become text nodes); null/undefined/false are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "text") el.textContent = String(value);
    else if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const statusEl = () => document.getElementById("status");
const alertEl = () => document.getElementById("alert");

let noticeAt = 0;

/** Announce a message: politely for information, assertively (role=alert) for errors. */
export function notify(message, kind = "info") {
  noticeAt = Date.now();
  const polite = statusEl();
  const urgent = alertEl();
  if (!polite || !urgent) return;
  if (kind === "error") {
    polite.textContent = "";
    polite.className = "status";
    urgent.textContent = message;
  } else {
    urgent.textContent = "";
    polite.className = `status status-${kind}`;
    polite.textContent = message;
  }
}

export function clearNotice() {
  notify("");
}

/** Clear a message left over from an earlier page (one set just now, e.g. "you own this case", stays). */
export function clearStaleNotice(maxAgeMs = 1500) {
  if (Date.now() - noticeAt > maxAgeMs) clearNotice();
}

/** Run an async action with its button disabled and marked busy, so it cannot be sent twice. */
export async function busy(button, action) {
  const label = button.textContent;
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  try {
    return await action();
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
    button.textContent = label;
  }
}
