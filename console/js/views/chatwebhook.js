// The chat notifier (issue #17), in the admin console: urgent escalations and crises posted to a Slack or
// Teams channel through an incoming webhook. The URL is a secret: it is sent (PUT
// /api/integrations/chat-webhook) but never shown back, only whether one is set and its host. A test
// message (POST .../test) shows whether it was delivered and what the webhook answered.

import { api } from "../api.js";
import { busy, fill, h, notify } from "../dom.js";
import { showProblems } from "../fielderrors.js";

export const CHAT_EVENTS = [
  ["Case Escalated", "Urgent escalations"],
  ["SLA Breached", "First responses overdue"],
  ["Crisis Declared", "Crises declared"],
  ["Crisis Updated", "Crisis statements updated"],
  ["Crisis Ended", "Crises ended"],
];

/** The request body for the form's values; an empty URL keeps the one set. */
export function chatRequest({ url, enabled, kind, events }) {
  const body = { enabled: Boolean(enabled), kind, events };
  if (String(url || "").trim()) body.url = String(url).trim();
  return body;
}

/** What the admin sees of the webhook in force. */
export function chatSummary(state) {
  if (!state.configured) return "No webhook is set.";
  const on = state.enabled ? "on" : "off";
  return `A ${state.kind === "teams" ? "Teams" : "Slack"} webhook on ${state.host} is set; the notifier is ${on}.`;
}

/** How a test message went, in words. */
export function trialText(trial) {
  return trial.delivered ? `Delivered to ${trial.host} (answered ${trial.status}).` : `Not delivered to ${trial.host}: ${trial.error}.`;
}

function field(id, label, control) {
  return h("div", { class: "field" }, h("label", { for: id, text: label }), control);
}

function settingsForm(state, summary) {
  const url = h("input", { id: "chat-url", type: "url", autocomplete: "off", placeholder: "https://hooks.slack.com/services/…", dataset: { path: "url" } });
  const kind = h("select", { id: "chat-kind", dataset: { path: "kind" } }, h("option", { value: "slack", text: "Slack" }), h("option", { value: "teams", text: "Microsoft Teams" }));
  kind.value = state.kind;
  const enabled = h("input", { type: "checkbox", id: "chat-enabled" });
  enabled.checked = state.enabled;
  const boxes = CHAT_EVENTS.map(([value, text]) => {
    const box = h("input", { type: "checkbox", name: "chat-event", value });
    box.checked = state.events.includes(value);
    return h("label", { class: "check" }, box, ` ${text}`);
  });
  const general = h("p", { class: "form-error", role: "alert" });
  const save = h("button", { type: "submit", class: "button button-primary", text: "Save chat notifier" });
  const form = h(
    "form",
    { id: "chat-form" },
    field("chat-url", "Incoming webhook URL (leave empty to keep the one set)", url),
    field("chat-kind", "Kind", kind),
    h("label", { class: "check" }, enabled, " Post to the channel"),
    h("fieldset", { dataset: { path: "events" } }, h("legend", { text: "What is posted" }), ...boxes),
    general,
    save,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const events = [...form.querySelectorAll("input[name=chat-event]")].filter((b) => b.checked).map((b) => b.value);
    busy(save, async () => {
      try {
        const { data } = await api("/integrations/chat-webhook", {
          method: "PUT",
          body: chatRequest({ url: url.value, enabled: enabled.checked, kind: kind.value, events }),
        });
        url.value = "";
        showProblems(form, [], general);
        fill(summary, chatSummary(data));
        notify("Chat notifier saved.", "success");
      } catch (error) {
        showProblems(form, error.detail, general);
        if (!error.detail.length) general.textContent = error.message;
      }
    });
  });
  return form;
}

function testForm() {
  const send = h("button", { type: "submit", class: "button", text: "Send a test message" });
  const result = h("p", { id: "chat-test-result", "aria-live": "polite" });
  const form = h("form", { id: "chat-test" }, send, result);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(send, async () => {
      try {
        const { data } = await api("/integrations/chat-webhook/test", { method: "POST" });
        fill(result, h("span", { class: data.delivered ? "status-success" : "form-error", text: trialText(data) }));
      } catch (error) {
        fill(result, h("span", { class: "form-error", text: `Not delivered: ${error.message}` }));
      }
    });
  });
  return form;
}

export async function mountChatWebhook(box) {
  const { data } = await api("/integrations/chat-webhook");
  const summary = h("p", { id: "chat-summary", text: chatSummary(data) });
  fill(
    box,
    h("h2", { id: "chat-heading", text: "Chat notifier" }),
    h("p", { class: "muted", text: "Urgent escalations and crises posted to a Slack or Teams channel. Only ids, states and a link go out, never what a customer wrote." }),
    summary,
    settingsForm(data, summary),
    testForm(),
  );
}
