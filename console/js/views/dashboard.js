// The supervisor dashboard (top of the Reports view): a period picker, the care numbers as distributions,
// charts, complaint patterns with suggestions, drill-down from a number to the cases behind it, and an
// "at risk now" board of open cases about to breach. Data: /api/analytics/* (docs/openapi.json).

import { api } from "../api.js";
import { barChart } from "../charts.js";
import { h, fill } from "../dom.js";
import { formatDateTime } from "../format.js";

const PERIODS = [
  ["day", "Last 24 hours"],
  ["week", "Last 7 days"],
  ["month", "Last 30 days"],
  ["custom", "Custom"],
];
const AT_RISK_MINUTES = 30;
const AT_RISK_REFRESH_MS = 60_000;

function minutes(value) {
  return value === null || value === undefined ? "—" : `${value} min`;
}

function percent(value) {
  return value === null || value === undefined ? "—" : `${value}%`;
}

/** The query string for the chosen period ("period=week", or custom with its ISO bounds). */
export function periodQuery(period, from, to) {
  const params = new URLSearchParams({ period });
  if (period === "custom") {
    if (from) params.set("start", new Date(`${from}T00:00:00Z`).toISOString());
    if (to) params.set("end", new Date(`${to}T23:59:59Z`).toISOString());
  }
  return params.toString();
}

function kpi(label, value, onSelect) {
  const body = [h("span", { class: "kpi-value", text: value }), h("span", { class: "kpi-label", text: label })];
  if (!onSelect) return h("div", { class: "kpi" }, ...body);
  const button = h("button", { type: "button", class: "kpi", "aria-label": `${label}: ${value}. Show the cases` }, ...body);
  button.addEventListener("click", onSelect);
  return button;
}

function drillTable(metric, label, data) {
  if (!data.items.length) return h("p", { class: "empty", text: `No cases behind "${label}" in this period.` });
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "drill", "data-metric": metric },
      h("caption", { text: `${label}: ${data.items.length}${data.truncated ? "+" : ""} cases` }),
      h("thead", {}, h("tr", {}, ["Case", "Opened", "Team", "Owner", "Platform", "Topic", "SLA", "First answer"].map((t) => h("th", { scope: "col", text: t })))),
      h(
        "tbody",
        {},
        data.items.map((row) =>
          h(
            "tr",
            {},
            h("td", {}, h("a", { href: `#/cases/${encodeURIComponent(row.case_id)}`, text: row.case_id })),
            h("td", { text: formatDateTime(row.opened_at) }),
            h("td", { text: row.team }),
            h("td", { text: row.owner || "—" }),
            h("td", { text: row.platform }),
            h("td", { text: row.topic }),
            h("td", { text: row.sla_state.replace("_", " ") }),
            h("td", { text: minutes(row.first_response_minutes) }),
          ),
        ),
      ),
    ),
  );
}

function patternsList(patterns) {
  if (!patterns.length) return h("p", { class: "muted", text: "No complaint pattern of three or more cases in this period." });
  return h(
    "ul",
    { class: "patterns" },
    patterns.map((p) => h("li", {}, h("strong", { text: `${p.operation} · ${p.topic}: ` }), p.suggestion)),
  );
}

function atRiskList(items) {
  if (!items.length) return h("p", { class: "muted", text: `No open case falls due in the next ${AT_RISK_MINUTES} minutes.` });
  return h(
    "ul",
    { class: "at-risk" },
    items.map((c) =>
      h(
        "li",
        { class: c.minutes_left < 0 ? "overdue" : "" },
        h("a", { href: `#/cases/${encodeURIComponent(c.case_id)}`, text: c.summary || c.case_id }),
        ` — ${c.team}, ${c.owner || "unassigned"}, `,
        c.minutes_left < 0 ? `overdue by ${Math.abs(c.minutes_left)} min` : `due in ${c.minutes_left} min`,
      ),
    ),
  );
}

