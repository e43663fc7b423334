// Training (R26): the procedure change in force — agents read it and pass its check (POST
// /api/training/{version}/attempts); until then their replies wait for a supervisor's approval.
// Supervisors publish a change with its questions (POST /api/training/changes) and see who is trained.

import { api, ApiError } from "../api.js";
import { busy, fill, h, notify } from "../dom.js";
import { canApprove, canWork } from "../format.js";

function question(q, n) {
  const choices = q.choices.map((choice, i) =>
    h("label", { class: "check" }, h("input", { type: "radio", name: `q-${n}`, value: String(i), required: true }), ` ${choice}`),
  );
  return h("fieldset", { class: "check-question", dataset: { question: String(n) } }, h("legend", { text: `${n + 1}. ${q.prompt}` }), ...choices);
}

function checkForm(change, onPassed) {
  const submit = h("button", { type: "submit", class: "button button-primary", text: "Submit answers" });
  const result = h("p", { id: "check-result", "aria-live": "polite" });
  const form = h("form", { id: "training-check" }, ...change.questions.map(question), submit, result);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const answers = change.questions.map((_, n) => {
      const picked = form.querySelector(`input[name=q-${n}]:checked`);
      return picked ? Number(picked.value) : -1;
    });
    if (answers.includes(-1)) {
      result.textContent = "Answer every question.";
      return;
    }
    busy(submit, async () => {
      try {
        const { data } = await api(`/training/${change.version}/attempts`, { method: "POST", body: { answers } });
        result.textContent = data.passed ? "Passed: your replies go out directly again." : `Not yet: check question(s) ${data.wrong.map((w) => w + 1).join(", ")} and try again.`;
        if (data.passed) onPassed();
      } catch (error) {
        result.textContent = error.message;
      }
    });
  });
  return form;
}

async function agentPart(box) {
  const { data } = await api("/training");
  if (!data.change) return fill(box, h("p", { text: "No procedure change to learn." }));
  const c = data.change;
  fill(
    box,
    h("h2", { text: `What changed: ${c.title}` }),
    h("p", { class: "muted", text: `${c.kind} · version ${c.version} · by ${c.published_by}` }),
    h("p", { class: "change-summary", text: c.summary }),
    data.trained
      ? h("p", { id: "training-state", class: "status-success", text: "You are trained on this change." })
      : [h("p", { id: "training-state", text: "Until you pass this check, your replies wait for a supervisor's approval." }), checkForm(c, () => agentPart(box))],
  );
  return null;
}

async function statusPart(box) {
  try {
    const { data } = await api("/training/status");
    const rows = data.people.map((p) => h("tr", { dataset: { person: p.email } }, h("td", { text: p.email }), h("td", { text: p.trained ? "trained" : "not yet" })));
    fill(box, h("h2", { text: `Who is trained on version ${data.version}: ${data.title}` }), h("table", { class: "members" }, h("tbody", {}, rows)));
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) fill(box, h("p", { text: "No procedure change has been published." }));
    else fill(box, h("p", { class: "form-error", text: error.message }));
  }
}

function publishForm(onPublished) {
  const kind = h("select", { id: "change-kind" }, ["checklist", "answers", "procedures"].map((k) => h("option", { value: k, text: k })));
  const title = h("input", { id: "change-title", type: "text" });
  const summary = h("textarea", { id: "change-summary", rows: 3 });
  const prompt = h("input", { id: "change-question", type: "text" });
  const choices = h("input", { id: "change-choices", type: "text", placeholder: "first choice is the right one; separate with |" });
  const save = h("button", { type: "submit", class: "button button-primary", text: "Publish change" });
  const form = h(
    "form",
    { id: "publish-change" },
    h("h2", { text: "Publish a procedure change" }),
    h("label", { for: "change-kind", text: "What changed" }), kind,
    h("label", { for: "change-title", text: "Title" }), title,
    h("label", { for: "change-summary", text: "What agents must know" }), summary,
    h("label", { for: "change-question", text: "Check question" }), prompt,
    h("label", { for: "change-choices", text: "Choices (the first is right; separate with |)" }), choices,
    save,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const options = choices.value.split("|").map((c) => c.trim()).filter(Boolean);
    const body = { kind: kind.value, title: title.value, summary: summary.value, questions: [{ prompt: prompt.value, choices: options, correct: 0 }] };
    busy(save, async () => {
      try {
        const { data } = await api("/training/changes", { method: "POST", body });
        notify(`Version ${data.version} published: every agent must pass its check.`, "success");
        onPublished();
      } catch (error) {
        notify(error.message, "error");
      }
    });
  });
  return form;
}

export function renderTraining(container, { session }) {
  document.title = "Training · Heard";
  const mine = h("section", { class: "training-mine" });
  const status = h("section", { class: "training-status" });
  const supervise = canApprove(session.groups);
  fill(container, h("h1", { tabindex: "-1", text: "Training" }), supervise ? publishForm(() => statusPart(status)) : null, supervise ? status : null, canWork(session.groups) && !supervise ? mine : null);
  if (supervise) statusPart(status);
  else if (canWork(session.groups)) agentPart(mine).catch((error) => fill(mine, h("p", { class: "form-error", text: error.message })));
  return null;
}
