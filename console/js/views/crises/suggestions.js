// Spike suggestions of the last 24 hours, uncovered ones first, each with a "Declare crisis" shortcut
// that fills the declare form from the spike.

import { recentSuggestions, suggestionText } from "../../crisis.js";
import { fill, h } from "../../dom.js";

function suggestionItem(s, { byId, topicNames, onDeclare }) {
  const covering = s.covered_by ? byId[s.covered_by] : null;
  const button = s.covered_by ? null : h("button", { type: "button", class: "button button-primary", text: "Declare crisis" });
  if (button) {
    button.setAttribute("aria-describedby", `suggestion-${s.suggestion_id}`);
    button.addEventListener("click", () => onDeclare(s));
  }
  return h(
    "li",
    { class: `card suggestion ${s.covered_by ? "suggestion-covered" : "suggestion-open"}`, dataset: { suggestionId: s.suggestion_id } },
    h("p", { id: `suggestion-${s.suggestion_id}`, class: "suggestion-text" }, h("strong", { text: "Spike: " }), suggestionText(s, topicNames)),
    s.covered_by
      ? h("p", { class: "muted small", text: `Already covered by the crisis ${covering ? `"${covering.name}"` : s.covered_by}.` })
      : h("p", { class: "muted small", text: s.notified.length ? `Alerted: ${s.notified.join(", ")}.` : "Consider declaring a crisis." }),
    button,
  );
}

/** Draw the suggestions into `box`; `onDeclare(suggestion)` fills the declare form. */
export function showSuggestions(box, { suggestions, crises, topicNames, onDeclare }) {
  const shown = recentSuggestions(suggestions, Date.now());
  if (!shown.length) {
    fill(box, h("p", { class: "empty", text: "No spikes in the last 24 hours." }));
    return;
  }
  const byId = Object.fromEntries(crises.map((c) => [c.crisis_id, c]));
  fill(box, h("ul", { class: "suggestion-list" }, shown.map((s) => suggestionItem(s, { byId, topicNames, onDeclare }))));
}
