// The privacy page's lookup: a case id wins over a platform identity; blanks are left out.
import assert from "node:assert/strict";
import { test } from "node:test";

import "./with-meta.mjs";
import { canManagePrivacy } from "../../../console/js/format.js";
import { subjectQuery } from "../../../console/js/views/privacy.js";

test("a case id names the customer, else the platform identity", () => {
  assert.equal(subjectQuery({ case_id: " abcd1234 ", platform: "x", customer_id: "42" }), "?case_id=abcd1234");
  assert.equal(subjectQuery({ case_id: "", platform: "x", customer_id: " 42 " }), "?platform=x&customer_id=42");
});

test("only administrators manage customers' data", () => {
  assert.equal(canManagePrivacy(["admin"]), true);
  for (const role of ["agent", "supervisor", "auditor", "reviewer", "trainee"]) assert.equal(canManagePrivacy([role]), false);
});
