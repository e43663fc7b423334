// The order panel (issue #17): the customer's order from the company's own systems. On a "where is my
// order" case (topic delivery) it looks up, once per page, the latest order number the customer wrote
// (an automatic lookup: the timeline records it only when the answer changed, so opening a case again
// adds nothing; no order number written yet is a hint, not an error); an agent can look up another order
// number, or the customer by email or phone (always recorded). What the company answers is shown here
// only; the case's timeline records that a lookup happened (order number and status).

import { api } from "../../api.js";
import { busy, fill, h } from "../../dom.js";
import { formatDateTime } from "../../format.js";

const KINDS = [
  ["order", "Order number"],
  ["email", "Email"],
  ["phone", "Phone"],
];

function order(o) {
  const row = (label, value) => (value ? [h("dt", { text: label }), h("dd", {}, value)] : null);
  const tracking = o.tracking_url ? h("a", { href: o.tracking_url, target: "_blank", rel: "noopener noreferrer", text: "Track the parcel" }) : null;
  return h(
    "li",
    { class: "order", dataset: { order: o.order_number } },
    h("p", {}, h("strong", { text: `Order ${o.order_number}: ` }), h("span", { class: "order-status", text: o.status })),
    h("dl", { class: "order-details" }, row("Expected", o.expected_at && formatDateTime(o.expected_at)), row("Placed", o.placed_at && formatDateTime(o.placed_at)), row("Carrier", o.carrier), row("Items", o.summary), row("Tracking", tracking)),
  );
}

function lookupForm(onLookUp) {
  const kind = h("select", { id: "lookup-kind", "aria-label": "Look up by" }, KINDS.map(([value, label]) => h("option", { value, text: label })));
  const value = h("input", { id: "lookup-value", type: "text", maxlength: "100", autocomplete: "off", "aria-label": "What to look up" });
  const button = h("button", { type: "submit", class: "button button-small", text: "Look up" });
  const form = h("form", { class: "lookup-form" }, kind, value, button);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const typed = value.value.trim();
    busy(button, () => onLookUp(typed ? { kind: kind.value, value: typed } : { kind: kind.value }));
  });
  return form;
}

/** The panel, for people who work cases (null otherwise); `update(kase)` looks up a delivery case's order once. */
export function orderPanel({ caseId, worker = false }) {
  if (!worker) return null;
  const result = h("div", { id: "order-result", "aria-live": "polite" }, h("p", { class: "hint", text: "Look up an order or the customer in the company's systems." }));
  const el = h("section", { class: "order-panel", "aria-labelledby": "order-title" }, h("h2", { id: "order-title", text: "Order" }), result);
  let looked = false;
  function show(data) {
    if (!data.written) {
      fill(result, h("p", { id: "order-unwritten", class: "hint", text: "The customer has not written an order number yet: type one below to look it up, or ask them for it." }));
      return;
    }
    if (!data.found) {
      fill(result, h("p", { id: "order-none", text: `Nothing found for ${data.kind === "order" ? `order ${data.value}` : `that ${data.kind}`}.` }));
      return;
    }
    fill(
      result,
      data.customer_name ? h("p", { class: "order-customer", text: `Customer: ${data.customer_name}` }) : null,
      data.orders.length ? h("ul", { class: "orders", "aria-label": "Orders" }, data.orders.map(order)) : h("p", { text: "No orders." }),
    );
  }
  async function lookUp(body) {
    try {
      show((await api(`/cases/${encodeURIComponent(caseId)}/lookups`, { method: "POST", body })).data);
    } catch (error) {
      fill(result, h("p", { class: "order-error", text: error.message }));
    }
  }
  el.append(lookupForm(lookUp));
  function update(kase) {
    if (looked || !kase || kase.topic !== "delivery") return;
    looked = true;
    fill(result, h("p", { text: "Looking up the order the customer wrote…" }));
    lookUp({ kind: "order", automatic: true });
  }
  return { el, update };
}
