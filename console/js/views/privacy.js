// Privacy (admins): find a customer by one of their cases or a platform identity, export everything Heard
// holds on them (GDPR art. 15), erase them (art. 17), and see the latest erasures. The customer is sent in
// the query string or the body, never in the path (the audit trail records paths).

import { ApiError, api, currentSession, loadConfig, query } from "../api.js";
import { busy, fill, h, notify } from "../dom.js";
import { canManagePrivacy, formatDateTime } from "../format.js";
import { caseHref } from "../route.js";
import { openDialog } from "./dialog.js";

const PLATFORMS = ["facebook", "messenger", "instagram", "whatsapp", "x", "telegram", "linkedin", "generic"];

function field(id, label, control) {
  return h("div", { class: "field" }, h("label", { for: id, text: label }), control);
}

/** The lookup as the API's query parameters: a case id wins over an identity. */
export function subjectQuery(values) {
  const caseId = (values.case_id || "").trim();
  if (caseId) return query({ case_id: caseId });
  return query({ platform: values.platform, customer_id: (values.customer_id || "").trim() });
}

/** A file the API answers with, fetched with the token and saved from a blob. */
export async function download(path, filename) {
  const { apiUrl } = await loadConfig();
  const response = await fetch(`${apiUrl}/api${path}`, { headers: { Authorization: currentSession().token } });
  if (!response.ok) throw new ApiError(response.status, `The export failed (${response.status}).`);
  const url = URL.createObjectURL(await response.blob());
  const link = h("a", { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function casesList(cases) {
  return h(
    "ul",
    { class: "privacy-cases" },
    cases.map((c) =>
      h("li", {}, h("a", { href: caseHref(c.case_id), text: c.case_id }), ` · ${c.status} · opened ${formatDateTime(c.opened_at)}${c.summary ? ` · ${c.summary}` : ""}`),
    ),
  );
}

function confirmErase(found) {
  const who = found.name || found.handle || found.customer_id;
  return openDialog({
    title: `Erase ${who}?`,
    build(form, close) {
      const cancel = h("button", { type: "button", class: "button", text: "Cancel" });
      cancel.addEventListener("click", () => close(null));
      form.append(
        h("p", { text: `Their messages, name, handle and raw deliveries on ${found.cases.length} case(s) are removed for good. The cases stay, marked as erased. This cannot be undone.` }),
        h("div", { class: "actions" }, h("button", { type: "submit", class: "button button-danger", text: "Erase for good" }), cancel),
      );
    },
    onSubmit: (_form, close) => close(true),
  });
}

function actions(found, subject, onErased) {
  const jsonl = h("button", { type: "button", class: "button", text: "Export data (JSON lines)" });
  const html = h("button", { type: "button", class: "button", text: "Export data (HTML)" });
  const erase = h("button", { type: "button", class: "button button-danger", text: "Erase this customer…" });
  for (const [button, format] of [
    [jsonl, "jsonl"],
    [html, "html"],
  ]) {
    button.addEventListener("click", () =>
      busy(button, async () => {
        try {
          await download(`/privacy/customers/export${subject}&format=${format}`, `heard-subject-access.${format}`);
          notify("The export was downloaded (and recorded in the audit trail).", "success");
        } catch (error) {
          notify(error.message, "error");
        }
      }),
    );
  }
  erase.addEventListener("click", async () => {
    if (!(await confirmErase(found))) return;
    await busy(erase, async () => {
      try {
        const body = found.cases.length ? { case_id: found.cases[0].case_id } : { platform: found.platform, customer_id: found.customer_id };
        const { data } = await api("/privacy/erasures", { method: "POST", body });
        notify(data.erasure ? `Erased (${data.erasure.erasure_id}).` : data.message, "success");
        await onErased(data.erasure);
      } catch (error) {
        notify(error.message, "error");
      }
    });
  });
  return h("div", { class: "actions" }, jsonl, html, erase);
}

function showCustomer(box, found, subject, onErased) {
  fill(
    box,
    h("h2", { text: found.name || found.handle || found.customer_id, id: "privacy-customer" }),
    h(
      "dl",
      { class: "details" },
      h("div", { class: "detail" }, h("dt", { text: "Platform" }), h("dd", { text: found.platform })),
      h("div", { class: "detail" }, h("dt", { text: "Id on the platform" }), h("dd", { text: found.customer_id })),
      found.handle ? h("div", { class: "detail" }, h("dt", { text: "Handle" }), h("dd", { text: found.handle })) : null,
    ),
    h("h3", { text: `Cases (${found.cases.length})` }),
    casesList(found.cases),
    actions(found, subject, onErased),
  );
}

function erasureRow(e) {
  return h(
    "tr",
    { dataset: { erasure: e.erasure_id } },
    h("td", { "data-label": "When", text: formatDateTime(e.requested_at) }),
    h("td", { "data-label": "By", text: e.requested_by }),
    h("td", { "data-label": "Erasure", text: e.erasure_id }),
    h("td", { "data-label": "Cases" }, ...e.case_ids.flatMap((id, i) => [i ? ", " : "", h("a", { href: caseHref(id), text: id })])),
    h("td", { "data-label": "Messages", text: String(e.erased.messages) }),
    h("td", { "data-label": "Raw archive", text: `${e.archive}${e.archive === "done" ? ` (${e.archive_versions_deleted} versions)` : ""}` }),
  );
}

async function showErasures(box) {
  const { data } = await api("/privacy/erasures");
  if (!data.items.length) {
    fill(box, h("p", { class: "empty", text: "Nobody has been erased yet." }));
    return;
  }
  const head = ["When", "By", "Erasure", "Cases", "Messages", "Raw archive"].map((t) => h("th", { scope: "col", text: t }));
  fill(box, h("table", { class: "audit", id: "erasures" }, h("thead", {}, h("tr", {}, head)), h("tbody", {}, data.items.map(erasureRow))));
}

function lookupForm(initial) {
  const platform = h("select", { id: "privacy-platform", name: "platform" }, PLATFORMS.map((p) => h("option", { value: p, text: p })));
  return h(
    "form",
    { class: "filters", id: "privacy-find" },
    field("privacy-case", "A case of theirs", h("input", { id: "privacy-case", name: "case_id", value: initial.case_id || "", placeholder: "case id" })),
    h("p", { class: "muted", text: "or" }),
    field("privacy-platform", "Platform", platform),
    field("privacy-customer-id", "Their id on the platform", h("input", { id: "privacy-customer-id", name: "customer_id", maxlength: "256" })),
    h("button", { type: "submit", class: "button button-primary", text: "Find" }),
  );
}

export function renderPrivacy(container, ctx) {
  document.title = "Privacy · Heard";
  if (!canManagePrivacy(ctx.session.groups)) {
    fill(container, h("h1", { tabindex: "-1", text: "Privacy" }), h("p", { text: "Only administrators find, export and erase customers' data." }));
    return null;
  }
  const form = lookupForm(ctx.query || {});
  const result = h("section", { id: "privacy-result", "aria-live": "polite" });
  const erasures = h("section", { id: "privacy-erasures" });
  const find = async () => {
    const subject = subjectQuery(Object.fromEntries(new FormData(form).entries()));
    try {
      const { data } = await api(`/privacy/customers${subject}`);
      showCustomer(result, data, subject, async () => {
        fill(result, h("p", { id: "privacy-erased", text: "Erased: Heard no longer holds this customer's personal data." }));
        await showErasures(erasures);
      });
    } catch (error) {
      fill(result, h("p", { class: "empty", text: error.status === 404 ? "Heard holds nothing on this customer." : error.message }));
    }
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(form.querySelector("button[type=submit]"), find);
  });
  fill(
    container,
    h("h1", { tabindex: "-1", text: "Privacy" }),
    h("p", { class: "muted", text: "Find a customer to export what Heard holds on them, or to erase them. Every lookup, export and erasure is recorded in the audit trail." }),
    form,
    result,
    h("h2", { text: "Latest erasures" }),
    erasures,
  );
  showErasures(erasures).catch((error) => notify(error.message, "error"));
  if (ctx.query && ctx.query.case_id) find();
  return null;
}
