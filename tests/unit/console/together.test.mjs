// Working together (issue #10): the tags field's parsing, the unread count in the tab title, the route.
import assert from "node:assert/strict";
import { test } from "node:test";

import { parseRoute } from "../../../console/js/route.js";
import { parseTags } from "../../../console/js/views/case/together.js";
import { titleWithCount } from "../../../console/js/views/notifications.js";

test("tags are split on commas, trimmed, and empty ones dropped", () => {
  assert.deepEqual(parseTags(" refund, late parcel ,, "), ["refund", "late parcel"]);
  assert.deepEqual(parseTags(""), []);
});

test("the tab title carries the unread count once, and loses it at zero", () => {
  assert.equal(titleWithCount("Queue · Heard", 3), "(3) Queue · Heard");
  assert.equal(titleWithCount("(3) Queue · Heard", 4), "(4) Queue · Heard");
  assert.equal(titleWithCount("(50+) Queue · Heard", 0), "Queue · Heard");
  assert.equal(titleWithCount("Queue · Heard", 75), "(50+) Queue · Heard");
});

test("#/notifications is a page of its own", () => {
  assert.equal(parseRoute("#/notifications").name, "notifications");
});

test("a case is shown snoozed until its time, and waiting until the customer writes again", async () => {
  const { snoozedUntil, waitingOnCustomer } = await import("../../../console/js/views/case/header.js");
  const now = Date.parse("2026-11-17T10:00:00Z");
  assert.equal(snoozedUntil({ status: "assigned", snoozed_until: "2026-11-17T12:00:00Z" }, now), "2026-11-17T12:00:00Z");
  assert.equal(snoozedUntil({ status: "assigned", snoozed_until: "2026-11-17T09:00:00Z" }, now), null);
  const waiting = { status: "assigned", waiting_since: "2026-11-17T10:00:00Z", last_customer_at: "2026-11-17T09:00:00Z" };
  assert.equal(waitingOnCustomer(waiting), true);
  assert.equal(waitingOnCustomer({ ...waiting, last_customer_at: "2026-11-17T11:00:00Z" }), false);
});
