// Helpers of probation (R12) and blind empathy review (R11) in console/js/format.js and route.js.
import assert from "node:assert/strict";
import { test } from "node:test";

import "./with-meta.mjs";

import {
  canApprove,
  canReview,
  deliveryLabel,
  describeEntry,
  needsApproval,
} from "../../../console/js/format.js";
import { empathyScale } from "../../../console/js/meta.js";
import { parseRoute } from "../../../console/js/route.js";

test("a trainee's replies need approval unless they also supervise", () => {
  assert.equal(needsApproval(["trainee"]), true);
  assert.equal(needsApproval(["trainee", "agent"]), true);
  assert.equal(needsApproval(["trainee", "supervisor"]), false);
  assert.equal(needsApproval(["agent"]), false);
  assert.equal(needsApproval(undefined), false);
});

test("supervisors and admins approve; reviewers, supervisors and admins review", () => {
  assert.equal(canApprove(["supervisor"]), true);
  assert.equal(canApprove(["admin"]), true);
  assert.equal(canApprove(["trainee"]), false);
  assert.equal(canApprove(["reviewer"]), false);
  assert.equal(canReview(["reviewer"]), true);
  assert.equal(canReview(["supervisor"]), true);
  assert.equal(canReview(["agent", "trainee"]), false);
});

test("delivery states read as people say them", () => {
  assert.equal(deliveryLabel("awaiting_approval"), "awaiting approval");
  assert.equal(deliveryLabel("rejected"), "not sent (sent back)");
  assert.equal(deliveryLabel("sent"), "sent");
});

test("approval and review entries have labels", () => {
  assert.equal(describeEntry({ kind: "reply_approved", data: {} }).label, "Reply approved");
  assert.equal(describeEntry({ kind: "reply_rejected", data: {} }).label, "Reply sent back with feedback");
  assert.equal(describeEntry({ kind: "empathy_graded", data: {} }).label, "Blind empathy review");
});

test("the empathy scale runs 1 to 5 with a name and meaning each", () => {
  assert.deepEqual(empathyScale().map(([grade]) => grade), [1, 2, 3, 4, 5]);
  for (const [, name, meaning] of empathyScale()) assert.ok(name && meaning);
});

test("the approvals and review pages have routes", () => {
  assert.equal(parseRoute("#/approvals").name, "approvals");
  assert.equal(parseRoute("#/review").name, "review");
});
