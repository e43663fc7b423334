// Finding things (#/search): words, a name, an email, a phone or an order number, with filters and an
// order, most urgent first by default; each agent's saved views. The search is kept in the address
// (#/search?q=…&status=…), so it can be shared, bookmarked and survives a reload.

import { api, latestOnly, query } from "../api.js";
import { busy, fill, h, notify } from "../dom.js";
import { caseTable } from "./widgets.js";

const SELECTS = [
  ["status", "Status", [["queued", "Waiting in a queue"], ["assigned", "Assigned"], ["resolved", "Resolved"]]],
  ["owner", "Owner", [["me", "Mine"]]],
  ["priority", "Priority", [["1", "P1 urgent"], ["2", "P2 high"], ["3", "P3 normal"], ["4", "P4 low"]]],
  ["category", "Category", ["complaint", "question", "praise", "feedback", "spam", "other"].map((c) => [c, c])],
  ["sentiment", "Sentiment", ["negative", "neutral", "positive"].map((s) => [s, s])],
  ["platform", "Platform", ["facebook", "instagram", "messenger", "whatsapp", "x", "telegram", "linkedin", "generic"].map((p) => [p, p])],
  ["sla", "SLA", [["breached", "Breached"], ["at_risk", "Due within 15 minutes"], ["on_time", "On time"], ["none", "Nothing due"]]],
];
const SORTS = [["urgent", "Most urgent first"], ["sla_due", "SLA due soonest"], ["priority", "Priority"], ["waiting", "Waiting longest"], ["newest", "Recently changed"]];
const TEXTS = [["team", "Team", "text"], ["tag", "Tag", "text"], ["opened_from", "Opened from", "date"], ["opened_to", "Opened to", "date"]];
const FIELDS = ["q", ...SELECTS.map(([n]) => n), ...TEXTS.map(([n]) => n), "sort"];
const PAGE = 50;

/** The search as the API takes it, from the address or the form (empty values dropped). */
function fromParams(params) {
  return Object.fromEntries(FIELDS.filter((f) => params[f]).map((f) => [f, params[f]]));
}

/** A hit as the case table shows a case. */
function asCase(hit) {
  return { ...hit, customer: { name: hit.customer_name, handle: hit.customer_handle } };
}

function select(name, label, options, value) {
  const el = h("select", { id: `search-${name}`, name }, h("option", { value: "", text: name === "owner" ? "Anyone" : "Any" }), options.map(([v, text]) => h("option", { value: v, selected: v === value, text })));
  return h("div", { class: "field field-inline" }, h("label", { for: `search-${name}`, text: label }), el);
}

function searchForm(current) {
  const q = h("input", { id: "search-q", name: "q", type: "search", maxlength: "200", value: current.q || "", placeholder: "Name, @handle, email, phone, order number or words", autocomplete: "off" });
  const sort = h("select", { id: "search-sort", name: "sort" }, SORTS.map(([v, text]) => h("option", { value: v, selected: v === (current.sort || "urgent"), text })));
  return h(
    "form",
    { class: "search-form", role: "search", "aria-label": "Search cases" },
    h("div", { class: "field" }, h("label", { for: "search-q", text: "Search" }), h("div", { class: "search-row" }, q, h("button", { type: "submit", class: "button button-primary", text: "Search" }))),
    h(
      "div",
      { class: "filters", role: "group", "aria-label": "Filters and order" },
      SELECTS.map(([name, label, options]) => select(name, label, options, current[name])),
      TEXTS.map(([name, label, type]) => h("div", { class: "field field-inline" }, h("label", { for: `search-${name}`, text: label }), h("input", { id: `search-${name}`, name, type, value: current[name] || "", maxlength: "40" }))),
      h("div", { class: "field field-inline" }, h("label", { for: "search-sort", text: "Order" }), sort),
    ),
  );
}

function formValues(form) {
  return fromParams(Object.fromEntries(new FormData(form).entries()));
}

