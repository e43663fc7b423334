// The escalation answer page (answer.html#<signed link>): a department reads what it was asked and
// answers; the answer becomes an internal note on the case. No sign-in: the link is the credential, and
// it is only ever sent to Heard's API. A changed or expired link is refused by the API with its reason.

import { fill, h } from "./dom.js";
import { formatDateTime } from "./format.js";

async function apiUrl() {
  const response = await fetch("config.json", { cache: "no-store" });
  if (!response.ok) throw new Error(`Cannot load the page's configuration (HTTP ${response.status}).`);
  const data = await response.json();
  return String(data.apiUrl || "").replace(/\/+$/, "");
}

async function call(base, path, options = {}) {
  const response = await fetch(`${base}${path}`, { ...options, headers: { "Content-Type": "application/json" } });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const detail = Array.isArray(data.detail) && data.detail.length ? "Write an answer (at most 4,000 characters)." : "";
    throw new Error(data.message || detail || `HTTP ${response.status}`);
  }
  return data;
}

function brief(page) {
  const c = page.case;
  return h(
    "dl",
    { class: "answer-brief" },
    h("dt", { text: "Question" }), h("dd", { class: "answer-question", text: page.question }),
    h("dt", { text: "Asked" }), h("dd", { text: `${formatDateTime(page.asked_at)}${page.urgent ? " · urgent" : ""}` }),
    h("dt", { text: "Customer's message" }), h("dd", { class: "answer-message", text: c.message }),
    h("dt", { text: "Case" }), h("dd", { text: `${page.case_id} · ${c.platform} ${c.channel} · topic ${c.topic} · P${c.priority}` }),
  );
}

function answered(page) {
  return h("div", { class: "answer-done", role: "status" },
    h("p", { text: `Answered ${formatDateTime(page.answered_at)}. Thank you: the case's owner has been told.` }),
    h("blockquote", { text: page.answer || "" }));
}

function form(base, token, page, main) {
  const text = h("textarea", { id: "answer-text", rows: 6, maxlength: 4000, required: "" });
  const error = h("p", { class: "form-error", role: "alert", id: "answer-error" });
  const send = h("button", { type: "submit", class: "button button-primary", text: "Send the answer" });
  const box = h("form", { id: "answer-form", novalidate: "" },
    h("div", { class: "field" }, h("label", { for: "answer-text", text: "Your answer (an internal note for the team; never shown to the customer)" }), text, error),
    send);
  box.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    send.disabled = true;
    try {
      await call(base, `/public/escalations/${encodeURIComponent(token)}/answer`, { method: "POST", body: JSON.stringify({ answer: text.value }) });
      show(main, base, token);
    } catch (failure) {
      error.textContent = failure.message;
      send.disabled = false;
      text.focus();
    }
  });
  return box;
}

async function show(main, base, token) {
  const page = await call(base, `/public/escalations/${encodeURIComponent(token)}`);
  document.title = `Escalation for ${page.asked_of.name} · Heard`;
  fill(main,
    h("h1", { text: `${page.company} asks ${page.asked_of.name}${page.asked_of.title ? ` (${page.asked_of.title})` : ""}` }),
    brief(page),
    page.answered ? answered(page) : form(base, token, page, main),
    h("p", { class: "muted", text: `This link is yours and works until ${formatDateTime(page.expires_at)}.` }));
}

async function start() {
  const main = document.getElementById("main");
  const token = decodeURIComponent(location.hash.replace(/^#/, ""));
  try {
    if (!token) throw new Error("This page needs the link from your escalation email or SMS.");
    await show(main, await apiUrl(), token);
  } catch (failure) {
    fill(main, h("h1", { text: "This link cannot be used" }), h("p", { class: "form-error", role: "alert", id: "answer-refused", text: failure.message }));
  }
}

start();
