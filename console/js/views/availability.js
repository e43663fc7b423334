// The header's "Away" switch (R8): while you are away, a customer of yours who writes again goes to your
// backup (or back to the team's queue when you name nobody). GET/PUT /api/me/availability.

import { api, ApiError } from "../api.js";
import { busy, fill, h, notify } from "../dom.js";
import { availabilityLabel, availabilityMessage, checkBackup } from "../escalation.js";
import { canWork } from "../format.js";

const container = () => document.getElementById("availability");
let mountedFor = null; // the email the widget was built for (a new sign-in rebuilds it)
let outsideClick = null; // closes the panel when someone clicks elsewhere, like a menu

export function unmountAvailability() {
  mountedFor = null;
  if (outsideClick) document.removeEventListener("click", outsideClick);
  outsideClick = null;
  const el = container();
  if (!el) return;
  el.hidden = true;
  fill(el);
}

function availabilityControls() {
  const state = h("span", { class: "availability-state", text: "Available" });
  const summary = h("summary", { class: "availability-summary" }, h("span", { class: "availability-dot", "aria-hidden": "true" }), state);
  const toggle = h("input", { type: "checkbox", role: "switch", id: "away-toggle", name: "away", "aria-describedby": "away-help" });
  const backup = h("input", {
    type: "email",
    id: "away-backup",
    name: "backup",
    autocomplete: "off",
    inputmode: "email",
    maxlength: "320",
    placeholder: "name@example.com",
    "aria-describedby": "away-help away-error",
  });
  const error = h("p", { id: "away-error", class: "form-error", role: "alert" });
  const save = h("button", { type: "submit", class: "button button-small button-primary", text: "Save backup" });
  const form = h(
    "form",
    { class: "availability-form", novalidate: true },
    h("div", { class: "field-check" }, toggle, h("label", { for: "away-toggle", text: "I am away" })),
    h("div", { class: "field" }, h("label", { for: "away-backup", text: "Backup while you are away (optional)" }), backup),
    h("p", { id: "away-help", class: "muted small", text: "Customers of yours who write again go to your backup, or back to the team's queue when you name nobody." }),
    error,
    save,
  );
  return { state, summary, toggle, backup, error, save, form, details: h("details", { class: "availability" }, summary, form) };
}

/** Show what the API says and save changes: the backup is checked first (not yourself, an email). */
function availabilityState(c, session) {
  let current = { away: false, backup: null };
  function show(availability) {
    current = availability;
    c.toggle.checked = Boolean(availability.away);
    if (document.activeElement !== c.backup) c.backup.value = availability.backup || "";
    c.state.textContent = availabilityLabel(availability);
    c.details.classList.toggle("is-away", Boolean(availability.away));
  }
  async function put(away, backup) {
    try {
      const { data } = await api("/me/availability", { method: "PUT", body: { away, backup } });
      c.backup.value = data.backup || "";
      show(data);
      notify(availabilityMessage(data), "success");
    } catch (failure) {
      c.toggle.checked = Boolean(current.away);
      if (!(failure instanceof ApiError && failure.status === 401)) c.error.textContent = failure.message;
    }
  }
  async function store(away, button) {
    const checked = checkBackup(c.backup.value, session.email);
    c.backup.setAttribute("aria-invalid", String(Boolean(checked.problem)));
    c.error.textContent = checked.problem || "";
    if (checked.problem) {
      c.toggle.checked = Boolean(current.away);
      c.backup.focus();
      return;
    }
    if (button) return busy(button, () => put(away, checked.backup));
    c.toggle.disabled = true;
    try {
      await put(away, checked.backup);
    } finally {
      c.toggle.disabled = false;
    }
  }
  return { show, store };
}

function wireAvailability(c, { store }) {
  c.toggle.addEventListener("change", () => store(c.toggle.checked, null));
  c.form.addEventListener("submit", (event) => {
    event.preventDefault();
    store(c.toggle.checked, c.save);
  });
  c.details.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && c.details.open) {
      c.details.open = false;
      c.summary.focus();
    }
  });
  outsideClick = (event) => {
    if (c.details.open && !c.details.contains(event.target)) c.details.open = false;
  };
  document.addEventListener("click", outsideClick);
}

export function mountAvailability(session) {
  const el = container();
  if (!el) return;
  if (!session || !canWork(session.groups)) {
    unmountAvailability();
    return;
  }
  if (mountedFor === session.email) return;
  mountedFor = session.email;

  const c = availabilityControls();
  const state = availabilityState(c, session);
  wireAvailability(c, state);
  fill(el, c.details);
  el.hidden = false;
  api("/me/availability")
    .then(({ data }) => {
      if (mountedFor === session.email) state.show(data);
    })
    .catch((failure) => {
      // A role without availability (403) simply has no switch; other failures say so in the widget.
      if (failure instanceof ApiError && failure.status === 403) unmountAvailability();
      else if (!(failure instanceof ApiError && failure.status === 401)) c.error.textContent = `Your availability could not be loaded: ${failure.message}`;
    });
}
