// Supervisor reports: the dashboard (views/dashboard.js), the list of stored reports, "Generate now" for the
// dashboard's period, and CSV/XLSX/HTML/JSON downloads through presigned S3 URLs. A report asked for here
// is queued (202) and made by the reports function: its row says "Being generated…" and the view polls it
// until it is ready (the person who asked also gets a "report ready" notification). A report the reports
// function could not make after its last attempt is "Failed" with the reason, and offers "Retry".

import { api, ApiError, query } from "../api.js";
import { busy, fill, h, notify } from "../dom.js";
import { canSeeReports, formatDateTime } from "../format.js";
import { mountDashboard } from "./dashboard.js";
import { refreshUnread } from "./notifications.js";
import { download as downloadExport } from "./privacy.js";

const FORMATS = ["csv", "xlsx", "html", "json"];
const POLL_MS = 2_000;
const POLL_FOR_MS = 15 * 60_000; // the reports function's own time limit

/** R25: the full conversations of a case, or of the cases opened in a period, as JSON lines or HTML. */
function conversationExport() {
  const today = new Date().toISOString().slice(0, 10);
  const input = (id, label, attrs) => h("div", { class: "field" }, h("label", { for: id, text: label }), h("input", { id, ...attrs }));
  const form = h(
    "form",
    { class: "filters", id: "conversation-export" },
    input("export-case", "Case (or leave empty for a period)", { name: "case_id", placeholder: "case id" }),
    input("export-start", "From", { name: "start", type: "date", value: today }),
    input("export-end", "To", { name: "end", type: "date", value: today }),
    h("div", { class: "field" }, h("label", { for: "export-format", text: "Format" }), h("select", { id: "export-format", name: "format" }, h("option", { value: "html", text: "Readable (HTML)" }), h("option", { value: "jsonl", text: "JSON lines" }))),
    h("button", { type: "submit", class: "button", text: "Export conversations" }),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const v = Object.fromEntries(new FormData(form).entries());
    const scope = v.case_id.trim() ? query({ case_id: v.case_id.trim(), format: v.format }) : query({ start: v.start, end: v.end, format: v.format });
    busy(form.querySelector("button[type=submit]"), async () => {
      try {
        await downloadExport(`/exports/conversations${scope}`, `heard-conversations.${v.format}`);
        notify("Exported (the export is recorded in the audit trail).", "success");
      } catch (error) {
        notify(error.message, "error");
      }
    });
  });
  return h("section", {}, h("h2", { text: "Conversation export" }), form);
}

/** The first present field of a report (ReportView in docs/openapi.json). */
function pick(report, ...names) {
  for (const name of names) if (report[name] !== undefined && report[name] !== null) return report[name];
  return null;
}

export function reportId(report) {
  return pick(report, "id");
}

function percent(value) {
  if (value === null || value === undefined || value === "") return "—";
  const n = Number(value);
  return Number.isNaN(n) ? String(value) : `${Math.round(n * 10) / 10}%`;
}

function period(report) {
  const start = pick(report, "period_start");
  const end = pick(report, "period_end");
  return start || end ? `${formatDateTime(start)} – ${formatDateTime(end)}` : "—";
}

/** Ask for a short-lived link; open it in a new tab and offer it as a link in the row too. */
async function download(report, format, button, listBox) {
  await busy(button, async () => {
    try {
      const { data } = await api(`/reports/${encodeURIComponent(reportId(report))}/download?format=${format}`);
      // Without "noopener" window.open tells us whether a pop-up blocker stopped it; cut the
      // opener link by hand instead. The link is offered either way, for a second try.
      const opened = window.open(data.url, "_blank");
      if (opened) opened.opener = null;
      const row = listBox.querySelector(`tr[data-report-id="${CSS.escape(String(reportId(report)))}"] .links`);
      if (row) {
        const link = h("a", { href: data.url, target: "_blank", rel: "noopener", class: "download-link", text: `Open ${format.toUpperCase()}` });
        row.querySelector(`.download-link-${format}`)?.remove();
        link.classList.add(`download-link-${format}`);
        row.append(link);
      }
      if (opened) notify(`The ${format.toUpperCase()} report opened in a new tab. Its link stays valid for a short time.`, "success");
      else notify(`Your browser blocked the new tab: use the "Open ${format.toUpperCase()}" link.`, "info");
    } catch (error) {
      notify(error instanceof ApiError && error.status === 404 ? "That report no longer exists." : error.message, "error");
    }
  });
}

