// Lists of the configuration edited in the admin console's Settings: topics -> operations, crisis types
// (point person, backup), escalation contacts and departments. One editor for each: a fieldset per item
// with its fields (data-path="escalation_contacts.2.email", so the API's located problems show next to
// the field), an "Add" and a "Remove" button. Read back into the document by `readLists`.

import { fill, h } from "../dom.js";

function splitList(text) {
  return String(text).split(",").map((s) => s.trim()).filter(Boolean);
}

export const LISTS = [
  {
    key: "topics",
    title: "Topics (each tied to the company operation it concerns)",
    noun: "topic",
    blank: { id: "", operation: "", keywords: [] },
    fields: [["id", "Id (a-z, 0-9, -)"], ["operation", "Operation"], ["keywords", "Keywords (comma-separated)", "list"]],
  },
  {
    key: "crisis_types",
    title: "Crisis types (a point person and a backup each)",
    noun: "crisis type",
    blank: { id: "", name: "", point_person: "", backup: "", team: "", keywords: [] },
    fields: [["id", "Id (a-z, 0-9, -)"], ["name", "Name"], ["point_person", "Point person (email)"], ["backup", "Backup (email)"], ["team", "Team", "team"], ["keywords", "Keywords (comma-separated)", "list"]],
  },
  {
    key: "escalation_contacts",
    title: "Escalation contacts and departments",
    noun: "contact",
    blank: { id: "", name: "", title: "", question_types: [], email: "", phone: "", urgency: "normal", hours: "business hours", backup: null },
    fields: [
      ["id", "Id (a-z, 0-9, -)"], ["name", "Name (a person or a department)"], ["title", "Title"],
      ["question_types", "Question types (comma-separated)", "list"], ["email", "Email"], ["phone", "Phone (+44 20 7946 0000)"],
      ["urgency", "Urgency", "urgency"], ["hours", "Hours (24/7, Mon-Fri 09:00-17:00 Europe/London, business hours)"],
      ["backup", "Backup (another contact's id; empty = none)", "optional"],
    ],
  },
];

const URGENCIES = ["low", "normal", "high", "critical"];

function field(path, label, kind, value, teams) {
  const id = `cfg-${path.replaceAll(".", "-")}`;
  let el;
  if (kind === "team" || kind === "urgency") {
    const options = kind === "team" ? teams : URGENCIES.map((u) => [u, u]);
    el = h("select", { id }, options.map(([v, text]) => h("option", { value: v, text })));
  } else {
    el = h("input", { id, type: "text", autocomplete: "off" });
  }
  el.value = kind === "list" ? (value || []).join(", ") : value ?? "";
  el.dataset.path = path;
  return h("div", { class: "field" }, h("label", { for: id, text: label }), el);
}

/** The editor of one list; `state[list.key]` holds its items (re-read from the form before each redraw). */
export function listEditor(list, state, form, teams) {
  const box = h("div", { class: `config-list config-${list.key.replaceAll("_", "-")}` });
  const add = h("button", { type: "button", class: "button", text: `Add a ${list.noun}` });
  const draw = () => {
    fill(box, state[list.key].map((item, n) => {
      const remove = h("button", { type: "button", class: "button button-small", text: `Remove this ${list.noun}` });
      remove.addEventListener("click", () => {
        state[list.key] = readList(form, list, state[list.key]).filter((_, i) => i !== n);
        draw();
      });
      return h("fieldset", { class: "config-item", dataset: { list: list.key, index: String(n) } },
        h("legend", { text: item.name || item.id || `New ${list.noun}` }),
        list.fields.map(([name, label, kind]) => field(`${list.key}.${n}.${name}`, label, kind, item[name], teams)),
        remove);
    }));
  };
  add.addEventListener("click", () => {
    state[list.key] = [...readList(form, list, state[list.key]), { ...list.blank }];
    draw();
    const first = box.querySelector(`[data-path="${list.key}.${state[list.key].length - 1}.id"]`);
    if (first) first.focus();
  });
  draw();
  return [h("h3", { text: list.title }), box, add];
}

/** The items as the form says (fields it does not show, e.g. a topic's examples, are kept). */
export function readList(form, list, items) {
  return items.map((item, n) => {
    const read = { ...item };
    for (const [name, , kind] of list.fields) {
      const el = form.querySelector(`[data-path="${list.key}.${n}.${name}"]`);
      if (!el) continue;
      if (kind === "list") read[name] = splitList(el.value);
      else if (kind === "optional") read[name] = el.value.trim() || null;
      else read[name] = el.value.trim();
    }
    return read;
  });
}

export function readLists(form, state) {
  return Object.fromEntries(LISTS.map((list) => [list.key, readList(form, list, state[list.key])]));
}
