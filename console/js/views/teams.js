// Teams (R7): who is in which team with which skills; supervisors move people between teams and set their
// skills (PUT /api/people/{email}). Agents and trainees claim only from their own teams' queues, and a case
// that needs skills goes only to someone who has them.

import { api, ApiError } from "../api.js";
import { busy, fill, h, notify } from "../dom.js";
import { canApprove } from "../format.js";

const SLUG = /^[a-z][a-z0-9-]{0,39}$/;

function teamCard(team, onEdit) {
  const rows = team.members.map((member) => {
    const edit = h("button", { type: "button", class: "button button-small", text: "Edit" });
    edit.setAttribute("aria-label", `Edit ${member.email}'s teams and skills`);
    edit.addEventListener("click", () => onEdit(member.email));
    return h(
      "tr",
      { dataset: { member: member.email } },
      h("td", { "data-label": "Person", text: member.email }),
      h("td", { "data-label": "Skills", text: member.skills.join(", ") || "—" }),
      h("td", { "data-label": "" }, edit),
    );
  });
  const facts = [
    `Languages: ${team.languages.join(", ") || "any"}`,
    `Skills: ${team.skills.join(", ") || "—"}`,
    `Capacity: ${team.agent_capacity} open cases per agent`,
  ].join(" · ");
  return h(
    "section",
    { class: "team-card", dataset: { team: team.id }, "aria-labelledby": `team-${team.id}` },
    h("h2", { id: `team-${team.id}`, text: `${team.name} (${team.id})` }),
    h("p", { class: "muted", text: facts }),
    rows.length
      ? h(
          "table",
          { class: "members" },
          h("caption", { class: "visually-hidden", text: `Members of ${team.name}` }),
          h("thead", {}, h("tr", {}, ["Person", "Skills", ""].map((t) => h("th", { scope: "col", text: t })))),
          h("tbody", {}, rows),
        )
      : h("p", { class: "empty", text: "No members: only supervisors and admins can take this team's cases." }),
  );
}

/** Problems with the form's fields, by field name, before anything is sent. */
export function personProblems(email, skills) {
  const problems = {};
  if (!/^[^@\s/]{1,64}@[^@\s/]{1,255}$/.test(email)) problems.email = "Enter the person's email address.";
  const bad = skills.filter((s) => !SLUG.test(s));
  if (bad.length) problems.skills = `Skills are lower-case words with hyphens; not: ${bad.join(", ")}.`;
  return problems;
}

export function parseSkills(text) {
  return [...new Set(String(text).split(",").map((s) => s.trim().toLowerCase()).filter(Boolean))];
}

/** Check the form, then PUT /api/people/{email}; the API's complaint goes next to the field it names. */
function submitPerson({ form, email, skills, save, show, onSaved }) {
  const who = email.value.trim().toLowerCase();
  const wanted = parseSkills(skills.value);
  const problems = personProblems(who, wanted);
  show(problems);
  if (Object.keys(problems).length) return;
  const chosen = [...form.querySelectorAll("input[name=team]:checked")].map((b) => b.value);
  busy(save, async () => {
    try {
      const { data } = await api(`/people/${encodeURIComponent(who)}`, { method: "PUT", body: { teams: chosen, skills: wanted } });
      notify(`${data.email} is now in ${data.teams.join(", ") || "no team"}.`, "success");
      await onSaved();
    } catch (error) {
      const message = error.message || String(error);
      const field = /team/i.test(message) ? "teams" : /skill/i.test(message) ? "skills" : /email/i.test(message) ? "email" : null;
      if (field) show({ [field]: message });
      notify(message, "error");
    }
  });
}

function personForm(teams, onSaved) {
  const email = h("input", { id: "person-email", type: "email", autocomplete: "off", required: "" });
  const skills = h("input", { id: "person-skills", type: "text", autocomplete: "off", placeholder: "spanish, billing" });
  const emailError = h("p", { id: "person-email-error", class: "form-error", hidden: "" });
  const skillsError = h("p", { id: "person-skills-error", class: "form-error", hidden: "" });
  const teamsError = h("p", { id: "person-teams-error", class: "form-error", hidden: "" });
  const boxes = teams.map((team) =>
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "team", value: team.id }), ` ${team.name}`),
  );
  const save = h("button", { type: "submit", class: "button button-primary", text: "Save" });
  const form = h(
    "form",
    { id: "person-form", class: "person-form", novalidate: "" },
    h("h2", { text: "Move a person" }),
    h("label", { for: "person-email", text: "Email" }),
    email,
    emailError,
    h("fieldset", {}, h("legend", { text: "Teams" }), ...boxes),
    teamsError,
    h("label", { for: "person-skills", text: "Skills (comma-separated)" }),
    skills,
    skillsError,
    save,
  );
  const errors = { email: emailError, skills: skillsError, teams: teamsError };

  function show(problems) {
    for (const [field, box] of Object.entries(errors)) {
      box.textContent = problems[field] || "";
      box.hidden = !problems[field];
    }
    email.setAttribute("aria-invalid", problems.email ? "true" : "false");
    skills.setAttribute("aria-invalid", problems.skills ? "true" : "false");
  }

  function edit(person) {
    email.value = person;
    const member = teams.filter((t) => t.members.some((m) => m.email === person));
    for (const box of form.querySelectorAll("input[name=team]")) box.checked = member.some((t) => t.id === box.value);
    const known = teams.flatMap((t) => t.members).find((m) => m.email === person);
    skills.value = known ? known.skills.join(", ") : "";
    show({});
    email.focus();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitPerson({ form, email, skills, save, show, onSaved });
  });
  return { form, edit };
}

export function renderTeams(container, { session }) {
  document.title = "Teams · Heard";
  if (!canApprove(session.groups)) {
    fill(container, h("h1", { tabindex: "-1", text: "Teams" }), h("p", { text: "Teams are managed by supervisors and administrators." }));
    return null;
  }
  const listBox = h("div", { class: "teams", "aria-busy": "true" }, h("p", { class: "muted", text: "Loading teams…" }));
  const formBox = h("div", { class: "person-form-slot" });
  let editor = null;

  async function load() {
    try {
      const { data } = await api("/teams");
      const teams = data.items || [];
      const remembered = editor ? editor.form.querySelector("#person-email").value : "";
      editor = personForm(teams, load);
      fill(formBox, editor.form);
      if (remembered) editor.edit(remembered);
      fill(listBox, ...teams.map((team) => teamCard(team, (person) => editor.edit(person))));
    } catch (error) {
      if (error instanceof ApiError && error.status === 403) fill(listBox, h("p", { text: "Teams are managed by supervisors and administrators." }));
      else fill(listBox, h("p", { class: "form-error", text: `Teams could not be loaded: ${error.message}` }));
    } finally {
      listBox.removeAttribute("aria-busy");
    }
  }

  fill(
    container,
    h("h1", { tabindex: "-1", text: "Teams" }),
    h("p", { class: "muted", text: "Agents and trainees take cases only from their own teams' queues; a case that needs skills goes only to someone who has them." }),
    formBox,
    listBox,
  );
  load();
  return null;
}