/** A failed report's row: the reason, and "Retry" (queued again with the same period and filters). */
function failedRow(report, onRetry) {
  const retry = h("button", { type: "button", class: "button button-small retry-report", text: "Retry" });
  retry.setAttribute("aria-label", `Retry the report of ${period(report)}`);
  retry.addEventListener("click", () => onRetry(report, retry));
  return h(
    "tr",
    { dataset: { reportId: String(reportId(report)), status: "failed" } },
    h("td", { "data-label": "Generated", text: "—" }),
    h("td", { "data-label": "Period", text: period(report) }),
    h("td", { "data-label": "Cases", text: "—" }),
    h("td", { "data-label": "SLA met", text: "—" }),
    h("td", { "data-label": "Requested by", text: String(pick(report, "requested_by") ?? "—") }),
    h(
      "td",
      { "data-label": "Download" },
      h("span", { class: "badge badge-danger", text: "Failed" }),
      h("p", { class: "failure-reason muted", text: `${pick(report, "failure_reason") ?? "No reason recorded"} (after ${pick(report, "attempts") ?? "?"} attempts)` }),
      retry,
    ),
  );
}

function reportRow(report, onDownload, onRetry) {
  const when = formatDateTime(pick(report, "generated_at"));
  if (report.status === "failed") return failedRow(report, onRetry);
  if (report.status === "queued") {
    return h(
      "tr",
      { dataset: { reportId: String(reportId(report)), status: "queued" } },
      h("td", { "data-label": "Generated", text: "—" }),
      h("td", { "data-label": "Period", text: period(report) }),
      h("td", { "data-label": "Cases", text: "—" }),
      h("td", { "data-label": "SLA met", text: "—" }),
      h("td", { "data-label": "Requested by", text: String(pick(report, "requested_by") ?? "—") }),
      h("td", { "data-label": "Download" }, h("span", { class: "badge badge-pending", text: "Being generated…" })),
    );
  }
  const offered = report.formats && report.formats.length ? FORMATS.filter((f) => report.formats.includes(f)) : ["csv", "json"];
  const buttons = offered.map((format) => {
    const button = h("button", { type: "button", class: "button button-small", text: format.toUpperCase() });
    button.setAttribute("aria-label", `Download ${format.toUpperCase()} of the report generated ${when}`);
    button.addEventListener("click", () => onDownload(report, format, button));
    return button;
  });
  return h(
    "tr",
    { dataset: { reportId: String(reportId(report)) } },
    h("td", { "data-label": "Generated", text: when || "—" }),
    h("td", { "data-label": "Period", text: period(report) }),
    h("td", { "data-label": "Cases", text: String(pick(report, "case_count") ?? "—") }),
    h("td", { "data-label": "SLA met", text: percent(pick(report, "sla_compliance_pct")) }),
    h("td", { "data-label": "Requested by", text: String(pick(report, "requested_by") ?? "—") }),
    h("td", { "data-label": "Download" }, h("div", { class: "links" }, ...buttons)),
  );
}

function showReports(listBox, reports, onRetry) {
  if (!reports.length) {
    fill(listBox, h("p", { class: "empty", text: "No reports yet. Generate one now, or wait for the daily report." }));
    return;
  }
  const onDownload = (report, format, button) => download(report, format, button, listBox);
  fill(
    listBox,
    h(
      "table",
      { class: "reports" },
      h("caption", { class: "visually-hidden", text: "Reports, newest first" }),
      h("thead", {}, h("tr", {}, ["Generated", "Period", "Cases", "SLA met", "Requested by", "Download"].map((t) => h("th", { scope: "col", text: t })))),
      h("tbody", {}, reports.map((report) => reportRow(report, onDownload, onRetry))),
    ),
  );
}

