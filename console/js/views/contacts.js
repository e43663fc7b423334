// Contacts (issue #12): who is on call, and how each person is reached by email and SMS when an SLA is
// breached or a case is escalated urgently. Supervisors and admins; the escalation directory is shown
// for reference (it is edited in the configuration).

import { api, ApiError } from "../api.js";
import { busy, fill, h, notify } from "../dom.js";
import { canSeeReports } from "../format.js";

const EVENTS = [
  ["sla_breach", "SLA breach"],
  ["urgent_escalation", "Urgent escalation"],
];
const EMAIL = /^[^@\s]{1,64}@[^@\s]{1,255}$/;
const E164 = /^\+[1-9][0-9]{6,14}$/;

/** What is wrong with one person's preferences, by field (empty when nothing is). */
export function preferenceProblems(pref) {
  const problems = {};
  if (!EMAIL.test(pref.email || "")) problems.email = "Enter the person's email address.";
  if (pref.phone && !E164.test(pref.phone)) problems.phone = "Give the phone in international format, e.g. +447700900123.";
  if (!pref.phone && pref.sms_for.length) problems.phone = "SMS needs a phone number.";
  return problems;
}

function checkbox(id, label, checked) {
  const input = h("input", { type: "checkbox", id, checked: Boolean(checked) });
  return [input, h("label", { for: id, text: label })];
}

function preferenceRow(pref, onRemove) {
  const row = h(
    "tr",
    { dataset: { person: pref.email } },
    h("td", { "data-label": "Person", text: pref.email }),
    h("td", { "data-label": "Phone", text: pref.phone || "—" }),
    h("td", { "data-label": "Email for", text: eventNames(pref.email_for) }),
    h("td", { "data-label": "SMS for", text: eventNames(pref.sms_for) }),
  );
  const remove = h("button", { type: "button", class: "button button-small", text: "Remove" });
  remove.setAttribute("aria-label", `Remove ${pref.email}'s preferences`);
  remove.addEventListener("click", () => onRemove(pref.email));
  row.append(h("td", {}, remove));
  return row;
}

function eventNames(keys) {
  return keys.map((e) => EVENTS.find(([k]) => k === e)[1]).join(", ") || "nothing";
}

function showPreferences(listBox, preferences, onRemove) {
  const rows = preferences.map((p) => preferenceRow(p, onRemove));
  fill(
    listBox,
    rows.length
      ? h(
          "table",
          { class: "contacts" },
          h("caption", { text: "How each person is reached" }),
          h("thead", {}, h("tr", {}, ["Person", "Phone", "Email for", "SMS for", ""].map((t) => h("th", { scope: "col", text: t })))),
          h("tbody", {}, rows),
        )
      : h("p", { class: "empty", text: "No preferences yet: everyone is reached by email only." }),
  );
}

function showDirectory(box, directory) {
  fill(
    box,
    h(
      "table",
      { class: "directory" },
      h("caption", { text: "Escalation directory (high and critical contacts are always reached urgently)" }),
      h("thead", {}, h("tr", {}, ["Contact", "Email", "Phone", "Urgency"].map((t) => h("th", { scope: "col", text: t })))),
      h("tbody", {}, directory.map((c) => h("tr", {}, h("td", { text: c.name }), h("td", { text: c.email }), h("td", { text: c.phone }), h("td", { text: c.urgency })))),
    ),
  );
}

/** The on-call form; `page.save(next, message)` stores the settings. */
function onCallForm(page) {
  const input = h("input", { type: "email", id: "on-call", autocomplete: "off" });
  const error = h("p", { id: "on-call-error", class: "form-error", hidden: "" });
  const button = h("button", { type: "submit", class: "button button-primary", text: "Save on call" });
  const form = h("form", { class: "stack" }, h("label", { for: "on-call", text: "On call (reached on SLA breaches of non-crisis cases)" }), input, error, button);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = input.value.trim();
    const bad = Boolean(value) && !EMAIL.test(value);
    error.textContent = bad ? "Enter the on-call person's email address." : "";
    error.hidden = !bad;
    input.setAttribute("aria-invalid", bad ? "true" : "false");
    if (bad) return;
    busy(button, () => page.save({ ...page.state, on_call: value || null }, value ? `${value} is on call.` : "Nobody is on call."));
  });
  return { form, input };
}