/** Saved views: one button each (with delete), and "Save this search". */
function savedViews(box, { current, onOpen }) {
  async function load() {
    try {
      const { data } = await api("/search/views");
      const items = data.items || [];
      fill(
        box,
        items.length ? null : h("p", { class: "muted small", text: "No saved views yet." }),
        h(
          "ul",
          { class: "saved-views" },
          items.map((view) =>
            h(
              "li",
              {},
              h("button", { type: "button", class: "button button-quiet", text: view.name, onclick: () => onOpen(viewParams(view.query)) }),
              h("button", { type: "button", class: "button button-quiet small", "aria-label": `Delete the saved view ${view.name}`, text: "×", onclick: (e) => busy(e.currentTarget, () => remove(view)) }),
            ),
          ),
        ),
      );
    } catch (error) {
      fill(box, h("p", { class: "form-error", text: `Saved views could not be loaded: ${error.message}` }));
    }
  }
  async function remove(view) {
    await api(`/search/views/${encodeURIComponent(view.view_id)}`, { method: "DELETE" });
    notify(`Deleted the view “${view.name}”.`);
    load();
  }
  async function save(name) {
    await api("/search/views", { method: "POST", body: { name, query: viewQuery(current()) } });
    notify(`Saved the view “${name}”.`);
    load();
  }
  return { load, save };
}

/** The address's search as the saved view's query (the API's names), and back. */
function viewQuery(params) {
  const { q, opened_from: from, opened_to: to, priority, ...rest } = params;
  const body = { ...rest, text: q || "" };
  if (priority) body.priority = Number(priority);
  if (from) body.opened_from = `${from}T00:00:00Z`;
  if (to) body.opened_to = `${to}T23:59:59Z`;
  return body;
}

function viewParams(saved) {
  const params = {};
  for (const [key, value] of Object.entries(saved)) {
    if (value === null || value === "" || ["limit", "offset"].includes(key)) continue;
    if (key === "text") params.q = value;
    else if (key === "opened_from" || key === "opened_to") params[key] = String(value).slice(0, 10);
    else params[key] = String(value);
  }
  return params;
}

/** The results table with "Load more"; `load()` runs the current search again from the start. */
function resultsPane(current) {
  const results = h("div", { class: "table-wrap", "aria-live": "polite" });
  const more = h("button", { type: "button", class: "button", hidden: true, text: "Load more" });
  let listed = [];
  let offset = 0;
  const turn = latestOnly(); // only the latest search fills the table
  async function load({ append = false } = {}) {
    const search = current();
    const fresh = turn();
    try {
      const { data } = await api(`/search${query({ ...search, limit: PAGE, offset: append ? offset : 0 })}`);
      if (!fresh()) return;
      listed = append ? listed.concat(data.items || []) : data.items || [];
      offset = data.next_offset ?? 0;
      more.hidden = data.next_offset == null;
      const caption = search.q ? `Cases matching “${search.q}”` : "Cases, most urgent first";
      fill(results, h("p", { class: "muted small", id: "search-count", text: `${listed.length}${more.hidden ? "" : "+"} found` }), caseTable(listed.map(asCase), { caption, empty: "Nothing matches. Try fewer words or filters." }));
    } catch (error) {
      if (fresh()) fill(results, h("p", { class: "form-error", text: `The search failed: ${error.message}` }));
    }
  }
  more.addEventListener("click", () => busy(more, () => load({ append: true })));
  return { els: [results, more], load };
}

function saveViewForm(views) {
  const name = h("input", { id: "view-name", type: "text", maxlength: "60", required: true });
  const button = h("button", { type: "submit", class: "button", text: "Save view" });
  const form = h("form", { class: "save-view", "aria-label": "Save this search" }, h("label", { for: "view-name", text: "Save this search as" }), name, button);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(button, async () => {
      try {
        await views.save(name.value.trim());
        name.value = "";
      } catch (error) {
        notify(error.message, "error");
      }
    });
  });
  return form;
}

export function renderSearch(container, { query: params }) {
  document.title = "Search · Heard";
  let current = fromParams(params);
  const form = searchForm(current);
  const pane = resultsPane(() => current);
  const viewsBox = h("div", { class: "saved-views-box" });
  const views = savedViews(viewsBox, { current: () => current, onOpen: (p) => go(p) });

  function go(next) {
    current = fromParams(next);
    history.replaceState(null, "", `#/search${query(current)}`);
    for (const field of FIELDS) {
      const el = form.elements.namedItem(field);
      if (el) el.value = current[field] || (field === "sort" ? "urgent" : "");
    }
    pane.load();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    go(formValues(form));
  });
  form.addEventListener("change", (event) => {
    if (event.target.tagName === "SELECT" || event.target.type === "date") go(formValues(form));
  });

  fill(
    container,
    h("div", { class: "page-head" }, h("h1", { tabindex: "-1", text: "Search" })),
    form,
    h("section", { "aria-labelledby": "views-title" }, h("h2", { id: "views-title", text: "Saved views" }), viewsBox, saveViewForm(views)),
    h("section", { "aria-labelledby": "results-title" }, h("h2", { id: "results-title", text: "Results" }), ...pane.els),
  );
  pane.load();
  views.load();
  return () => {};
}
