// The audit trail (admins and auditors): who read which case, exported data, changed the configuration or
// was refused — searched by day, actor, action and target; checked for tampering; exported as CSV.

import { ApiError, api, currentSession, latestOnly, loadConfig, query } from "../api.js";
import { busy, fill, h, notify } from "../dom.js";
import { canAudit, formatDateTime } from "../format.js";

const ACTIONS = [
  ["", "Any action"],
  ["case", "Cases: read, listed, claimed, answered, resolved"],
  ["case.read", "A case read"],
  ["config", "Configuration read or changed"],
  ["config.change", "Configuration changed"],
  ["reply", "Trainee replies approved or rejected"],
  ["report", "Reports created or downloaded"],
  ["audit", "The audit trail searched, checked or exported"],
  ["customer", "A customer's data exported or erased"],
  ["access.denied", "Refused: role not allowed"],
  ["signin.failed", "Refused: not signed in"],
];

function today() {
  return new Date().toISOString().slice(0, 10);
}

function field(id, label, control) {
  return h("div", { class: "field" }, h("label", { for: id, text: label }), control);
}

/** Filters as the API's query parameters (empty ones left out). */
export function auditQuery(form) {
  const values = Object.fromEntries(new FormData(form).entries());
  return query({ start: values.start, end: values.end, actor: values.actor?.trim(), action: values.action, target: values.target?.trim() });
}

function recordRow(rec) {
  return h(
    "tr",
    { dataset: { seq: String(rec.seq) } },
    h("td", { "data-label": "#", text: String(rec.seq) }),
    h("td", { "data-label": "When", text: formatDateTime(rec.at) }),
    h("td", { "data-label": "Who", text: `${rec.actor}${rec.roles.length ? ` (${rec.roles.join(", ")})` : ""}` }),
    h("td", { "data-label": "What", text: rec.action }),
    h("td", { "data-label": "On", text: rec.target || "—" }),
    h("td", { "data-label": "Answer", text: String(rec.outcome) }),
    h("td", { "data-label": "From", text: rec.source_ip || "—" }),
  );
}

function showRecords(box, page) {
  if (!page.items.length) {
    fill(box, h("p", { class: "empty", text: "Nothing recorded matches." }));
    return;
  }
  fill(
    box,
    h(
      "table",
      { class: "audit" },
      h("caption", { class: "visually-hidden", text: "Audit records, newest first" }),
      h("thead", {}, h("tr", {}, ["#", "When", "Who", "What", "On", "Answer", "From"].map((t) => h("th", { scope: "col", text: t })))),
      h("tbody", {}, page.items.map(recordRow)),
    ),
    page.truncated ? h("p", { class: "muted", text: "More records match: narrow the period or the filters." }) : null,
  );
}

/** The CSV export needs the token, so it is fetched here and saved from a blob rather than linked. */
async function downloadCsv(search) {
  const { apiUrl } = await loadConfig();
  const session = currentSession();
  const response = await fetch(`${apiUrl}/api/audit/export${search}`, { headers: { Authorization: session.token } });
  if (!response.ok) throw new ApiError(response.status, `The export failed (${response.status}).`);
  const url = URL.createObjectURL(new Blob([await response.text()], { type: "text/csv" }));
  const link = h("a", { href: url, download: `heard-audit${search.replace(/[^0-9-]+/g, "-")}.csv` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function filtersForm() {
  const day = today();
  const controls = {
    start: h("input", { type: "date", id: "audit-start", name: "start", value: day, required: true }),
    end: h("input", { type: "date", id: "audit-end", name: "end", value: day, required: true }),
    actor: h("input", { type: "email", id: "audit-actor", name: "actor", maxlength: "320", autocomplete: "off", placeholder: "someone@example.com" }),
    action: h("select", { id: "audit-action", name: "action" }, ACTIONS.map(([value, label]) => h("option", { value, text: label }))),
    target: h("input", { type: "text", id: "audit-target", name: "target", maxlength: "300", autocomplete: "off", placeholder: "case or report id" }),
  };
  const buttons = {
    search: h("button", { type: "submit", id: "audit-search", class: "button button-primary", text: "Search" }),
    check: h("button", { type: "button", id: "audit-verify", class: "button", text: "Check integrity" }),
    exportCsv: h("button", { type: "button", id: "audit-export", class: "button", text: "Export CSV" }),
  };
  const form = h(
    "form",
    { class: "filters", id: "audit-filters" },
    field("audit-start", "From", controls.start),
    field("audit-end", "To", controls.end),
    field("audit-actor", "Who", controls.actor),
    field("audit-action", "What", controls.action),
    field("audit-target", "On", controls.target),
    h("div", { class: "actions" }, buttons.search, buttons.check, buttons.exportCsv),
  );
  return { form, controls, buttons };
}

function period(controls) {
  return query({ start: controls.start.value, end: controls.end.value });
}

/** What the comparison with the write-once copies (sealed hourly) found, when the stack has a vault. */
function sealNote(sealed) {
  if (!sealed) return "";
  const pending = sealed.unsealed_records ? ` ${sealed.unsealed_records} newer records are sealed within the hour.` : "";
  return ` ${sealed.sealed_records} match their sealed write-once copies.${pending}`;
}

/** "Check integrity": the API recomputes the hash chain over the period and says where it breaks. */
function wireVerify(button, controls, verdict) {
  button.addEventListener("click", () =>
    busy(button, async () => {
      try {
        const { data } = await api(`/audit/verify${period(controls)}`);
        verdict.className = data.ok ? "verdict ok" : "verdict broken";
        verdict.textContent = data.ok
          ? `Intact: ${data.checked} records checked${data.checked ? ` (#${data.first_seq}–#${data.last_seq})` : ""}.${sealNote(data.sealed)}`
          : `Broken at record #${data.broken_at}: ${data.problem}.`;
      } catch (error) {
        notify(error.message, "error");
      }
    }),
  );
}

function wireExport(button, controls) {
  button.addEventListener("click", () =>
    busy(button, async () => {
      try {
        await downloadCsv(period(controls));
        notify("The audit trail was exported as CSV.", "success");
      } catch (error) {
        notify(error.message, "error");
      }
    }),
  );
}

export function renderAudit(container, { session }) {
  document.title = "Audit trail · Heard";
  if (!canAudit(session.groups)) {
    fill(container, h("h1", { tabindex: "-1", text: "Audit trail" }), h("p", { text: "The audit trail is for auditors and administrators." }));
    return null;
  }
  const { form, controls, buttons } = filtersForm();
  const verdict = h("p", { id: "audit-verdict", role: "status" });
  const listBox = h("div", { class: "table-wrap", id: "audit-records", "aria-live": "polite" });

  const turn = latestOnly(); // only the latest search fills the table
  async function load() {
    const fresh = turn();
    listBox.setAttribute("aria-busy", "true");
    try {
      const { data } = await api(`/audit${auditQuery(form)}`);
      if (fresh()) showRecords(listBox, data);
    } catch (error) {
      if (fresh()) fill(listBox, h("p", { class: "form-error", text: `The audit trail could not be searched: ${error.message}` }));
    } finally {
      if (fresh()) listBox.removeAttribute("aria-busy");
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(buttons.search, load);
  });
  wireVerify(buttons.check, controls, verdict);
  wireExport(buttons.exportCsv, controls);
  fill(
    container,
    h("div", { class: "page-head" }, h("h1", { tabindex: "-1", text: "Audit trail" })),
    h("p", { class: "muted", text: "Every read of a case, export, change and refusal, chained by hashes so that no record can be altered unnoticed." }),
    form,
    verdict,
    listBox,
  );
  load();
  return null;
}
