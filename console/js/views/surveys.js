// Satisfaction scores (R21): CSAT and NPS of the surveys sent in a period, per agent, team and topic.

import { api, ApiError } from "../api.js";
import { busy, fill, h } from "../dom.js";
import { canSeeReports, formatDateTime } from "../format.js";

const DAY_MS = 24 * 60 * 60 * 1000;

/** A date input's value (yyyy-mm-dd, UTC) for a moment. */
export function dayValue(moment) {
  return new Date(moment).toISOString().slice(0, 10);
}

/** The API's query for a period picked as two days: from the start of the first to the end of the last (UTC). */
export function periodQuery(startDay, endDay) {
  const start = `${startDay}T00:00:00Z`;
  const end = new Date(Date.parse(`${endDay}T00:00:00Z`) + DAY_MS - 1000).toISOString().replace(".000Z", "Z");
  return `start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}`;
}

/** How a score reads: CSAT as a percentage satisfied, NPS as a signed number. */
export function scoreText(kind, score) {
  if (kind === "nps") return `${score > 0 ? "+" : ""}${Math.round(score)}`;
  return `${Math.round(score * 10) / 10}%`;
}

function label(kind) {
  return kind === "nps" ? "NPS (0-10)" : "CSAT (1-5)";
}

function scoreTable(kind, title, rows) {
  return h(
    "table",
    { class: "scores", dataset: { kind, dimension: title.toLowerCase() } },
    h("caption", { text: `${label(kind)} by ${title.toLowerCase()}` }),
    h("thead", {}, h("tr", {}, [title, "Answers", "Average", kind === "nps" ? "NPS" : "CSAT"].map((t) => h("th", { scope: "col", text: t })))),
    h(
      "tbody",
      {},
      rows.map((row) =>
        h(
          "tr",
          {},
          h("td", { "data-label": title, text: row.key }),
          h("td", { "data-label": "Answers", text: String(row.answers) }),
          h("td", { "data-label": "Average", text: String(row.average) }),
          h("td", { "data-label": "Score", class: "score", text: scoreText(kind, row.score) }),
        ),
      ),
    ),
  );
}

function kindSection(found) {
  const { kind, overall } = found;
  return h(
    "section",
    { class: "survey-kind", id: `scores-${kind}`, "aria-label": label(kind) },
    h("h2", { text: label(kind) }),
    h(
      "p",
      { class: "headline" },
      h("strong", { class: "overall-score", text: scoreText(kind, overall.score) }),
      ` from ${overall.answers} answer${overall.answers === 1 ? "" : "s"} (average ${overall.average})`,
    ),
    h("div", { class: "table-wrap" }, scoreTable(kind, "Agent", found.by_agent)),
    h("div", { class: "table-wrap" }, scoreTable(kind, "Team", found.by_team)),
    h("div", { class: "table-wrap" }, scoreTable(kind, "Topic", found.by_topic)),
  );
}

function showScores(box, data) {
  const period = h("p", { class: "muted", text: `Surveys sent ${formatDateTime(data.start)} – ${formatDateTime(data.end)}` });
  if (!data.kinds.length) {
    fill(box, period, h("p", { class: "empty", text: "No survey answers in this period." }));
    return;
  }
  fill(box, period, ...data.kinds.map(kindSection));
}

export function renderSurveys(container, { session }) {
  document.title = "Satisfaction · Heard";
  if (!canSeeReports(session.groups)) {
    fill(container, h("h1", { tabindex: "-1", text: "Satisfaction" }), h("p", { text: "Satisfaction scores are for supervisors and administrators." }));
    return null;
  }
  const now = Date.now();
  const start = h("input", { type: "date", id: "scores-start", value: dayValue(now - 29 * DAY_MS), required: true });
  const end = h("input", { type: "date", id: "scores-end", value: dayValue(now), required: true });
  const show = h("button", { type: "submit", class: "button button-primary", text: "Show" });
  const box = h("div", { id: "survey-scores", "aria-live": "polite" }, h("p", { class: "muted", text: "Loading scores…" }));
  const form = h(
    "form",
    { class: "period-picker" },
    h("label", { for: "scores-start", text: "From" }),
    start,
    h("label", { for: "scores-end", text: "To" }),
    end,
    show,
  );

  async function load() {
    box.setAttribute("aria-busy", "true");
    try {
      const { data } = await api(`/surveys/scores?${periodQuery(start.value, end.value)}`);
      showScores(box, data);
    } catch (error) {
      const text = error instanceof ApiError && error.status === 403 ? "Satisfaction scores are for supervisors and administrators." : `Scores could not be loaded: ${error.message}`;
      fill(box, h("p", { class: "form-error", role: "alert", text }));
    } finally {
      box.removeAttribute("aria-busy");
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(show, load);
  });

  fill(
    container,
    h("div", { class: "page-head" }, h("h1", { tabindex: "-1", text: "Satisfaction" })),
    h("p", { class: "muted", text: "CSAT and NPS from the surveys sent after resolution, per agent, team and topic. CSAT: share of answers 4-5 out of 5; NPS: promoters (9-10) minus detractors (0-6)." }),
    form,
    box,
  );
  load();
  return null;
}