/** Poll queued reports until each is ready (then `put` it and say so), until `stop()` (the view is left). */
function watcher(put) {
  const timers = new Set();
  let left = false;
  function watch(id, started = Date.now()) {
    if (left) return;
    const timer = setTimeout(async () => {
      timers.delete(timer);
      try {
        const { data } = await api(`/reports/${encodeURIComponent(id)}`);
        if (data.report.status === "ready") {
          put(data.report);
          notify("Report ready. Download it as CSV, XLSX, HTML or JSON.", "success");
          refreshUnread();
          return;
        }
        if (data.report.status === "failed") {
          put(data.report);
          notify(`The report could not be made: ${data.report.failure_reason ?? "no reason recorded"}. Retry it from the list.`, "error");
          refreshUnread();
          return;
        }
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return;
      }
      if (Date.now() - started < POLL_FOR_MS) watch(id, started);
    }, POLL_MS);
    timers.add(timer);
  }
  function stop() {
    left = true;
    timers.forEach((timer) => clearTimeout(timer));
    timers.clear();
  }
  return { watch, stop };
}

/** Ask for a report of the chosen period: queued by the API (202), then watched until it is ready. */
async function requestReport(chosen, put, watch) {
  const body = { period: chosen.period };
  if (chosen.period === "custom") {
    if (!chosen.from || !chosen.to) throw new Error("Choose both days of the custom period first.");
    body.start = new Date(`${chosen.from}T00:00:00Z`).toISOString();
    body.end = new Date(`${chosen.to}T23:59:59Z`).toISOString();
  }
  // The same key if this click's request is retried: the API answers with the same report.
  body.request_key = crypto.randomUUID();
  const { data } = await api("/reports", { method: "POST", body });
  put(data.report);
  if (data.report.status === "ready") notify("Report ready. Download it as CSV, XLSX, HTML or JSON.", "success");
  else {
    notify("Report requested. It is being generated; you will be told here and in Notifications when it is ready.", "info");
    watch(reportId(data.report));
  }
}

/** Queue a failed report again (POST /reports/{id}/retry), then watch it like a new request. */
function retryReport(report, button, put, watch) {
  return busy(button, async () => {
    try {
      const { data } = await api(`/reports/${encodeURIComponent(reportId(report))}/retry`, { method: "POST" });
      put(data.report);
      notify("Report queued again. You will be told when it is ready.", "info");
      watch(reportId(data.report));
    } catch (error) {
      notify(error.message, "error");
    }
  });
}

export function renderReports(container, { session }) {
  document.title = "Reports · Heard";
  if (!canSeeReports(session.groups)) {
    fill(container, h("h1", { tabindex: "-1", text: "Reports" }), h("p", { text: "Reports are for supervisors and administrators." }));
    return null;
  }
  let reports = [];
  const dashboardBox = h("div", { class: "dashboard" });
  const listBox = h("div", { class: "table-wrap", "aria-busy": "true" }, h("p", { class: "muted", text: "Loading reports…" }));
  const generate = h("button", { type: "button", id: "generate-report", class: "button button-primary", text: "Generate now" });

  async function load() {
    try {
      const { data } = await api("/reports");
      reports = data.items || [];
      showReports(listBox, reports, (r, button) => retryReport(r, button, put, watch));
    } catch (error) {
      if (error instanceof ApiError && error.status === 403) fill(listBox, h("p", { text: "Reports are for supervisors and administrators." }));
      else fill(listBox, h("p", { class: "form-error", text: `Reports could not be loaded: ${error.message}` }));
    } finally {
      listBox.removeAttribute("aria-busy");
    }
  }

  generate.addEventListener("click", () =>
    busy(generate, async () => {
      generate.textContent = "Requesting…";
      try {
        await requestReport(dashboard.period(), put, watch);
      } catch (error) {
        notify(error.message, "error");
      }
    }),
  );

  function put(report) {
    const id = reportId(report);
    reports = [report].concat(reports.filter((r) => reportId(r) !== id));
    showReports(listBox, reports, (r, button) => retryReport(r, button, put, watch));
  }


  const { watch, stop } = watcher(put);

  fill(
    container,
    h("div", { class: "page-head" }, h("h1", { tabindex: "-1", text: "Reports" }), generate),
    h("p", { class: "muted", text: "SLA compliance, response and resolution times as distributions, volumes by hour, complaint patterns with suggestions; generate a report of the chosen period to download it." }),
    dashboardBox,
    h("h2", { text: "Generated reports" }),
    listBox,
    conversationExport(),
  );
  const dashboard = mountDashboard(dashboardBox);
  load().then(() => reports.filter((r) => r.status === "queued").forEach((r) => watch(reportId(r))));
  return () => {
    stop();
    dashboard.cleanup();
  };
}
