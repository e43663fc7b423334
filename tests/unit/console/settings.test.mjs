// The Settings form's save over a configuration someone else saved meanwhile (issue #12).
import assert from "node:assert/strict";
import { test } from "node:test";

import { changedParts, rebase } from "../../../console/js/views/settings.js";

const loaded = {
  revision: 3,
  contact_line: "Call us on +1 555 0100.",
  rules: [],
  teams: [{ id: "care", name: "Care", members: ["a@h.local"] }],
  brands: [],
};

test("a person invited meanwhile is no conflict: the edits go over the stored document", () => {
  const stored = { ...loaded, revision: 4, teams: [{ id: "care", name: "Care", members: ["a@h.local", "new@h.local"] }], brands: [{ id: "b" }] };
  assert.deepEqual(changedParts(loaded, stored), []);
  const edited = { ...loaded, contact_line: "Call us any day on +1 555 0100.", teams: [{ id: "care", name: "Care team", members: ["a@h.local"] }] };
  const saved = rebase(edited, stored);
  assert.equal(saved.revision, 4);
  assert.equal(saved.contact_line, "Call us any day on +1 555 0100.");
  assert.deepEqual(saved.teams, [{ id: "care", name: "Care team", members: ["a@h.local", "new@h.local"] }]);
  assert.deepEqual(saved.brands, [{ id: "b" }]);
});

test("a part of the form changed meanwhile is named", () => {
  const stored = { ...loaded, revision: 4, contact_line: "Other", teams: [{ id: "care", name: "Renamed", members: [] }] };
  assert.deepEqual(changedParts(loaded, stored), ["teams", "contact_line"]);
});
