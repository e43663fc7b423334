// Keyboard shortcuts and search (issue #10): j / k walk the last list; the search route.
import assert from "node:assert/strict";
import { test } from "node:test";

import { parseRoute } from "../../../console/js/route.js";
import { neighbour, SHORTCUTS } from "../../../console/js/shortcuts.js";

test("j and k move through the last list, stopping at its ends; from a list page j opens the first", () => {
  const list = ["a1", "b2", "c3"];
  assert.equal(neighbour(list, "b2", 1), "c3");
  assert.equal(neighbour(list, "b2", -1), "a1");
  assert.equal(neighbour(list, "c3", 1), null);
  assert.equal(neighbour(list, "a1", -1), null);
  assert.equal(neighbour(list, null, 1), "a1");
  assert.equal(neighbour(list, "zz", -1), null);
  assert.equal(neighbour([], "a1", 1), null);
});

test("every shortcut the help lists is a single key, once", () => {
  const keys = SHORTCUTS.map(([key]) => key);
  assert.equal(new Set(keys).size, keys.length);
  assert.ok(keys.every((key) => key.length === 1));
  assert.ok(keys.includes("?"));
});

test("the search page keeps its query in the address", () => {
  assert.deepEqual(parseRoute("#/search?q=48213&sla=breached"), { name: "search", params: {}, query: { q: "48213", sla: "breached" } });
});
