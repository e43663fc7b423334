// The Teams view's checks before anything is sent (console/js/views/teams.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import "./with-meta.mjs";

import { parseSkills, personProblems } from "../../../console/js/views/teams.js";
import { parseRoute } from "../../../console/js/route.js";

test("skills are read from a comma-separated list, lower-cased, without repeats", () => {
  assert.deepEqual(parseSkills(" Spanish, billing,,spanish "), ["spanish", "billing"]);
  assert.deepEqual(parseSkills(""), []);
});

test("a bad email or skill is named next to its field", () => {
  assert.deepEqual(personProblems("agent@heard.local", ["spanish"]), {});
  const problems = personProblems("not an email", ["ok", "two words"]);
  assert.equal(problems.email, "Enter the person's email address.");
  assert.match(problems.skills, /not: two words/);
});

test("#/teams is a route", () => {
  assert.equal(parseRoute("#/teams").name, "teams");
});
