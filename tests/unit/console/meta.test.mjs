// The API's meta in the console (console/js/meta.js): checked once, then the one source of roles,
// probation, reply limits and the empathy scale.
import assert from "node:assert/strict";
import { test } from "node:test";

import { META } from "./with-meta.mjs";

import { empathyLegend } from "../../../console/js/format.js";
import { checkMeta, crisisLimits, empathyScale, hasMeta, mayDo, onProbation, replyLimitOf, setMeta } from "../../../console/js/meta.js";

test("the API's meta passes the check and is kept", () => {
  assert.deepEqual(checkMeta(META), []);
  assert.equal(hasMeta(), true);
});

test("a malformed meta is refused with every problem named, and the good one stays", () => {
  const broken = { roles: [{ name: "agent" }], probation: null, reply_limits: { x: -1 }, empathy_scale: [] };
  assert.deepEqual(checkMeta(broken), [
    "roles: each needs a name and what it may do",
    "probation: missing",
    "reply_limits: not positive whole numbers",
    "empathy_scale: missing",
    "crisis_limits: missing",
  ]);
  assert.deepEqual(checkMeta({ ...META, crisis_limits: { ...META.crisis_limits, keyword: {} } }), ["crisis_limits: not positive whole numbers"]);
  assert.deepEqual(checkMeta(null), ["the answer is not an object"]);
  assert.throws(() => setMeta(broken), /not usable \(roles: each needs/);
  assert.equal(mayDo(["agent"], "work"), true); // still the API's meta
});

test("abilities come from the roles the meta lists; unknown roles grant nothing", () => {
  assert.equal(mayDo(["reviewer"], "review"), true);
  assert.equal(mayDo(["reviewer"], "work"), false);
  assert.equal(mayDo(["supervisor"], "supervise"), true);
  assert.equal(mayDo(["wizard"], "work"), false);
  assert.equal(mayDo(undefined, "work"), false);
  assert.equal(mayDo(["agent"], "fly"), false);
});

test("probation follows the meta: a trainee unless they also hold a waiving role", () => {
  assert.equal(onProbation(["trainee"]), true);
  assert.equal(onProbation(["trainee", "admin"]), false);
  assert.equal(onProbation(["reviewer"]), false);
});

test("reply limits and the empathy scale are the meta's, in order", () => {
  assert.equal(replyLimitOf("x"), META.reply_limits.x);
  assert.equal(replyLimitOf("whatsapp"), null);
  assert.deepEqual(empathyScale()[0], [1, "Cold", "no acknowledgement of the customer's situation"]);
  assert.equal(empathyLegend(empathyScale()), "Empathy (1 = cold, 5 = deeply empathetic)");
  assert.equal(empathyLegend([[0, "None", "-"], [3, "All", "-"]]), "Empathy (0 = none, 3 = all)");
});

test("the crisis form's limits are the API's", () => {
  assert.deepEqual(crisisLimits(), META.crisis_limits);
  assert.equal(crisisLimits().keyword.min, 2);
});
