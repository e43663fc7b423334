// Team queues: depth per priority and "Take next case" for people who work cases.

import { api, ApiError } from "../../api.js";
import { busy, fill, h, notify } from "../../dom.js";
import { priorityLabel } from "../../format.js";
import { caseHref } from "../../route.js";

/** What "Take next case" answered, in words: the queue was empty (204, or only cases needing skills you lack), at capacity (409), not allowed (403). */
export function takeNextMessage(team, { status, error }) {
  if (status === 204) return { text: `The ${team.name || team.team} queue is empty: nothing to take right now.`, kind: "info" };
  if (error instanceof ApiError && error.status === 409) return { text: "You are at capacity: resolve one of your cases before taking another.", kind: "error" };
  // 403: not a member of the team (the API names your teams), or a role that works no cases.
  if (error instanceof ApiError && error.status === 403) return { text: error.message || "You cannot take cases from this queue.", kind: "error" };
  return { text: error ? error.message : "", kind: "error" };
}

function depthList(depth) {
  return h(
    "ul",
    { class: "depths", "aria-label": "Waiting by priority" },
    [1, 2, 3, 4].map((p) => {
      const n = Number(depth[String(p)] || 0);
      return h("li", { class: `depth priority-${p} ${n ? "" : "depth-zero"}` }, h("span", { text: priorityLabel(p) }), h("strong", { text: String(n) }));
    }),
  );
}

/** The team queues in `box`; `teamsLoaded(teams)` lets the page fill its team filter. */
export function teamQueues(box, { worker, teamsLoaded }) {
  async function takeNext(team, button) {
    await busy(button, async () => {
      button.textContent = "Taking…";
      try {
        const { status, data } = await api(`/queues/${encodeURIComponent(team.team)}/next`, { method: "POST" });
        if (status === 204) {
          const message = takeNextMessage(team, { status });
          notify(message.text, message.kind);
          await load({ force: true });
          box.querySelector(`[data-team="${CSS.escape(team.team)}"] button`)?.focus();
          return;
        }
        notify(`You now own a ${priorityLabel(data.case.priority)} case. Its story is below.`, "success");
        location.hash = caseHref(data.case.case_id);
      } catch (error) {
        const message = takeNextMessage(team, { error });
        notify(message.text, message.kind);
      }
    });
  }

  function queueCard(team) {
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
      depthList(team.depth || {}),
      worker ? button : null,
    );
  }

  async function load({ force = false } = {}) {
    try {
      const { data } = await api("/queues");
      const teams = data.items || [];
      teamsLoaded(teams);
      // Re-render only when that does not pull a focused button from under the user.
      if (force || !box.contains(document.activeElement)) {
        fill(box, teams.length ? teams.map(queueCard) : h("p", { class: "empty", text: "No team queues are configured." }));
      }
    } catch (error) {
      fill(box, h("p", { class: "form-error", text: `Queues could not be loaded: ${error.message}` }));
    } finally {
      box.removeAttribute("aria-busy");
    }
  }
  return { load };
}
