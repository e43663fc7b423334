// The logic of the console's view components: the case view's hints and reply counter (caseview.js),
// the crises page's labels (crisis.js), the queue page's filters and "Take next case" answers.
import assert from "node:assert/strict";
import { test } from "node:test";

import { META } from "./with-meta.mjs";

import { ApiError } from "../../../console/js/api.js";
import { caseHints, counterState, dataLines, finalText, topicLabel, withPending } from "../../../console/js/caseview.js";
import { configNames, historyLine, matchesText } from "../../../console/js/crisis.js";
import { queueFilters } from "../../../console/js/views/queue/lists.js";
import { takeNextMessage } from "../../../console/js/views/queue/teams.js";

const KASE = { platform: "facebook", channel: "comment", action: "fix", pii: [], crisis: null, topic: "billing", operation: "general" };

test("the counter shows the platform's limit from the meta and stops sending over it", () => {
  assert.deepEqual(counterState("", "facebook"), { label: "0 characters", over: false, canSend: false, notice: "Back within the character limit." });
  assert.equal(counterState("hello", "facebook").canSend, true);
  assert.equal(counterState("x".repeat(280), "x", "").label, "280 / 280 characters");
  const over = counterState("😀".repeat(281), "x", ""); // code points, not UTF-16 units
  assert.equal(over.over, true);
  assert.equal(over.canSend, false);
  assert.equal(over.notice, "Over the 280 character limit of this platform.");
  assert.equal(counterState("   ", null).canSend, false);
});

test("the counter counts the contact line Heard appends: 235 typed on X is 306 sent, over 280 (issue #10)", () => {
  const line = META.contact_line;
  assert.equal(line.length, 69);
  const state = counterState("y".repeat(235), "x");
  assert.equal(state.label, `${235 + 2 + line.length} / 280 characters`);
  assert.equal(state.over, true);
  assert.equal(state.canSend, false);
  // a reply that already carries the line is not given it twice (as the API composes it)
  assert.equal(finalText(`Thanks! ${line}`), `Thanks! ${line}`);
  assert.equal(finalText("  Thanks!  "), `Thanks!\n\n${line}`);
  assert.equal(counterState("", "x").label, "0 / 280 characters");
});

test("hints: the recommended action, personal data in public, the crisis, the platform's limit", () => {
  assert.deepEqual(caseHints(KASE, []), [{ lead: "Recommended: ", text: "Fix the problem: own it until it is solved.", warn: false }]);
  const pii = caseHints({ ...KASE, action: "unknown", pii: ["email"] }, []);
  assert.equal(pii.length, 1);
  assert.match(pii[0].text, /^Personal information in a public thread \(email\)/);
  assert.equal(caseHints({ ...KASE, action: null, channel: "direct", pii: ["email"] }, []).length, 0);
  const onX = caseHints({ ...KASE, action: null, platform: "x" }, []);
  assert.deepEqual(onX, [{ text: "Replies on X are limited to 280 characters, including the contact line Heard adds.", warn: false }]);
});

test("a crisis hint says whether heard-bot already sent the holding statement, and which version", () => {
  const kase = { ...KASE, action: null, crisis: "outage" };
  assert.match(caseHints(kase, [])[0].text, /^Crisis: use the holding statement/);
  const sent = { entry_id: "e1", kind: "reply", actor: "heard-bot", at: "2026-03-02T10:00:00Z", data: { automatic: true, crisis_id: "k1", statement_version: 2 } };
  assert.match(caseHints(kase, [sent])[0].text, /already sent the holding statement \(v2\)/);
});

test("system data lines keep plain values only; the topic names its operation when it says more", () => {
  assert.deepEqual(dataLines({ from_team: "care", n: 2, ok: true, empty: "", nested: { a: 1 }, list: ["a", "b"], none: null }), [
    "from team: care",
    "n: 2",
    "ok: true",
    "list: a, b",
  ]);
  assert.equal(topicLabel({ topic: "billing", operation: "refunds" }), "billing (refunds)");
  assert.equal(topicLabel({ topic: "billing", operation: "general" }), "billing");
  assert.equal(topicLabel({ topic: "billing", operation: "billing" }), "billing");
});

test("a sent reply stays on the timeline until a refresh returns it, and is never shown twice", () => {
  const pending = new Map([["r1", { entry_id: "r1" }]]);
  assert.deepEqual(withPending([{ entry_id: "m1" }], pending).map((e) => e.entry_id), ["m1", "r1"]);
  assert.deepEqual(withPending([{ entry_id: "m1" }, { entry_id: "r1" }], pending).map((e) => e.entry_id), ["m1", "r1"]);
});

test("crisis labels: what it matches, names from the configuration, a history line", () => {
  assert.equal(matchesText({ keywords: ["outage", "down"], topics: ["network"] }), "keywords: outage, down; topics: network");
  assert.equal(matchesText({ keywords: [], topics: [] }), "nothing");
  const names = configNames({ crisis_types: [{ id: "outage", name: "Service outage" }], teams: [{ id: "pr", name: "PR" }], topics: [{ id: "network" }] });
  assert.equal(names.type("outage"), "Service outage");
  assert.equal(names.type("recall"), "recall");
  assert.equal(names.team("pr"), "PR");
  assert.deepEqual(names.topics(), { network: "network" });
  assert.equal(configNames(null).team("pr"), "pr");
  const line = historyLine({ at: "2026-03-02T10:00:00Z", action: "ended", actor: "sam@heard.local", statement_version: 3, note: "fixed" });
  assert.match(line, /: ended by sam@heard\.local \(statement v3\); fixed$/);
});

test("queue filters come from the address; an unknown status falls back to waiting cases", () => {
  assert.deepEqual(queueFilters({}), { status: "queued", team: "" });
  assert.deepEqual(queueFilters({ status: "assigned", team: "care" }), { status: "assigned", team: "care" });
  assert.deepEqual(queueFilters({ status: "nonsense" }), { status: "queued", team: "" });
});

test("'Take next case' answers in words: empty queue, at capacity, not allowed, anything else", () => {
  const team = { team: "care", name: "Customer care" };
  assert.deepEqual(takeNextMessage(team, { status: 204 }), { text: "The Customer care queue is empty: nothing to take right now.", kind: "info" });
  assert.equal(takeNextMessage({ team: "care" }, { status: 204 }).text, "The care queue is empty: nothing to take right now.");
  assert.match(takeNextMessage(team, { error: new ApiError(409, "at capacity") }).text, /^You are at capacity/);
  const notMember = "you are not a member of team 'care-es'; your teams: ['care']";
  assert.equal(takeNextMessage(team, { error: new ApiError(403, notMember) }).text, notMember);
  assert.equal(takeNextMessage(team, { error: new ApiError(403, "") }).text, "You cannot take cases from this queue.");
  assert.deepEqual(takeNextMessage(team, { error: new ApiError(0, "The API cannot be reached.") }), { text: "The API cannot be reached.", kind: "error" });
});
