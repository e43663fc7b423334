// The chat notifier's admin form, its pure parts (console/js/views/chatwebhook.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import "./with-meta.mjs";

import { CHAT_EVENTS, chatRequest, chatSummary, trialText } from "../../../console/js/views/chatwebhook.js";

test("an empty URL keeps the one set; a typed one is sent trimmed", () => {
  assert.deepEqual(chatRequest({ url: "  ", enabled: true, kind: "teams", events: ["Crisis Declared"] }), {
    enabled: true,
    kind: "teams",
    events: ["Crisis Declared"],
  });
  assert.equal(chatRequest({ url: " https://hooks.slack.com/x ", enabled: false, kind: "slack", events: [] }).url, "https://hooks.slack.com/x");
});

test("the summary names the kind and host, never a URL", () => {
  assert.equal(chatSummary({ configured: false }), "No webhook is set.");
  assert.equal(chatSummary({ configured: true, host: "hooks.slack.com", kind: "slack", enabled: true }), "A Slack webhook on hooks.slack.com is set; the notifier is on.");
  assert.equal(chatSummary({ configured: true, host: "x.webhook.office.com", kind: "teams", enabled: false }), "A Teams webhook on x.webhook.office.com is set; the notifier is off.");
});

test("every event the API accepts can be chosen", () => {
  assert.deepEqual(CHAT_EVENTS.map(([value]) => value), ["Case Escalated", "SLA Breached", "Crisis Declared", "Crisis Updated", "Crisis Ended"]);
});

test("a test message reads as delivered or not, with the reason", () => {
  assert.equal(trialText({ delivered: true, status: 200, host: "hooks.slack.com" }), "Delivered to hooks.slack.com (answered 200).");
  assert.equal(trialText({ delivered: false, status: null, host: "hooks.slack.com", error: "the chat webhook answered 500" }), "Not delivered to hooks.slack.com: the chat webhook answered 500.");
});