function renderNumbers(numbers, data, showCases) {
  const sla = data.sla;
  const frt = data.first_response_minutes;
  const ttr = data.resolution_minutes;
  const hours = data.by_hour.map((b) => ({ label: String(b.hour), value: b.messages_in + b.cases_opened }));
  const days = data.by_day.map((d) => ({ label: d.day.slice(5), value: d.cases }));
  const teams = (data.breakdowns.team || []).map((t) => ({
    label: t.key,
    value: t.sla_breached,
    onSelect: () => showCases("sla_breached", "SLA breaches"),
  }));
  fill(
    numbers,
    h(
      "div",
      { class: "kpis" },
      kpi("Cases", String(data.cases), () => showCases("all", "All cases")),
      kpi("SLA compliance", percent(sla.compliance_pct)),
      kpi("SLA breaches", String(sla.breached), () => showCases("sla_breached", "SLA breaches")),
      kpi("Awaiting a first answer", String(sla.pending), () => showCases("sla_pending", "Awaiting a first answer")),
      kpi("First response p50 / p90", `${minutes(frt.p50)} / ${minutes(frt.p90)}`),
      kpi("Resolution p50 / p90", `${minutes(ttr.p50)} / ${minutes(ttr.p90)}`),
    ),
    h(
      "div",
      { class: "charts" },
      barChart(`Messages and new cases by hour of day (${data.by_hour_zone || "UTC"})`, hours, { labelEvery: 3 }),
      barChart("New cases per day", days),
      teams.length ? barChart("SLA breaches by team (select a bar for the cases)", teams) : null,
    ),
    h("h2", { text: "Complaint patterns" }),
    patternsList(data.complaint_patterns),
  );
}

async function refreshRisk(risk) {
  const title = h("h2", { id: "at-risk-title", text: "At risk now" });
  try {
    const { data } = await api(`/analytics/at-risk?within_minutes=${AT_RISK_MINUTES}`);
    fill(risk, title, atRiskList(data.items));
  } catch (error) {
    fill(risk, title, h("p", { class: "form-error", text: error.message }));
  }
}

/** Mount the dashboard in `box`; returns { cleanup, period() } (the period the reports list generates for). */
export function mountDashboard(box) {
  const select = h("select", { id: "dashboard-period" }, PERIODS.map(([value, label]) => h("option", { value, text: label })));
  select.value = "week";
  const from = h("input", { type: "date", id: "dashboard-from", hidden: true, "aria-label": "From (UTC day)" });
  const to = h("input", { type: "date", id: "dashboard-to", hidden: true, "aria-label": "To (UTC day)" });
  const numbers = h("section", { class: "dashboard-numbers", "aria-live": "polite", "aria-busy": "true" });
  const drill = h("section", { class: "dashboard-drill", "aria-label": "Cases behind a number" });
  const risk = h("section", { class: "card at-risk-board", "aria-labelledby": "at-risk-title" });

  const query = () => periodQuery(select.value, from.value, to.value);

  async function showCases(metric, label) {
    fill(drill, h("p", { class: "muted", text: `Loading the cases behind "${label}"…` }));
    try {
      const { data } = await api(`/analytics/cases?${query()}&metric=${encodeURIComponent(metric)}`);
      fill(drill, h("h2", { text: `Cases: ${label}` }), drillTable(metric, label, data));
      drill.querySelector("h2")?.scrollIntoView?.({ block: "nearest" });
    } catch (error) {
      fill(drill, h("p", { class: "form-error", text: `The cases could not be loaded: ${error.message}` }));
    }
  }

  async function load() {
    numbers.setAttribute("aria-busy", "true");
    fill(drill);
    try {
      const { data } = await api(`/analytics/overview?${query()}`);
      renderNumbers(numbers, data, showCases);
    } catch (error) {
      fill(numbers, h("p", { class: "form-error", text: `The dashboard could not be loaded: ${error.message}` }));
    } finally {
      numbers.removeAttribute("aria-busy");
    }
  }

  select.addEventListener("change", () => {
    const custom = select.value === "custom";
    from.hidden = !custom;
    to.hidden = !custom;
    if (!custom || (from.value && to.value)) load();
  });
  for (const input of [from, to]) input.addEventListener("change", () => from.value && to.value && load());

  fill(
    box,
    h("div", { class: "dashboard-controls" }, h("label", { for: "dashboard-period" }, "Period", select), from, to),
    risk,
    numbers,
    drill,
  );
  load();
  const loadRisk = () => refreshRisk(risk);
  loadRisk();
  const timer = setInterval(loadRisk, AT_RISK_REFRESH_MS);
  return {
    cleanup: () => clearInterval(timer),
    period: () => ({ period: select.value, from: from.value, to: to.value }),
  };
}
