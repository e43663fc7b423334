// Recently ended crises, newest first, as a table (cards on narrow screens).

import { matchesText } from "../../crisis.js";
import { fill, h } from "../../dom.js";
import { formatDateTime } from "../../format.js";

function endedRow(c, typeName) {
  return h(
    "tr",
    { dataset: { crisisId: c.crisis_id } },
    h("td", { "data-label": "Crisis", text: c.name }),
    h("td", { "data-label": "Type", text: typeName(c.type) }),
    h("td", { "data-label": "Declared", text: `${formatDateTime(c.declared_at)} by ${c.declared_by}` }),
    h("td", { "data-label": "Ended", text: formatDateTime(c.ended_at) || "—" }),
    h("td", { "data-label": "Statement", text: `v${c.statement_version}` }),
    h("td", { "data-label": "Matched", text: matchesText(c) }),
  );
}

export function showRecent(box, { crises, typeName }) {
  const ended = crises.filter((c) => c.status !== "active");
  if (!ended.length) {
    fill(box, h("p", { class: "empty", text: "No crisis has ended recently." }));
    return;
  }
  fill(
    box,
    h(
      "table",
      { class: "crises" },
      h("caption", { class: "visually-hidden", text: "Recently ended crises, newest first" }),
      h("thead", {}, h("tr", {}, ["Crisis", "Type", "Declared", "Ended", "Statement", "Matched"].map((t) => h("th", { scope: "col", text: t })))),
      h("tbody", {}, ended.map((c) => endedRow(c, typeName))),
    ),
  );
}
