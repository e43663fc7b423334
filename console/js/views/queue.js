// The agent's home: team queues with "Take next case", my cases, and all cases by status. The sections
// live in views/queue/; this module lays them out and refreshes them together.

import { busy, fill, h, notify } from "../dom.js";
import { canWork } from "../format.js";
import { allCases, myCases, queueFilters } from "./queue/lists.js";
import { teamQueues } from "./queue/teams.js";

const REFRESH_MS = 20_000;

export function renderQueue(container, { session, query: params }) {
  document.title = "Queue · Heard";
  const worker = canWork(session.groups);
  const queuesBox = h("div", { class: "queues", "aria-busy": "true" }, h("p", { class: "muted", text: "Loading queues…" }));
  const mineBox = h("div", { class: "table-wrap" }, h("p", { class: "muted", text: "Loading your cases…" }));
  const all = allCases(queueFilters(params));
  const queues = teamQueues(queuesBox, { worker, teamsLoaded: all.setTeams });
  const mine = myCases(mineBox, { worker });

  const refresh = h("button", { type: "button", class: "button button-quiet", text: "Refresh" });
  const refreshAll = () => Promise.all([queues.load(), mine.load(), all.load()]);
  refresh.addEventListener("click", () =>
    busy(refresh, async () => {
      await refreshAll();
      notify("Queue and cases refreshed.");
    }),
  );

  fill(
    container,
    h("div", { class: "page-head" }, h("h1", { tabindex: "-1", text: "Queue" }), refresh),
    h(
      "section",
      { "aria-labelledby": "teams-title" },
      h("h2", { id: "teams-title", text: "Team queues" }),
      h("p", { class: "muted", text: worker ? "Take the most urgent waiting case: it becomes yours until it is solved." : "Your role can read cases but not take them." }),
      queuesBox,
    ),
    worker ? h("section", { "aria-labelledby": "mine-title" }, h("h2", { id: "mine-title", text: "My cases" }), mineBox) : null,
    h("section", { "aria-labelledby": "all-title" }, h("h2", { id: "all-title", text: "All cases" }), ...all.els),
  );

  refreshAll();
  const timer = setInterval(() => {
    if (document.visibilityState === "visible") refreshAll();
  }, REFRESH_MS);
  return () => clearInterval(timer);
}
