// The customer panel: who the customer is on every platform (display name, id, handle; identities linked
// because they gave the same email, phone or order number, or merged by hand) and their other cases on
// all of them, newest first, each a link to it. People who work cases may merge the customer with another
// case's ("Same person as case …") and separate a linked identity again.

import { api } from "../../api.js";
import { busy, fill, h, notify } from "../../dom.js";
import { formatDateTime, platformLabel } from "../../format.js";
import { caseHref } from "../../route.js";
import { contactSection } from "./contact.js";

const HOW = { email: "same email", phone: "same phone", order: "same order number", manual: "merged by hand" };

function otherCase(c) {
  const state = c.status === "resolved" ? `resolved${c.resolution ? ` (${c.resolution.replaceAll("_", " ")})` : ""}` : c.status;
  return h("li", { dataset: { caseId: c.case_id } }, h("a", { href: caseHref(c.case_id), text: c.summary || c.case_id }), h("span", { class: "hint", text: ` · ${platformLabel(c.platform)} · ${formatDateTime(c.opened_at)} · ${state}` }));
}

function identity(i, { worker, onUnlink }) {
  const who = `${platformLabel(i.platform)}: ${i.name && i.linked_by ? `${i.name} · ` : ""}${i.handle ? `@${i.handle} · ` : ""}id ${i.id}`;
  const how = i.linked_by ? h("span", { class: "hint", text: ` · ${HOW[i.linked_by] || i.linked_by}` }) : null;
  const unlink = worker && i.direct ? h("button", { type: "button", class: "button button-small button-quiet", text: "Not the same person", "aria-label": `Not the same person: separate ${platformLabel(i.platform)} id ${i.id}` }) : null;
  if (unlink) unlink.addEventListener("click", () => busy(unlink, () => onUnlink(i)));
  return h("li", { dataset: { platform: i.platform, linkedBy: i.linked_by || "" } }, who, how, unlink ? " " : null, unlink);
}

function mergeForm(onMerge) {
  const input = h("input", { id: "merge-case", type: "text", pattern: "[a-z0-9]{4,40}", required: true, autocomplete: "off" });
  const button = h("button", { type: "submit", class: "button button-small", text: "Merge" });
  const form = h("form", { class: "merge-customer" }, h("label", { for: "merge-case", text: "Same person as case" }), input, button);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(button, () => onMerge(input.value.trim()));
  });
  return form;
}

/** The panel; `load()` fetches the customer once per page, and again after a merge or a separation. */
export function customerPanel({ caseId, worker = false }) {
  const body = h("div", { "aria-busy": "true" }, h("p", { text: "Loading the customer…" }));
  const el = h("section", { class: "customer-panel", "aria-labelledby": "customer-title" }, h("h2", { id: "customer-title", text: "Customer" }), body);
  const path = `/cases/${encodeURIComponent(caseId)}/customer`;
  async function change(call, message) {
    try {
      show((await call()).data);
      notify(message);
    } catch (error) {
      notify(error.message, "error");
    }
  }
  const onUnlink = (i) => change(() => api(`${path}/unlink`, { method: "POST", body: { platform: i.platform, id: i.id } }), "Separated: they are different people now.");
  const onMerge = (other) => change(() => api(`${path}/links`, { method: "POST", body: { case_id: other } }), "Merged: one customer across both cases.");
  function show(data) {
    fill(
      body,
      h("p", { id: "customer-name", class: "customer-name", text: data.name || "No display name given" }),
      h("ul", { class: "identities", "aria-label": "Identities" }, data.identities.map((i) => identity(i, { worker, onUnlink }))),
      worker ? mergeForm(onMerge) : null,
      contactSection(data.contact, { worker, path, onChange: change }),
      h("h3", { text: "Other cases" }),
      data.other_cases.length ? h("ul", { id: "customer-cases" }, data.other_cases.map(otherCase)) : h("p", { id: "customer-cases-none", text: "No other cases." }),
    );
  }
  async function load() {
    try {
      show((await api(path)).data);
    } catch (error) {
      fill(body, h("p", { text: `The customer could not be loaded: ${error.message}` }));
    }
    body.removeAttribute("aria-busy");
  }
  return { el, load };
}
