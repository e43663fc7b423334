// Moderation on the case view and the Accounts form's checks (issue #16).
import assert from "node:assert/strict";
import { test } from "node:test";

import "./with-meta.mjs";

import { moderationChoices } from "../../../console/js/views/case/moderation.js";
import { accountProblems } from "../../../console/js/views/accounts.js";
import { parseRoute } from "../../../console/js/route.js";

const timeline = [
  { kind: "message_in", data: { platform_id: "c-1" } },
  { kind: "reply", data: { platform_message_id: "r-1" } },
];

test("a public comment can be hidden, then unhidden; our reply deleted once; the customer blocked", () => {
  const kase = { channel: "comment", moderation: ["hide", "unhide", "delete", "block", "unblock"], hidden_ids: [], author_blocked: false };
  assert.deepEqual(moderationChoices(kase, timeline), [
    ["hide", "Hide comment", "c-1"],
    ["delete", "Delete our reply", "r-1"],
    ["block", "Block customer", null],
  ]);
  const after = { ...kase, hidden_ids: ["c-1"], author_blocked: true };
  const deleted = timeline.concat([{ kind: "moderated", data: { action: "delete", target_id: "r-1" } }]);
  assert.deepEqual(moderationChoices(after, deleted), [
    ["unhide", "Unhide comment", "c-1"],
    ["unblock", "Unblock customer", null],
  ]);
});

test("a direct message or a platform without moderation offers nothing to hide", () => {
  assert.deepEqual(moderationChoices({ channel: "direct", moderation: ["hide"], hidden_ids: [] }, timeline), []);
  assert.deepEqual(moderationChoices({ channel: "comment", moderation: [], hidden_ids: [] }, timeline), []);
});

test("the account form names each problem before anything is sent", () => {
  assert.deepEqual(accountProblems({ accountId: "acme-uk", name: "Acme", credentials: { META_APP_SECRET: "s" } }), {});
  const problems = accountProblems({ accountId: "Acme UK", name: " ", credentials: { META_APP_SECRET: " " } });
  assert.deepEqual(Object.keys(problems).sort(), ["account_id", "credentials", "name"]);
  assert.equal(parseRoute("#/accounts").name, "accounts");
});
