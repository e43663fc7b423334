// The Satisfaction and Contacts views' pure parts (console/js/views/surveys.js, contacts.js, case header).
import assert from "node:assert/strict";
import { test } from "node:test";

import "./with-meta.mjs";

import { periodQuery, scoreText } from "../../../console/js/views/surveys.js";
import { preferenceProblems } from "../../../console/js/views/contacts.js";
import { surveyText } from "../../../console/js/views/case/header.js";
import { parseRoute } from "../../../console/js/route.js";

test("a period picked as two days covers both whole days in UTC", () => {
  assert.equal(periodQuery("2026-11-01", "2026-11-30"), "start=2026-11-01T00%3A00%3A00Z&end=2026-11-30T23%3A59%3A59Z");
});

test("CSAT reads as a percentage and NPS as a signed number", () => {
  assert.equal(scoreText("csat", 87.5), "87.5%");
  assert.equal(scoreText("nps", 40), "+40");
  assert.equal(scoreText("nps", -12.4), "-12");
});

test("a case's survey says its score, where it stands, or why it was not sent", () => {
  assert.match(surveyText({ kind: "nps", state: "answered", score: 9, answered_at: "2026-11-17T10:00:00Z" }), /^NPS 9 \(0-10\)/);
  assert.match(surveyText({ kind: "csat", state: "skipped", skipped_reason: "window closed" }), /CSAT not sent: window closed/);
  assert.match(surveyText({ kind: "csat", state: "sent", via: "template", sent_at: "2026-11-17T10:00:00Z" }), /\(template\), no answer yet/);
});

test("a bad email or phone is named next to its field before anything is sent", () => {
  assert.deepEqual(preferenceProblems({ email: "a@b.c", phone: "+447700900123", sms_for: ["sla_breach"] }), {});
  assert.match(preferenceProblems({ email: "nope", phone: null, sms_for: [] }).email, /email/);
  assert.match(preferenceProblems({ email: "a@b.c", phone: "0770", sms_for: [] }).phone, /international/);
  assert.match(preferenceProblems({ email: "a@b.c", phone: null, sms_for: ["urgent_escalation"] }).phone, /needs a phone/);
});

test("the new pages have their routes", () => {
  assert.equal(parseRoute("#/satisfaction").name, "satisfaction");
  assert.equal(parseRoute("#/contacts").name, "contacts");
});
