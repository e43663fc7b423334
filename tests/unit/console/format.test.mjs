// Pure helpers of the console (console/js/format.js, console/js/route.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import "./with-meta.mjs";

import {
  canSeeReports,
  canWork,
  cognitoErrorMessage,
  countChars,
  decodeJwtPayload,
  deliveryState,
  formatDuration,
  replyLimit,
  replyWindowState,
  slaState,
  sortTimeline,
  timelineSide,
  waitingLabel,
} from "../../../console/js/format.js";
import { caseHref, parseRoute } from "../../../console/js/route.js";

const NOW = Date.parse("2026-03-02T10:00:00Z");
const open = (fields) => ({ status: "assigned", first_response_at: null, sla_breached: false, ...fields });

test("durations show the two largest units", () => {
  assert.equal(formatDuration(0), "0s");
  assert.equal(formatDuration(12_000), "12s");
  assert.equal(formatDuration(65_000), "1m 5s");
  assert.equal(formatDuration(3_600_000), "1h");
  assert.equal(formatDuration(3_601_000), "1h"); // seconds do not matter beside hours
  assert.equal(formatDuration(93_780_000), "1d 2h");
  assert.equal(formatDuration(-90_000), "1m 30s"); // magnitude only; callers say "overdue"
});

test("an unanswered case counts down to its first response due time", () => {
  // Given a case due in 42 minutes, When we ask its SLA state, Then it is counting down
  const state = slaState(open({ first_response_due: "2026-03-02T10:42:00Z" }), NOW);
  assert.deepEqual(state, { kind: "due", label: "due in 42m", breached: false });
});

test("a case past its due time is breached and says by how much", () => {
  const state = slaState(open({ first_response_due: "2026-03-02T09:55:00Z" }), NOW);
  assert.equal(state.kind, "breached");
  assert.equal(state.label, "overdue by 5m");
  assert.equal(state.breached, true);
});

test("a later customer message awaiting an answer counts down on reply_due", () => {
  const kase = open({
    first_response_due: "2026-03-02T08:00:00Z",
    first_response_at: "2026-03-02T07:30:00Z",
    reply_due: "2026-03-02T10:30:00Z",
  });
  assert.equal(slaState(kase, NOW).label, "due in 30m");
});

test("answered cases show whether the first response was in time", () => {
  const inTime = open({ first_response_due: "2026-03-02T09:00:00Z", first_response_at: "2026-03-02T08:10:00Z" });
  const late = open({ first_response_due: "2026-03-02T09:00:00Z", first_response_at: "2026-03-02T09:10:00Z", sla_breached: true });
  assert.equal(slaState(inTime, NOW).kind, "met");
  assert.equal(slaState(late, NOW).kind, "late");
  assert.equal(slaState(late, NOW).breached, true);
});

test("resolved cases and cases without an SLA do not count down", () => {
  assert.equal(slaState({ status: "resolved", first_response_due: "2026-03-02T09:00:00Z" }, NOW).kind, "none");
  assert.equal(slaState(open({}), NOW).kind, "none");
});

test("waiting time runs from the customer's last message while the case is open", () => {
  assert.equal(waitingLabel(open({ last_customer_at: "2026-03-02T09:15:00Z" }), NOW), "45m");
  assert.equal(waitingLabel({ status: "resolved", last_customer_at: "2026-03-02T09:15:00Z" }, NOW), "");
});

test("the messaging window says how long a reply is still possible", () => {
  assert.deepEqual(replyWindowState({ reply_window_until: "2026-03-02T12:00:00Z" }, NOW), { open: true, label: "open for 2h" });
  assert.equal(replyWindowState({ reply_window_until: "2026-03-02T09:00:00Z" }, NOW).open, false);
  assert.equal(replyWindowState({}, NOW), null);
});

test("X replies are limited to 280 characters, counted as people see them", () => {
  assert.equal(replyLimit("x"), 280);
  assert.equal(replyLimit("facebook"), null);
  assert.equal(countChars("héllo 👋"), 7); // the emoji is one character, not two UTF-16 units
});

test("the timeline is in time order and keeps the API's order for ties", () => {
  const entries = [
    { entry_id: "c", at: "2026-03-02T09:02:00Z" },
    { entry_id: "a", at: "2026-03-02T09:00:00Z" },
    { entry_id: "b1", at: "2026-03-02T09:01:00Z" },
    { entry_id: "b2", at: "2026-03-02T09:01:00Z" },
  ];
  assert.deepEqual(sortTimeline(entries).map((e) => e.entry_id), ["a", "b1", "b2", "c"]);
});

test("timeline entries sit on the customer's, the agent's or the system's side", () => {
  assert.equal(timelineSide("message_in"), "customer");
  assert.equal(timelineSide("reply"), "agent");
  assert.equal(timelineSide("routed"), "system");
  assert.equal(deliveryState({ kind: "reply", data: { delivery: "sent" } }), "sent");
  assert.equal(deliveryState({ kind: "reply", data: {} }), "queued");
});

test("a JWT payload decodes, including non-ASCII names", () => {
  const payload = { email: "núñez@heard.local", "cognito:groups": ["agent"] };
  const part = Buffer.from(JSON.stringify(payload)).toString("base64url");
  assert.deepEqual(decodeJwtPayload(`h.${part}.s`), payload);
  assert.throws(() => decodeJwtPayload("not-a-token"));
});

test("Cognito errors become messages people understand", () => {
  assert.equal(cognitoErrorMessage("NotAuthorizedException", "Incorrect username or password."), "Wrong email or password.");
  assert.equal(cognitoErrorMessage("com.amazonaws#UserNotFoundException"), "Wrong email or password.");
  assert.match(cognitoErrorMessage("TooManyRequestsException"), /Too many attempts/);
  assert.equal(cognitoErrorMessage("Weird", "boom"), "Sign-in failed: boom");
});

test("roles decide who works cases and who sees reports", () => {
  assert.equal(canWork(["agent"]), true);
  assert.equal(canWork(["reviewer"]), false);
  assert.equal(canSeeReports(["agent"]), false);
  assert.equal(canSeeReports(["supervisor"]), true);
  assert.equal(canSeeReports(["admin"]), true);
});

test("hash routes map to views", () => {
  assert.equal(parseRoute("").name, "queue");
  assert.equal(parseRoute("#/queue?status=assigned").query.status, "assigned");
  assert.deepEqual(parseRoute("#/cases/c%2F1").params, { id: "c/1" });
  assert.equal(parseRoute("#/cases/%E0%A4%A").params.id, "%E0%A4%A"); // malformed escape: no crash
  assert.equal(parseRoute("#/reports").name, "reports");
  assert.equal(parseRoute("#/nope").name, "notfound");
  assert.equal(caseHref("c/1"), "#/cases/c%2F1");
});

test("the audit trail is offered to auditors and admins only", async () => {
  const { canAudit } = await import("../../../console/js/format.js");
  assert.equal(canAudit(["auditor"]), true);
  assert.equal(canAudit(["admin"]), true);
  for (const role of ["agent", "trainee", "reviewer", "supervisor"]) assert.equal(canAudit([role]), false, role);
});
