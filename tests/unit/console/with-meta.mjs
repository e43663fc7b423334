// The API's meta as the console receives it (GET /api/meta), loaded before the tests that need roles,
// reply limits or the empathy scale. meta.json is what functions/api/routes/meta.py serves; a Python test
// (test_console_static.py) fails when the two differ, so these tests run against the real rules.
import { readFileSync } from "node:fs";

import { setMeta } from "../../../console/js/meta.js";

export const META = JSON.parse(readFileSync(new URL("./meta.json", import.meta.url), "utf-8"));
setMeta(META);
