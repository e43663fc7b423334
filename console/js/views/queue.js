// The agent's home: team queues with "Take next case", my cases, and all cases by status.

import { api, ApiError, query } from "../api.js";
import { busy, fill, h, notify } from "../dom.js";
import { canWork, priorityLabel } from "../format.js";
import { caseHref } from "../route.js";
import { caseTable } from "./widgets.js";

const STATUSES = [
  ["queued", "Waiting in a queue"],
  ["assigned", "Assigned"],
  ["resolved", "Resolved"],
];
const REFRESH_MS = 20_000;

export function renderQueue(container, { session, query: params }) {
  document.title = "Queue · Heard";
  const worker = canWork(session.groups);
  const filters = {
    status: STATUSES.some(([s]) => s === params.status) ? params.status : "queued",
    team: params.team || "",
  };
  let teams = [];
  let cursor = null;

  const queuesBox = h("div", { class: "queues", "aria-busy": "true" }, h("p", { class: "muted", text: "Loading queues…" }));
  const mineBox = h("div", { class: "table-wrap" }, h("p", { class: "muted", text: "Loading your cases…" }));
  const listBox = h("div", { class: "table-wrap" }, h("p", { class: "muted", text: "Loading cases…" }));
  const more = h("button", { type: "button", class: "button", hidden: true, text: "Load more cases" });

  const statusSelect = h(
    "select",
    { id: "filter-status", name: "status" },
    STATUSES.map(([value, label]) => h("option", { value, selected: value === filters.status, text: label })),
  );
  const teamSelect = h("select", { id: "filter-team", name: "team" }, h("option", { value: "", text: "All teams" }));

  // ---- team queues -------------------------------------------------------------------------------

  async function takeNext(team, button) {
    await busy(button, async () => {
      button.textContent = "Taking…";
      try {
        const { status, data } = await api(`/queues/${encodeURIComponent(team.team)}/next`, { method: "POST" });
        if (status === 204) {
          notify(`The ${team.name || team.team} queue is empty: nothing to take right now.`, "info");
          await loadQueues({ force: true });
          const again = queuesBox.querySelector(`[data-team="${CSS.escape(team.team)}"] button`);
          if (again) again.focus();
          return;
        }
        notify(`You now own a ${priorityLabel(data.case.priority)} case. Its story is below.`, "success");
        location.hash = caseHref(data.case.case_id);
      } catch (error) {
        if (error instanceof ApiError && error.status === 409) {
          notify("You are at capacity: resolve one of your cases before taking another.", "error");
        } else if (error instanceof ApiError && error.status === 403) {
          notify("Your role cannot take cases from this queue.", "error");
        } else notify(error.message, "error");
      }
    });
  }

  function queueCard(team) {
    const depth = team.depth || {};
    const button = h("button", {
      type: "button",
      // The card with work in it draws the eye; an empty queue's button still works (depths are approximate).
      class: `button button-big ${team.total ? "button-primary" : ""}`,
      "aria-describedby": `queue-${team.team}-total`,
      text: "Take next case",
    });
    button.addEventListener("click", () => takeNext(team, button));
    return h(
      "article",
      { class: "card queue-card", dataset: { team: team.team }, "aria-labelledby": `queue-${team.team}-name` },
      h("h3", { id: `queue-${team.team}-name`, text: team.name || team.team }),
      h("p", { id: `queue-${team.team}-total`, class: "queue-total" }, h("strong", { text: String(team.total ?? 0) }), " waiting"),
      h(
        "ul",
        { class: "depths", "aria-label": "Waiting by priority" },
        [1, 2, 3, 4].map((p) => {
          const n = Number(depth[String(p)] || 0);
          return h("li", { class: `depth priority-${p} ${n ? "" : "depth-zero"}` }, h("span", { text: priorityLabel(p) }), h("strong", { text: String(n) }));
        }),
      ),
      worker ? button : null,
    );
  }

  async function loadQueues({ force = false } = {}) {
    try {
      const { data } = await api("/queues");
      teams = data.items || [];
      const keep = teamSelect.value;
      fill(teamSelect, h("option", { value: "", text: "All teams" }), teams.map((t) => h("option", { value: t.team, selected: t.team === (keep || filters.team), text: t.name || t.team })));
      // Re-render only when that does not pull a focused button from under the user.
      if (force || !queuesBox.contains(document.activeElement)) {
        fill(queuesBox, teams.length ? teams.map(queueCard) : h("p", { class: "empty", text: "No team queues are configured." }));
      }
    } catch (error) {
      fill(queuesBox, h("p", { class: "form-error", text: `Queues could not be loaded: ${error.message}` }));
    } finally {
      queuesBox.removeAttribute("aria-busy");
    }
  }

  // ---- case lists --------------------------------------------------------------------------------

  async function loadMine() {
    if (!worker) return;
    try {
      const { data } = await api(`/cases${query({ owner: "me", status: "assigned" })}`);
      if (mineBox.contains(document.activeElement)) return; // do not pull the row from under the user's focus
      fill(mineBox, caseTable(data.items || [], { caption: "My cases", empty: "You own no open cases. Take the next one from a queue." }));
    } catch (error) {
      fill(mineBox, h("p", { class: "form-error", text: `Your cases could not be loaded: ${error.message}` }));
    }
  }

  let listed = [];
  async function loadList({ append = false } = {}) {
    try {
      const { data } = await api(`/cases${query({ status: filters.status, team: filters.team, limit: 50, cursor: append ? cursor : null })}`);
      listed = append ? listed.concat(data.items || []) : data.items || [];
      cursor = data.next_cursor || null;
      more.hidden = !cursor;
      if (!append && listBox.contains(document.activeElement)) return;
      const label = STATUSES.find(([s]) => s === filters.status)[1].toLowerCase();
      fill(listBox, caseTable(listed, { caption: `Cases: ${label}`, empty: `No cases are ${label}.` }));
    } catch (error) {
      fill(listBox, h("p", { class: "form-error", text: `Cases could not be loaded: ${error.message}` }));
    }
  }

  function applyFilters() {
    filters.status = statusSelect.value;
    filters.team = teamSelect.value;
    // Keep the filters in the address (shareable, survives reload) without re-rendering the page.
    history.replaceState(null, "", `#/queue${query(filters)}`);
    cursor = null;
    loadList();
  }
  statusSelect.addEventListener("change", applyFilters);
  teamSelect.addEventListener("change", applyFilters);
  more.addEventListener("click", () => busy(more, () => loadList({ append: true })));

  const refresh = h("button", { type: "button", class: "button button-quiet", text: "Refresh" });
  const refreshAll = () => Promise.all([loadQueues(), loadMine(), loadList()]);
  refresh.addEventListener("click", () =>
    busy(refresh, async () => {
      await refreshAll();
      notify("Queue and cases refreshed.");
    }),
  );

  fill(
    container,
    h(
      "div",
      { class: "page-head" },
      h("h1", { tabindex: "-1", text: "Queue" }),
      refresh,
    ),
    h(
      "section",
      { "aria-labelledby": "teams-title" },
      h("h2", { id: "teams-title", text: "Team queues" }),
      h("p", { class: "muted", text: worker ? "Take the most urgent waiting case: it becomes yours until it is solved." : "Your role can read cases but not take them." }),
      queuesBox,
    ),
    worker ? h("section", { "aria-labelledby": "mine-title" }, h("h2", { id: "mine-title", text: "My cases" }), mineBox) : null,
    h(
      "section",
      { "aria-labelledby": "all-title" },
      h("h2", { id: "all-title", text: "All cases" }),
      h(
        "div",
        { class: "filters", role: "group", "aria-label": "Filter cases" },
        h("div", { class: "field field-inline" }, h("label", { for: "filter-status", text: "Status" }), statusSelect),
        h("div", { class: "field field-inline" }, h("label", { for: "filter-team", text: "Team" }), teamSelect),
      ),
      listBox,
      more,
    ),
  );

  refreshAll();
  const timer = setInterval(() => {
    if (document.visibilityState === "visible") refreshAll();
  }, REFRESH_MS);
  return () => clearInterval(timer);
}
