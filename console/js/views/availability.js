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

export function mountAvailability(session) {
  const el = container();
  if (!el) return;
  if (!session || !canWork(session.groups)) {
    unmountAvailability();
    return;
  }
  if (mountedFor === session.email) return;
  mountedFor = session.email;

  let current = { away: false, backup: null };
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
  const details = h("details", { class: "availability" }, summary, form);

  function show(availability) {
    current = availability;
    toggle.checked = Boolean(availability.away);
    if (document.activeElement !== backup) backup.value = availability.backup || "";
    state.textContent = availabilityLabel(availability);
    details.classList.toggle("is-away", Boolean(availability.away));
  }

  async function store(away, button) {
    const checked = checkBackup(backup.value, session.email);
    backup.setAttribute("aria-invalid", String(Boolean(checked.problem)));
    error.textContent = checked.problem || "";
    if (checked.problem) {
      toggle.checked = Boolean(current.away);
      backup.focus();
      return;
    }
    const run = async () => {
      try {
        const { data } = await api("/me/availability", { method: "PUT", body: { away, backup: checked.backup } });
        backup.value = data.backup || "";
        show(data);
        notify(availabilityMessage(data), "success");
      } catch (failure) {
        toggle.checked = Boolean(current.away);
        if (!(failure instanceof ApiError && failure.status === 401)) error.textContent = failure.message;
      }
    };
    if (button) await busy(button, run);
    else {
      toggle.disabled = true;
      try {
        await run();
      } finally {
        toggle.disabled = false;
      }
    }
  }

  toggle.addEventListener("change", () => store(toggle.checked, null));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    store(toggle.checked, save);
  });
  details.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && details.open) {
      details.open = false;
      summary.focus();
    }
  });

  outsideClick = (event) => {
    if (details.open && !details.contains(event.target)) details.open = false;
  };
  document.addEventListener("click", outsideClick);
  fill(el, details);
  el.hidden = false;
  api("/me/availability")
    .then(({ data }) => {
      if (mountedFor === session.email) show(data);
    })
    .catch((failure) => {
      // A role without availability (403) simply has no switch; other failures say so in the widget.
      if (failure instanceof ApiError && failure.status === 403) unmountAvailability();
      else if (!(failure instanceof ApiError && failure.status === 401)) error.textContent = `Your availability could not be loaded: ${failure.message}`;
    });
}
