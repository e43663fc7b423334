// Crisis mode for supervisors and admins (R6, R15): spike suggestions with a "Declare crisis" shortcut,
// the active crises (edit the holding statement, end), the declare form, and recently ended crises.
// The sections live in views/crises/; this module holds the page's state and loads it.

import { api } from "../api.js";
import { configNames } from "../crisis.js";
import { busy, fill, h, notify } from "../dom.js";
import { canManageCrises } from "../format.js";
import { showCrisisBanner } from "./banner.js";
import { showActive } from "./crises/active.js";
import { declareSection } from "./crises/declare.js";
import { showRecent } from "./crises/recent.js";
import { showSuggestions } from "./crises/suggestions.js";

const REFRESH_MS = 30_000;

function boxes() {
  return {
    suggestions: h("div", { class: "suggestions", "aria-busy": "true" }, h("p", { class: "muted", text: "Loading spike suggestions…" })),
    active: h("div", { class: "crisis-list", "aria-busy": "true" }, h("p", { class: "muted", text: "Loading crises…" })),
    recent: h("div", { class: "table-wrap" }),
    declare: h("div", { class: "card declare" }, h("p", { class: "muted", text: "Loading the crisis types…" })),
  };
}

function layout(container, box, refresh) {
  const section = (id, title, content, extra = {}) =>
    h("section", { "aria-labelledby": id, ...extra }, h("h2", { id, text: title, ...(id === "active-title" ? { tabindex: "-1" } : {}) }), content);
  fill(
    container,
    h("div", { class: "page-head" }, h("h1", { tabindex: "-1", text: "Crises" }), refresh),
    h(
      "p",
      { class: "muted", text: "While a crisis is active, every new post that matches it is tagged, goes to its team at P1 and gets the holding statement automatically. Agents see it in the banner." },
    ),
    section("suggestions-title", "Spike suggestions", box.suggestions, { class: "spikes" }),
    section("active-title", "Active crises", box.active),
    section("declare-title", "Declare a crisis", box.declare),
    section("recent-title", "Recently ended", box.recent),
  );
}

/** The page's state: the configuration, the crises and suggestions, and which crises are being edited. */
function crisesPage(box) {
  const state = { config: null, crises: [], suggestions: [] };
  const page = { editing: new Set(), config: () => state.config, names: () => configNames(state.config) };
  const declare = declareSection(box.declare, page);

  function showLists(listed, force) {
    state.crises = listed.data.items || [];
    showCrisisBanner(state.crises);
    // Keep what someone is typing or pointing at: re-draw only when nothing in the lists is in use.
    if (force || (!page.editing.size && !box.active.contains(document.activeElement))) showActive(box.active, state.crises, page);
    showRecent(box.recent, { crises: state.crises, typeName: page.names().type });
  }

  function showSpikes(suggested, force) {
    state.suggestions = suggested.data.items || [];
    if (force || !box.suggestions.contains(document.activeElement)) {
      showSuggestions(box.suggestions, { suggestions: state.suggestions, crises: state.crises, topicNames: page.names().topics(), onDeclare: declare.prefill });
    }
  }

  page.load = async ({ force = false } = {}) => {
    const [listed, suggested] = await Promise.allSettled([api("/crises?limit=50"), api("/crises/suggestions?limit=50")]);
    if (listed.status === "fulfilled") showLists(listed.value, force);
    else fill(box.active, h("p", { class: "form-error", text: `Crises could not be loaded: ${listed.reason.message}` }));
    box.active.removeAttribute("aria-busy");
    if (suggested.status === "fulfilled") showSpikes(suggested.value, force);
    else fill(box.suggestions, h("p", { class: "form-error", text: `Spike suggestions could not be loaded: ${suggested.reason.message}` }));
    box.suggestions.removeAttribute("aria-busy");
  };

  page.loadConfig = async () => {
    try {
      const { data } = await api("/config");
      state.config = data.config;
      declare.show();
    } catch (error) {
      fill(box.declare, h("p", { class: "form-error", text: `The crisis types could not be loaded: ${error.message}` }));
    }
  };
  return page;
}

export function renderCrises(container, { session }) {
  document.title = "Crises · Heard";
  if (!canManageCrises(session.groups)) {
    fill(container, h("h1", { tabindex: "-1", text: "Crises" }), h("p", { text: "Declaring and ending crises is for supervisors and administrators." }));
    return null;
  }
  const box = boxes();
  const page = crisesPage(box);
  const refresh = h("button", { type: "button", class: "button button-quiet", text: "Refresh" });
  refresh.addEventListener("click", () =>
    busy(refresh, async () => {
      await page.load({ force: !page.editing.size });
      notify("Crises refreshed.");
    }),
  );
  layout(container, box, refresh);

  // Config first (the type names label the lists), then the lists; both on their own on failure.
  page.loadConfig().then(() => page.load({ force: true }));
  const timer = setInterval(() => {
    if (document.visibilityState === "visible") page.load();
  }, REFRESH_MS);
  return () => clearInterval(timer);
}
