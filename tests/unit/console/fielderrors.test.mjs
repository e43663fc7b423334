// The API's located problems land next to the field they concern (the admin console's forms).
import assert from "node:assert/strict";
import { test } from "node:test";

import { placeProblems, problemText } from "../../../console/js/fielderrors.js";

test("a problem goes to the field with the longest path that starts its location", () => {
  const paths = ["teams.1.calendar.holidays", "teams.1.name", "off_hours_team"];
  const placed = placeProblems(
    [
      { loc: ["body", "teams", 1, "calendar", "holidays", 3], type: "date_from_datetime_parsing" },
      { loc: ["body", "off_hours_team"], type: "value_error", msg: "off_hours_team names unknown team 'x'" },
      { loc: ["body", "rules", 0, "team"], type: "value_error", msg: "rule 'a' names unknown team 'b'" },
    ],
    paths,
  );
  assert.deepEqual(placed["teams.1.calendar.holidays"], ["not a date (YYYY-MM-DD)"]);
  assert.deepEqual(placed.off_hours_team, ["off_hours_team names unknown team 'x'"]);
  assert.deepEqual(placed[""], ["rule 'a' names unknown team 'b'"]);
});

test("a problem's text is Heard's message, else a plain reading of its type", () => {
  assert.equal(problemText({ type: "value_error", msg: "unknown time zone 'Mars/Base'" }), "unknown time zone 'Mars/Base'");
  assert.equal(problemText({ type: "some_new_type" }), "some new type");
});