function preferenceFields() {
  const fields = {
    email: h("input", { type: "email", id: "pref-email", autocomplete: "off" }),
    phone: h("input", { type: "tel", id: "pref-phone", autocomplete: "off", placeholder: "+447700900123" }),
    emailError: h("p", { id: "pref-email-error", class: "form-error", hidden: "" }),
    phoneError: h("p", { id: "pref-phone-error", class: "form-error", hidden: "" }),
    boxes: Object.fromEntries(
      EVENTS.flatMap(([key, label]) => [
        [`email:${key}`, checkbox(`pref-email-${key}`, `Email on ${label.toLowerCase()}`, true)],
        [`sms:${key}`, checkbox(`pref-sms-${key}`, `SMS on ${label.toLowerCase()}`, key === "urgent_escalation")],
      ]),
    ),
  };
  fields.read = () => ({
    email: fields.email.value.trim(),
    phone: fields.phone.value.trim() || null,
    email_for: EVENTS.map(([k]) => k).filter((k) => fields.boxes[`email:${k}`][0].checked),
    sms_for: EVENTS.map(([k]) => k).filter((k) => fields.boxes[`sms:${k}`][0].checked),
  });
  fields.show = (problems) => {
    for (const [box, input, field] of [[fields.emailError, fields.email, "email"], [fields.phoneError, fields.phone, "phone"]]) {
      box.textContent = problems[field] || "";
      box.hidden = !problems[field];
      input.setAttribute("aria-invalid", problems[field] ? "true" : "false");
    }
  };
  return fields;
}

/** The form adding or replacing one person's preferences. */
function preferenceForm(page) {
  const f = preferenceFields();
  const button = h("button", { type: "submit", class: "button button-primary", text: "Save preferences" });
  const form = h(
    "form",
    { class: "stack", id: "preference-form" },
    h("label", { for: "pref-email", text: "Person's email" }),
    f.email,
    f.emailError,
    h("label", { for: "pref-phone", text: "Phone for SMS" }),
    f.phone,
    f.phoneError,
    h("fieldset", {}, h("legend", { text: "Reach them" }), Object.values(f.boxes).map((pair) => h("div", { class: "check" }, pair))),
    button,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const pref = f.read();
    const problems = preferenceProblems(pref);
    f.show(problems);
    if (Object.keys(problems).length) return;
    const others = page.state.preferences.filter((p) => p.email.toLowerCase() !== pref.email.toLowerCase());
    busy(button, async () => {
      if (await page.save({ ...page.state, preferences: others.concat([pref]) }, `Preferences saved for ${pref.email}.`)) form.reset();
    });
  });
  return form;
}

export function renderContacts(container, { session }) {
  document.title = "Contacts · Heard";
  if (!canSeeReports(session.groups)) {
    fill(container, h("h1", { tabindex: "-1", text: "Contacts" }), h("p", { text: "Contacts are for supervisors and administrators." }));
    return null;
  }
  const listBox = h("div", { class: "table-wrap", "aria-busy": "true" }, h("p", { class: "muted", text: "Loading contacts…" }));
  const directoryBox = h("div", { class: "table-wrap" });
  const page = { state: { on_call: null, preferences: [], directory: [] } };
  const onCall = onCallForm(page);
  page.show = () => {
    onCall.input.value = page.state.on_call || "";
    const remove = (who) => page.save({ ...page.state, preferences: page.state.preferences.filter((x) => x.email !== who) }, `${who}'s preferences removed.`);
    showPreferences(listBox, page.state.preferences, remove);
    showDirectory(directoryBox, page.state.directory);
  };
  page.save = async (next, done) => {
    try {
      const { data } = await api("/contacts", { method: "PUT", body: { on_call: next.on_call || null, preferences: next.preferences } });
      page.state = data;
      page.show();
      notify(done, "success");
      return true;
    } catch (error) {
      notify(error instanceof ApiError && error.status === 403 ? "Contacts are for supervisors and administrators." : error.message, "error");
      return false;
    }
  };
  fill(
    container,
    h("div", { class: "page-head" }, h("h1", { tabindex: "-1", text: "Contacts" })),
    h("p", { class: "muted", text: "SLA breaches reach the crisis owner of a crisis case, else the on-call person; urgent escalations reach the escalation contact too. Email goes through Amazon SES, SMS through Amazon SNS; a failed send never holds up the case." }),
    onCall.form,
    h("h2", { text: "Preferences" }),
    listBox,
    preferenceForm(page),
    h("h2", { text: "Escalation directory" }),
    directoryBox,
  );
  api("/contacts")
    .then(({ data }) => {
      page.state = data;
      page.show();
    })
    .catch((error) => fill(listBox, h("p", { class: "form-error", text: `Contacts could not be loaded: ${error.message}` })))
    .finally(() => listBox.removeAttribute("aria-busy"));
  return null;
}
