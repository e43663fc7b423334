// Crisis mode for supervisors and admins (R6, R15): spike suggestions with a "Declare crisis" shortcut,
// the active crises (edit the holding statement, end), the declare form, and recently ended crises.

import { api, ApiError } from "../api.js";
import { composeStatement, crisisChanges, crisisProblems, declareBody, fieldOfError, recentSuggestions, suggestionPrefill, suggestionText } from "../crisis.js";
import { busy, fill, h, notify } from "../dom.js";
import { canManageCrises, formatDateTime } from "../format.js";
import { showCrisisBanner } from "./banner.js";
import { crisisFields } from "./crisisform.js";
import { confirmAction } from "./dialog.js";

const REFRESH_MS = 30_000;

function detail(term, ...value) {
  return h("div", { class: "detail" }, h("dt", { text: term }), h("dd", {}, ...value));
}

function matchesText(crisis) {
  const parts = [];
  if (crisis.keywords.length) parts.push(`keywords: ${crisis.keywords.join(", ")}`);
  if (crisis.topics.length) parts.push(`topics: ${crisis.topics.join(", ")}`);
  return parts.join("; ") || "nothing";
}

export function renderCrises(container, { session }) {
  document.title = "Crises · Heard";
  if (!canManageCrises(session.groups)) {
    fill(container, h("h1", { tabindex: "-1", text: "Crises" }), h("p", { text: "Declaring and ending crises is for supervisors and administrators." }));
    return null;
  }
  let config = null;
  let crises = [];
  let suggestions = [];
  const editing = new Set(); // crisis ids with an open edit form: a refresh must not wipe what is typed

  const suggestionsBox = h("div", { class: "suggestions", "aria-busy": "true" }, h("p", { class: "muted", text: "Loading spike suggestions…" }));
  const activeBox = h("div", { class: "crisis-list", "aria-busy": "true" }, h("p", { class: "muted", text: "Loading crises…" }));
  const recentBox = h("div", { class: "table-wrap" });
  const declareBox = h("div", { class: "card declare" }, h("p", { class: "muted", text: "Loading the crisis types…" }));
  const refresh = h("button", { type: "button", class: "button button-quiet", text: "Refresh" });
  let declareFields = null;

  const topicNames = () => Object.fromEntries(((config && config.topics) || []).map((t) => [t.id, t.id]));
  const typeName = (id) => ((config && config.crisis_types) || []).find((t) => t.id === id)?.name || id;
  const teamName = (id) => ((config && config.teams) || []).find((t) => t.id === id)?.name || id;

  // ---- spike suggestions ---------------------------------------------------------------------------

  function declareFromSuggestion(suggestion) {
    if (!declareFields) {
      notify("The crisis types have not loaded yet; try again in a moment.", "error");
      return;
    }
    const values = suggestionPrefill(suggestion, config);
    declareFields.set(values);
    declareFields.showProblems([]);
    document.getElementById("declare-title").scrollIntoView({ block: "start" });
    (values.type ? document.getElementById("declare-name") : document.getElementById("declare-type")).focus();
    notify("The declare form is filled in from the spike: add the keywords the posts share and the holding statement.");
  }

  function renderSuggestions() {
    const shown = recentSuggestions(suggestions, Date.now());
    if (!shown.length) {
      fill(suggestionsBox, h("p", { class: "empty", text: "No spikes in the last 24 hours." }));
      return;
    }
    const byId = Object.fromEntries(crises.map((c) => [c.crisis_id, c]));
    fill(
      suggestionsBox,
      h(
        "ul",
        { class: "suggestion-list" },
        shown.map((s) => {
          const covering = s.covered_by ? byId[s.covered_by] : null;
          const button = s.covered_by ? null : h("button", { type: "button", class: "button button-primary", text: "Declare crisis" });
          if (button) {
            button.setAttribute("aria-describedby", `suggestion-${s.suggestion_id}`);
            button.addEventListener("click", () => declareFromSuggestion(s));
          }
          return h(
            "li",
            { class: `card suggestion ${s.covered_by ? "suggestion-covered" : "suggestion-open"}`, dataset: { suggestionId: s.suggestion_id } },
            h("p", { id: `suggestion-${s.suggestion_id}`, class: "suggestion-text" }, h("strong", { text: "Spike: " }), suggestionText(s, topicNames())),
            s.covered_by
              ? h("p", { class: "muted small", text: `Already covered by the crisis ${covering ? `"${covering.name}"` : s.covered_by}.` })
              : h("p", { class: "muted small", text: s.notified.length ? `Alerted: ${s.notified.join(", ")}.` : "Consider declaring a crisis." }),
            button,
          );
        }),
      ),
    );
  }

  // ---- active crises -------------------------------------------------------------------------------

  async function endCrisis(crisis, button) {
    const answer = await confirmAction({
      title: `End the crisis "${crisis.name}"?`,
      message: "Matching posts become ordinary cases again and no more holding statements are sent. An ended crisis cannot be restarted; declare a new one if needed.",
      confirmLabel: "End crisis",
      danger: true,
      noteLabel: "Note for the record (optional)",
    });
    if (!answer) return;
    await busy(button, async () => {
      button.textContent = "Ending…";
      try {
        await api(`/crises/${encodeURIComponent(crisis.crisis_id)}/end`, { method: "POST", body: answer.note ? { note: answer.note } : {} });
        editing.delete(crisis.crisis_id);
        notify(`Crisis ended: ${crisis.name}. New posts are ordinary cases again.`, "success");
      } catch (error) {
        notify(error.message, "error");
      }
    });
    await load({ force: true });
    document.getElementById("active-title")?.focus();
  }

  function editForm(crisis, card, editButton) {
    const fields = crisisFields(`edit-${crisis.crisis_id}`, config || {}, { withType: false, initial: crisis });
    const save = h("button", { type: "submit", class: "button button-primary", text: "Save changes" });
    const cancel = h("button", { type: "button", class: "button", text: "Cancel" });
    const form = h("form", { class: "edit-crisis", novalidate: true, "aria-label": `Edit the crisis ${crisis.name}` }, fields.el, h("div", { class: "actions" }, cancel, save));
    const closeForm = () => {
      editing.delete(crisis.crisis_id);
      form.remove();
      editButton.setAttribute("aria-expanded", "false");
      editButton.focus();
    };
    cancel.addEventListener("click", closeForm);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const values = fields.read();
      const problems = crisisProblems(values, { requireType: false, knownTopics: config ? config.topics.map((t) => t.id) : null });
      fields.showProblems(problems);
      if (problems.length) {
        fields.focusFirstProblem();
        return;
      }
      const changes = crisisChanges(crisis, values);
      if (!changes) {
        notify("Nothing changed.");
        return;
      }
      const confirmed = await confirmAction({
        title: changes.holding_statement ? `Publish statement version ${crisis.statement_version + 1}?` : `Update "${crisis.name}"?`,
        message: changes.holding_statement
          ? "Customers who write from now on get the new statement; replies already sent are not sent again."
          : "What matches the crisis changes for posts that arrive from now on.",
        details: changes.holding_statement ? [h("q", { text: composeStatement(values) })] : [],
        confirmLabel: changes.holding_statement ? "Publish statement" : "Save changes",
      });
      if (!confirmed) return;
      await busy(save, async () => {
        save.textContent = "Saving…";
        try {
          const { data } = await api(`/crises/${encodeURIComponent(crisis.crisis_id)}`, { method: "PATCH", body: changes });
          editing.delete(crisis.crisis_id);
          notify(
            changes.holding_statement ? `Holding statement v${data.crisis.statement_version} is live for "${data.crisis.name}".` : `Crisis "${data.crisis.name}" updated.`,
            "success",
          );
        } catch (error) {
          fields.showProblems([{ field: fieldOfError(error.message, "text"), message: error.message }]);
          notify(error instanceof ApiError && error.status === 409 ? `Not saved: ${error.message}` : error.message, "error");
          if (!(error instanceof ApiError && error.status === 409)) return;
          editing.delete(crisis.crisis_id);
        }
      });
      if (!editing.has(crisis.crisis_id)) {
        await load({ force: true });
        document.querySelector(`[data-crisis-id="${CSS.escape(crisis.crisis_id)}"] h3`)?.focus();
      }
    });
    card.append(form);
    editing.add(crisis.crisis_id);
    editButton.setAttribute("aria-expanded", "true");
    document.getElementById(`edit-${crisis.crisis_id}-text`).focus();
  }

  function crisisCard(crisis) {
    const titleId = `crisis-${crisis.crisis_id}-name`;
    const edit = h("button", { type: "button", class: "button", "aria-expanded": "false", text: "Edit statement" });
    const end = h("button", { type: "button", class: "button button-danger", text: "End crisis" });
    // The visible words stay the accessible name (voice control); the crisis's name describes them.
    edit.setAttribute("aria-describedby", titleId);
    end.setAttribute("aria-describedby", titleId);
    const card = h(
      "article",
      { class: "card crisis-card", dataset: { crisisId: crisis.crisis_id }, "aria-labelledby": titleId },
      h("div", { class: "crisis-card-head" }, h("h3", { id: titleId, tabindex: "-1", text: crisis.name }), h("span", { class: "badge badge-danger", text: typeName(crisis.type) })),
      h(
        "dl",
        { class: "details details-compact" },
        detail("Declared", `${formatDateTime(crisis.declared_at)} by ${crisis.declared_by}`),
        detail("Team", teamName(crisis.team)),
        detail("Point person", crisis.point_person, h("div", { class: "muted small", text: `backup ${crisis.backup}` })),
        detail("Matches", matchesText(crisis)),
      ),
      h("p", { class: "preview-label", text: `Customers receive (statement v${crisis.statement_version}, updated ${formatDateTime(crisis.updated_at)}):` }),
      h("blockquote", { class: "statement-preview", text: crisis.statement_text }),
      crisis.history.length
        ? h(
            "details",
            { class: "history" },
            h("summary", { text: `History (${crisis.history.length})` }),
            h("ol", {}, crisis.history.map((e) => h("li", { text: `${formatDateTime(e.at)}: ${e.action} by ${e.actor} (statement v${e.statement_version})${e.note ? `; ${e.note}` : ""}` }))),
          )
        : null,
      h("div", { class: "actions" }, edit, end),
    );
    edit.addEventListener("click", () => {
      if (editing.has(crisis.crisis_id)) return;
      editForm(crisis, card, edit);
    });
    end.addEventListener("click", () => endCrisis(crisis, end));
    return card;
  }

  function renderActive() {
    const active = crises.filter((c) => c.status === "active");
    fill(activeBox, active.length ? active.map(crisisCard) : h("p", { class: "empty", text: "No crisis is active." }));
  }

  function renderRecent() {
    const ended = crises.filter((c) => c.status !== "active");
    if (!ended.length) {
      fill(recentBox, h("p", { class: "empty", text: "No crisis has ended recently." }));
      return;
    }
    fill(
      recentBox,
      h(
        "table",
        { class: "crises" },
        h("caption", { class: "visually-hidden", text: "Recently ended crises, newest first" }),
        h("thead", {}, h("tr", {}, ["Crisis", "Type", "Declared", "Ended", "Statement", "Matched"].map((t) => h("th", { scope: "col", text: t })))),
        h(
          "tbody",
          {},
          ended.map((c) =>
            h(
              "tr",
              { dataset: { crisisId: c.crisis_id } },
              h("td", { "data-label": "Crisis", text: c.name }),
              h("td", { "data-label": "Type", text: typeName(c.type) }),
              h("td", { "data-label": "Declared", text: `${formatDateTime(c.declared_at)} by ${c.declared_by}` }),
              h("td", { "data-label": "Ended", text: formatDateTime(c.ended_at) || "—" }),
              h("td", { "data-label": "Statement", text: `v${c.statement_version}` }),
              h("td", { "data-label": "Matched", text: matchesText(c) }),
            ),
          ),
        ),
      ),
    );
  }

  // ---- declare -------------------------------------------------------------------------------------

  function renderDeclare() {
    if (!config) return;
    if (!(config.crisis_types || []).length) {
      fill(declareBox, h("p", { text: "No crisis types are configured: an administrator adds them to the configuration (crisis_types)." }));
      return;
    }
    declareFields = crisisFields("declare", config, { withType: true });
    const submit = h("button", { type: "submit", id: "declare-submit", class: "button button-primary", text: "Declare crisis" });
    const form = h("form", { class: "declare-form", novalidate: true, "aria-labelledby": "declare-title" }, declareFields.el, h("div", { class: "actions" }, submit));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const values = declareFields.read();
      const problems = crisisProblems(values, {
        knownTypes: config.crisis_types.map((t) => t.id),
        knownTopics: (config.topics || []).map((t) => t.id),
      });
      declareFields.showProblems(problems);
      if (problems.length) {
        declareFields.focusFirstProblem();
        return;
      }
      const kind = config.crisis_types.find((t) => t.id === values.type);
      const confirmed = await confirmAction({
        title: `Declare the crisis "${values.name.trim()}"?`,
        message: `From now on every new post that matches goes to the ${teamName(kind.team)} team at P1 and gets the holding statement publicly from heard-bot. ${kind.point_person} and ${kind.backup} are notified.`,
        details: [`Matches: ${matchesText(values)}`, h("q", { text: composeStatement(values) })],
        confirmLabel: "Declare crisis",
      });
      if (!confirmed) return;
      await busy(submit, async () => {
        submit.textContent = "Declaring…";
        try {
          const { data } = await api("/crises", { method: "POST", body: declareBody(values) });
          notify(`Crisis declared: ${data.crisis.name}. Matching posts now get the holding statement.`, "success");
          renderDeclare(); // a fresh, empty form
          await load({ force: true });
          document.querySelector(`[data-crisis-id="${CSS.escape(data.crisis.crisis_id)}"] h3`)?.focus();
        } catch (error) {
          declareFields.showProblems([{ field: fieldOfError(error.message, "name"), message: error.message }]);
          notify(error.message, "error");
        }
      });
    });
    fill(declareBox, form);
  }

  // ---- loading -------------------------------------------------------------------------------------

  async function loadConfig() {
    try {
      const { data } = await api("/config");
      config = data.config;
      renderDeclare();
    } catch (error) {
      fill(declareBox, h("p", { class: "form-error", text: `The crisis types could not be loaded: ${error.message}` }));
    }
  }

  async function load({ force = false } = {}) {
    const [listed, suggested] = await Promise.allSettled([api("/crises?limit=50"), api("/crises/suggestions?limit=50")]);
    if (listed.status === "fulfilled") {
      crises = listed.value.data.items || [];
      showCrisisBanner(crises);
      // Keep what someone is typing or pointing at: re-draw only when nothing in the lists is in use.
      if (force || (!editing.size && !activeBox.contains(document.activeElement))) renderActive();
      renderRecent();
    } else {
      fill(activeBox, h("p", { class: "form-error", text: `Crises could not be loaded: ${listed.reason.message}` }));
    }
    activeBox.removeAttribute("aria-busy");
    if (suggested.status === "fulfilled") {
      suggestions = suggested.value.data.items || [];
      if (force || !suggestionsBox.contains(document.activeElement)) renderSuggestions();
    } else {
      fill(suggestionsBox, h("p", { class: "form-error", text: `Spike suggestions could not be loaded: ${suggested.reason.message}` }));
    }
    suggestionsBox.removeAttribute("aria-busy");
  }

  refresh.addEventListener("click", () =>
    busy(refresh, async () => {
      await load({ force: !editing.size });
      notify("Crises refreshed.");
    }),
  );

  fill(
    container,
    h("div", { class: "page-head" }, h("h1", { tabindex: "-1", text: "Crises" }), refresh),
    h(
      "p",
      { class: "muted", text: "While a crisis is active, every new post that matches it is tagged, goes to its team at P1 and gets the holding statement automatically. Agents see it in the banner." },
    ),
    h("section", { class: "spikes", "aria-labelledby": "suggestions-title" }, h("h2", { id: "suggestions-title", text: "Spike suggestions" }), suggestionsBox),
    h("section", { "aria-labelledby": "active-title" }, h("h2", { id: "active-title", tabindex: "-1", text: "Active crises" }), activeBox),
    h("section", { "aria-labelledby": "declare-title" }, h("h2", { id: "declare-title", text: "Declare a crisis" }), declareBox),
    h("section", { "aria-labelledby": "recent-title" }, h("h2", { id: "recent-title", text: "Recently ended" }), recentBox),
  );

  // Config first (the type names label the lists), then the lists; both on their own on failure.
  loadConfig().then(() => load({ force: true }));
  const timer = setInterval(() => {
    if (document.visibilityState === "visible") load();
  }, REFRESH_MS);
  return () => clearInterval(timer);
}
