// "Escalate" on a case (R9, R22): to a person of the escalation directory (they are notified with the
// case summary; their backup too when they are outside their hours) or to a team (the case moves to its
// queue), always with a reason. POST /api/cases/{id}/escalate.

import { api, ApiError } from "../api.js";
import { busy, h } from "../dom.js";
import { escalationRequest, mailHref, rankContacts, REASON_MAX, telHref, urgencyLabel } from "../escalation.js";
import { openDialog } from "./dialog.js";

function contactOption(contact, fit, index) {
  const id = `escalate-contact-${contact.id}`;
  const radio = h("input", { type: "radio", name: "contact", id, value: contact.id, "aria-describedby": `${id}-details`, autofocus: index === 0 });
  const phone = telHref(contact.phone);
  const mail = mailHref(contact.email);
  return h(
    "li",
    { class: "contact-option", dataset: { contactId: contact.id } },
    radio,
    h(
      "div",
      { class: "contact-body" },
      h("label", { for: id }, h("strong", { text: contact.name }), `, ${contact.title}`),
      h(
        "div",
        { id: `${id}-details`, class: "contact-details small" },
        h("span", { class: `badge urgency urgency-${contact.urgency}`, text: `${urgencyLabel(contact.urgency)} urgency` }),
        fit ? h("span", { class: "badge badge-fit", text: `fits: ${fit}` }) : null,
        h("div", { text: `Hours: ${contact.hours}` }),
        contact.question_types.length ? h("div", { text: `For: ${contact.question_types.join(", ")}` }) : null,
        h(
          "div",
          {},
          phone ? h("a", { href: phone, text: contact.phone }) : contact.phone,
          " · ",
          mail ? h("a", { href: mail, text: contact.email }) : contact.email,
        ),
      ),
    ),
  );
}

function contactsFieldset(contacts, kase, loadProblem) {
  return h(
    "fieldset",
    { class: "fieldset", id: "escalate-contacts" },
    h("legend", { text: "Who" }),
    loadProblem ? h("p", { class: "form-error", text: `The escalation directory could not be loaded: ${loadProblem}` }) : null,
    contacts.length
      ? h("ul", { class: "contact-list" }, rankContacts(contacts, kase).map(({ contact, fit }, i) => contactOption(contact, fit, i)))
      : loadProblem
        ? null
        : h("p", { class: "empty", text: "The escalation directory is empty." }),
  );
}

function teamField(teams) {
  const select = h("select", { id: "escalate-team", name: "team" }, h("option", { value: "", text: "Choose a team…" }), teams.map((t) => h("option", { value: t.team, text: t.name || t.team })));
  return h(
    "div",
    { class: "field", id: "escalate-team-field" },
    h("label", { for: "escalate-team", text: "Team" }),
    select,
    h("p", { class: "muted small", text: "The case leaves its owner and waits in that team's queue at its priority." }),
  );
}

/** The dialog's form: a person or a team (only the chosen list shows), the reason, Cancel and Escalate. */
function buildForm(form, close, { kase, contacts, teams, loadProblem }) {
  const toContact = h("input", { type: "radio", name: "target", id: "escalate-to-contact", value: "contact", checked: contacts.length > 0 });
  const toTeam = h("input", { type: "radio", name: "target", id: "escalate-to-team", value: "team", checked: contacts.length === 0 });
  const contactList = contactsFieldset(contacts, kase, loadProblem);
  const teamBox = teamField(teams);
  const reason = h("textarea", { id: "escalate-reason", name: "reason", rows: "3", required: true, maxlength: String(REASON_MAX), "aria-describedby": "escalate-reason-hint" });
  const cancel = h("button", { type: "button", class: "button", text: "Cancel" });
  const submit = h("button", { type: "submit", id: "escalate-submit", class: "button button-primary", text: "Escalate" });
  cancel.addEventListener("click", () => close(null));
  const sync = () => {
    contactList.hidden = !toContact.checked;
    teamBox.hidden = !toTeam.checked;
  };
  toContact.addEventListener("change", sync);
  toTeam.addEventListener("change", sync);
  sync();
  form.append(
    h(
      "fieldset",
      { class: "fieldset target" },
      h("legend", { text: "Escalate to" }),
      h("div", { class: "field-check" }, toContact, h("label", { for: "escalate-to-contact", text: "A person (notified with the case summary; the case keeps its owner)" })),
      h("div", { class: "field-check" }, toTeam, h("label", { for: "escalate-to-team", text: "A team (the case moves to its queue)" })),
    ),
    contactList,
    h("div", { class: "field-check" }, h("input", { type: "checkbox", id: "escalate-urgent", name: "urgent" }), h("label", { for: "escalate-urgent", text: "Urgent (to a person: also by SMS, reminded, then their backup if unanswered)" })),
    teamBox,
    h("div", { class: "field" }, h("label", { for: "escalate-reason", text: "Reason (required)" }), reason, h("p", { id: "escalate-reason-hint", class: "muted small", text: "Goes with the case and stays on its timeline." })),
    h("div", { class: "form-error", role: "alert", id: "escalate-error" }),
    h("div", { class: "actions dialog-actions" }, cancel, submit),
  );
  form.dataset.caseId = kase.case_id;
}

/** Check the choice and the reason (problems beside the first field), then POST it; close with the answer. */
async function submitForm(form, close) {
  const chosen = form.querySelector("input[name=contact]:checked");
  const { problems, body } = escalationRequest({
    target: form.querySelector("input[name=target]:checked")?.value,
    contact: chosen ? chosen.value : null,
    team: form.querySelector("#escalate-team").value,
    reason: form.querySelector("#escalate-reason").value,
    urgent: form.querySelector("#escalate-urgent").checked,
  });
  const error = form.querySelector("#escalate-error");
  const reason = form.querySelector("#escalate-reason");
  reason.setAttribute("aria-invalid", String(problems.some((p) => p.field === "reason")));
  if (problems.length) {
    error.textContent = problems.map((p) => p.message).join(" ");
    const first = problems[0].field;
    (first === "reason" ? reason : first === "team" ? form.querySelector("#escalate-team") : form.querySelector("input[name=contact]"))?.focus();
    return;
  }
  error.textContent = "";
  const submit = form.querySelector("#escalate-submit");
  await busy(submit, async () => {
    submit.textContent = "Escalating…";
    try {
      const { data } = await api(`/cases/${encodeURIComponent(form.dataset.caseId)}/escalate`, { method: "POST", body });
      close(data);
    } catch (failure) {
      if (!(failure instanceof ApiError && failure.status === 401)) error.textContent = failure.message;
    }
  });
}

/**
 * Open the escalation dialog for `kase`. Resolves the API's {case, escalation} once escalated, or null
 * when cancelled. The directory and the teams are loaded when it opens (they change rarely).
 */
export async function escalateCase(kase) {
  const [contactsAnswer, queuesAnswer] = await Promise.allSettled([api("/escalation-contacts"), api("/queues")]);
  const contacts = contactsAnswer.status === "fulfilled" ? contactsAnswer.value.data.items || [] : [];
  const teams = queuesAnswer.status === "fulfilled" ? (queuesAnswer.value.data.items || []).filter((t) => t.team !== kase.team) : [];
  const loadProblem = contactsAnswer.status === "rejected" ? contactsAnswer.reason.message : null;
  return openDialog({
    title: "Escalate this case",
    className: "dialog-wide",
    build: (form, close) => buildForm(form, close, { kase, contacts, teams, loadProblem }),
    onSubmit: submitForm,
  });
}
