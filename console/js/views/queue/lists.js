// The case lists of the queue page: "My cases" (assigned to me) and "All cases" by status and team, with
// the filters kept in the address (#/queue?status=assigned&team=care).

import { api, query } from "../../api.js";
import { busy, fill, h } from "../../dom.js";
import { caseTable } from "../widgets.js";

export const STATUSES = [
  ["queued", "Waiting in a queue"],
  ["assigned", "Assigned"],
  ["resolved", "Resolved"],
];

/** The filters from the address: an unknown status falls back to "queued"; no team means every team. */
export function queueFilters(params) {
  return { status: STATUSES.some(([s]) => s === params.status) ? params.status : "queued", team: params.team || "" };
}

/** "My cases" in `box` (people who work cases only). */
export function myCases(box, { worker }) {
  async function load() {
    if (!worker) return;
    try {
      const { data } = await api(`/cases${query({ owner: "me", status: "assigned" })}`);
      if (box.contains(document.activeElement)) return; // do not pull the row from under the user's focus
      fill(box, caseTable(data.items || [], { caption: "My cases", empty: "You own no open cases. Take the next one from a queue." }));
    } catch (error) {
      fill(box, h("p", { class: "form-error", text: `Your cases could not be loaded: ${error.message}` }));
    }
  }
  return { load };
}

function filterControls(filters) {
  const status = h("select", { id: "filter-status", name: "status" }, STATUSES.map(([value, label]) => h("option", { value, selected: value === filters.status, text: label })));
  const team = h("select", { id: "filter-team", name: "team" }, h("option", { value: "", text: "All teams" }));
  const el = h(
    "div",
    { class: "filters", role: "group", "aria-label": "Filter cases" },
    h("div", { class: "field field-inline" }, h("label", { for: "filter-status", text: "Status" }), status),
    h("div", { class: "field field-inline" }, h("label", { for: "filter-team", text: "Team" }), team),
  );
  return { el, status, team };
}

/** "All cases": the filters, the table and "Load more cases"; `setTeams(teams)` fills the team filter. */
export function allCases(filters) {
  const box = h("div", { class: "table-wrap" }, h("p", { class: "muted", text: "Loading cases…" }));
  const more = h("button", { type: "button", class: "button", hidden: true, text: "Load more cases" });
  const controls = filterControls(filters);
  let cursor = null;
  let listed = [];

  async function load({ append = false } = {}) {
    try {
      const { data } = await api(`/cases${query({ status: filters.status, team: filters.team, limit: 50, cursor: append ? cursor : null })}`);
      listed = append ? listed.concat(data.items || []) : data.items || [];
      cursor = data.next_cursor || null;
      more.hidden = !cursor;
      if (!append && box.contains(document.activeElement)) return;
      const label = STATUSES.find(([s]) => s === filters.status)[1].toLowerCase();
      fill(box, caseTable(listed, { caption: `Cases: ${label}`, empty: `No cases are ${label}.` }));
    } catch (error) {
      fill(box, h("p", { class: "form-error", text: `Cases could not be loaded: ${error.message}` }));
    }
  }

  function applyFilters() {
    filters.status = controls.status.value;
    filters.team = controls.team.value;
    // Keep the filters in the address (shareable, survives reload) without re-rendering the page.
    history.replaceState(null, "", `#/queue${query(filters)}`);
    cursor = null;
    load();
  }
  controls.status.addEventListener("change", applyFilters);
  controls.team.addEventListener("change", applyFilters);
  more.addEventListener("click", () => busy(more, () => load({ append: true })));

  function setTeams(teams) {
    const keep = controls.team.value;
    fill(controls.team, h("option", { value: "", text: "All teams" }), teams.map((t) => h("option", { value: t.team, selected: t.team === (keep || filters.team), text: t.name || t.team })));
  }
  return { els: [controls.el, box, more], load, setTeams };
}
