// The customer panel: who the customer is on the platform (display name, id, handle) and their other
// cases, newest first, each a link to it.

import { api } from "../../api.js";
import { fill, h } from "../../dom.js";
import { formatDateTime, platformLabel } from "../../format.js";
import { caseHref } from "../../route.js";

function otherCase(c) {
  const state = c.status === "resolved" ? `resolved${c.resolution ? ` (${c.resolution.replaceAll("_", " ")})` : ""}` : c.status;
  return h("li", { dataset: { caseId: c.case_id } }, h("a", { href: caseHref(c.case_id), text: c.summary || c.case_id }), h("span", { class: "hint", text: ` · ${formatDateTime(c.opened_at)} · ${state}` }));
}

/** The panel; `load()` fetches the customer (once per page: who they are does not change while it is open). */
export function customerPanel({ caseId }) {
  const body = h("div", { "aria-busy": "true" }, h("p", { text: "Loading the customer…" }));
  const el = h("section", { class: "customer-panel", "aria-labelledby": "customer-title" }, h("h2", { id: "customer-title", text: "Customer" }), body);
  async function load() {
    try {
      const { data } = await api(`/cases/${encodeURIComponent(caseId)}/customer`);
      const ids = data.identities.map((i) => h("li", { text: `${platformLabel(i.platform)}: ${i.handle ? `@${i.handle} · ` : ""}id ${i.id}` }));
      fill(
        body,
        h("p", { id: "customer-name", class: "customer-name", text: data.name || "No display name given" }),
        h("ul", { class: "identities", "aria-label": "Identities" }, ids),
        h("h3", { text: "Other cases" }),
        data.other_cases.length ? h("ul", { id: "customer-cases" }, data.other_cases.map(otherCase)) : h("p", { id: "customer-cases-none", text: "No other cases." }),
      );
    } catch (error) {
      fill(body, h("p", { text: `The customer could not be loaded: ${error.message}` }));
    }
    body.removeAttribute("aria-busy");
  }
  return { el, load };
}
