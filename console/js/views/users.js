// Users (admin console): every account of the user pool with its role, teams, probation end; invite a
// person (POST /api/users/{email}), change their role, teams, probation end, disable or enable them
// (PATCH /api/users/{email}). The API's located problems show next to the field they concern.

import { api } from "../api.js";
import { busy, fill, h, notify } from "../dom.js";
import { showProblems } from "../fielderrors.js";
import { roleNames } from "../meta.js";

function userRow(user, onEdit, onToggle) {
  const edit = h("button", { type: "button", class: "button button-small", text: "Edit" });
  edit.setAttribute("aria-label", `Edit ${user.email}`);
  edit.addEventListener("click", () => onEdit(user));
  const toggle = h("button", { type: "button", class: "button button-small", text: user.enabled ? "Disable" : "Enable" });
  toggle.setAttribute("aria-label", `${user.enabled ? "Disable" : "Enable"} ${user.email}`);
  toggle.addEventListener("click", () => onToggle(user, toggle));
  return h(
    "tr",
    { dataset: { user: user.email } },
    h("td", { "data-label": "Person", text: user.email }),
    h("td", { "data-label": "Role", text: user.role || "none" }),
    h("td", { "data-label": "Teams", text: user.teams.join(", ") || "—" }),
    h("td", { "data-label": "Skills", text: user.skills.join(", ") || "—" }),
    h("td", { "data-label": "Probation until", text: user.probation_until || "—" }),
    h("td", { "data-label": "Account", text: `${user.enabled ? "enabled" : "disabled"} · ${user.status === "FORCE_CHANGE_PASSWORD" ? "invited" : user.status.toLowerCase()}` }),
    h("td", { "data-label": "" }, edit, " ", toggle),
  );
}

function field(id, label, input, path) {
  input.id = id;
  input.dataset.path = path;
  return h("div", { class: "field" }, h("label", { for: id, text: label }), input);
}

/** Invite (POST) or change (PATCH) the person; the API's located problems go next to their fields. */
function submitUser({ form, fields, save, general, editing, onSaved }) {
  const { email, role, skills, probation } = fields;
  const who = email.value.trim().toLowerCase();
  const chosen = [...form.querySelectorAll("input[name=user-team]:checked")].map((b) => b.value);
  const wanted = [...new Set(skills.value.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean))];
  const body = { role: role.value, teams: chosen, skills: wanted, probation_until: probation.value || null };
  if (!/^[^@\s/]{1,64}@[^@\s/]{1,255}$/.test(who)) {
    showProblems(form, [{ loc: ["email"], type: "value_error", msg: "Enter the person's email address." }], general);
    return;
  }
  busy(save, async () => {
    try {
      const { data } = await api(`/users/${encodeURIComponent(who)}`, { method: editing ? "PATCH" : "POST", body });
      notify(editing ? `${data.email} is saved.` : `${data.email} is invited as ${data.role} in ${data.teams.join(", ") || "no team"}.`, "success");
      await onSaved();
    } catch (error) {
      const located = error.detail && error.detail.length ? error.detail : [{ loc: /team/i.test(error.message) ? ["teams"] : [], type: "value_error", msg: error.message }];
      showProblems(form, located, general);
      notify(error.message, "error");
    }
  });
}

function userForm(teams, onSaved) {
  const email = h("input", { type: "email", autocomplete: "off", required: "" });
  const role = h("select", {}, roleNames().map((r) => h("option", { value: r, text: r })));
  const skills = h("input", { type: "text", autocomplete: "off", placeholder: "spanish, billing" });
  const probation = h("input", { type: "date" });
  const boxes = teams.map((t) => h("label", { class: "check" }, h("input", { type: "checkbox", name: "user-team", value: t.id }), ` ${t.name}`));
  const teamSet = h("fieldset", { "data-path": "teams" }, h("legend", { text: "Teams" }), ...boxes);
  const general = h("p", { class: "form-error", role: "alert" });
  const save = h("button", { type: "submit", class: "button button-primary", text: "Invite" });
  const title = h("h2", { text: "Invite a person" });
  let editing = null;
  const form = h(
    "form",
    { id: "user-form", class: "person-form", novalidate: "" },
    title,
    field("invite-email", "Email", email, "email"),
    field("invite-role", "Role", role, "role"),
    teamSet,
    field("invite-skills", "Skills (comma-separated)", skills, "skills"),
    field("invite-probation", "Probation until", probation, "probation_until"),
    general,
    save,
  );

  function edit(user) {
    editing = user;
    title.textContent = `Change ${user.email}`;
    save.textContent = "Save changes";
    email.value = user.email;
    email.disabled = true;
    role.value = user.role || "agent";
    skills.value = user.skills.join(", ");
    probation.value = user.probation_until || "";
    for (const box of form.querySelectorAll("input[name=user-team]")) box.checked = user.teams.includes(box.value);
    showProblems(form, [], general);
    role.focus();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitUser({ form, fields: { email, role, skills, probation }, save, general, editing, onSaved });
  });
  return { form, edit };
}

/** The Users section: list, invite form, edit and disable. */
export function mountUsers(box, teams) {
  async function load() {
    const { data } = await api("/users");
    const editor = userForm(teams, load);
    const toggle = (user, button) =>
      busy(button, async () => {
        try {
          await api(`/users/${encodeURIComponent(user.email)}`, { method: "PATCH", body: { enabled: !user.enabled } });
          notify(`${user.email} is ${user.enabled ? "disabled" : "enabled"}.`, "success");
          await load();
        } catch (error) {
          notify(error.message, "error");
        }
      });
    const rows = data.items.map((u) => userRow(u, editor.edit, toggle));
    fill(
      box,
      h("h2", { id: "users-heading", text: "Users" }),
      editor.form,
      h(
        "table",
        { class: "members users" },
        h("caption", { class: "visually-hidden", text: "Every account" }),
        h("thead", {}, h("tr", {}, ["Person", "Role", "Teams", "Skills", "Probation until", "Account", ""].map((t) => h("th", { scope: "col", text: t })))),
        h("tbody", {}, rows),
      ),
    );
  }
  return load();
}
