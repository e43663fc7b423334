// Knowledge (#11, R16, R17): proposed answers for supervisors to approve (optionally for automatic
// answers, with the keywords a question must contain) or reject, and the approved answers (retire).
// Agents see both lists and propose answers from a case's reply box. Supervisors also see the questions
// customers asked that no approved answer matched well, grouped, and start a new answer from one group
// (proposed from the group's newest case, whose question becomes the answer's first example).

import { api, ApiError } from "../api.js";
import { busy, fill, h, notify } from "../dom.js";
import { canApprove, formatDateTime } from "../format.js";

function decisionControls(a, reload) {
  const id = a.answer_id;
  const auto = h("input", { type: "checkbox", id: `auto-${id}`, name: "automatic" });
  const keywords = h("input", { id: `keywords-${id}`, name: "keywords", placeholder: "e.g. charged, twice", value: a.keywords.join(", ") });
  const approve = h("button", { type: "button", class: "button button-primary approve-answer", text: "Approve" });
  const reject = h("button", { type: "button", class: "button reject-answer", text: "Reject" });
  approve.addEventListener("click", () =>
    busy(approve, async () => {
      try {
        await decideWithAutomatic(a, auto.checked, keywords.value);
        notify(`Approved “${a.title}”.`, "success");
      } catch (error) {
        notify(error instanceof ApiError && error.status === 409 ? `Not approved: ${error.message}` : error.message, "error");
      }
      await reload();
    }),
  );
  reject.addEventListener("click", () => busy(reject, () => decide(a.answer_id, a.version, "reject").then(reload, (e) => notify(e.message, "error"))));
  return h(
    "div",
    { class: "answer-actions" },
    h("div", { class: "field-check" }, auto, h("label", { for: `auto-${id}`, text: "Also answer plain questions automatically" })),
    h("label", { for: `keywords-${id}`, text: "Keywords a question must contain (comma-separated, at least 2)" }),
    keywords,
    reject,
    approve,
  );
}

async function decide(answerId, version, action) {
  return api(`/knowledge/answers/${encodeURIComponent(answerId)}/decision`, { method: "POST", body: { version, action } });
}

async function decideWithAutomatic(a, automatic, keywordText) {
  let version = a.version;
  if (automatic) {
    const keywords = keywordText.split(",").map((k) => k.trim()).filter(Boolean);
    const { data } = await api(`/knowledge/answers/${encodeURIComponent(a.answer_id)}`, { method: "PATCH", body: { version, automatic: true, keywords } });
    version = data.answer.version;
  }
  await decide(a.answer_id, version, "approve");
}

function answerItem(a, session, reload) {
  const retire = h("button", { type: "button", class: "button retire-answer", text: "Retire" });
  retire.addEventListener("click", () => busy(retire, () => decide(a.answer_id, a.version, "retire").then(reload, (e) => notify(e.message, "error"))));
  const supervisor = canApprove(session.groups);
  return h(
    "li",
    { class: "card answer", dataset: { answerId: a.answer_id, state: a.state } },
    h("p", {}, h("strong", { class: "answer-title", text: a.title }), ` · v${a.version} · by ${a.owner} · ${formatDateTime(a.updated_at)}`, a.automatic ? h("span", { class: "badge", text: "automatic" }) : null),
    h("p", { class: "answer-body", text: a.body }),
    a.examples.length ? h("p", { class: "muted", text: `Chosen for: ${a.examples.slice(-3).map((e) => `“${e}”`).join(" · ")}` }) : null,
    supervisor && a.state === "proposed" ? decisionControls(a, reload) : null,
    supervisor && a.state === "approved" ? retire : null,
  );
}

function startAnswerForm(group, index, reload) {
  const title = h("input", { id: `gap-title-${index}`, name: "title", maxlength: "200", required: true, value: group.label.charAt(0).toUpperCase() + group.label.slice(1) });
  const body = h("textarea", { id: `gap-body-${index}`, name: "body", rows: "4", maxlength: "4000", required: true, placeholder: "Hi {first_name}, ..." });
  const button = h("button", { type: "submit", class: "button button-primary", text: "Propose this answer" });
  const form = h(
    "form",
    { class: "gap-form" },
    h("label", { for: `gap-title-${index}`, text: "Title of the answer" }),
    title,
    h("label", { for: `gap-body-${index}`, text: "Answer text (variables such as {first_name} are filled in on each case)" }),
    body,
    button,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(button, async () => {
      try {
        await api("/knowledge/answers", { method: "POST", body: { title: title.value.trim(), body: body.value.trim(), case_id: group.case_ids[0] } });
        notify(`Proposed “${title.value.trim()}”: approve it under Proposed.`, "success");
        await reload();
      } catch (error) {
        notify(error.message, "error");
      }
    });
  });
  return form;
}

function gapItem(group, index, reload) {
  return h(
    "li",
    { class: "card gap", dataset: { count: String(group.count) } },
    h("p", {}, h("strong", { class: "gap-label", text: group.label }), ` · asked ${group.count} ${group.count === 1 ? "time" : "times"} · latest ${formatDateTime(group.latest)}`),
    h("ul", { class: "gap-questions" }, ...group.questions.map((q) => h("li", { text: `“${q}”` }))),
    h("details", {}, h("summary", { text: "Start an answer" }), startAnswerForm(group, index, reload)),
  );
}

async function loadGaps(list, reload) {
  try {
    const { data } = await api("/knowledge/unanswered?days=7");
    fill(list, data.items.length ? data.items.map((g, i) => gapItem(g, i, reload)) : h("li", { class: "muted", text: "Every recent question had a good approved answer." }));
  } catch (error) {
    notify(error.message, "error");
  }
  list.setAttribute("aria-busy", "false");
}

export function renderKnowledge(container, { session }) {
  document.title = "Knowledge · Heard";
  const proposed = h("ul", { id: "answers-proposed", class: "cards", "aria-busy": "true" });
  const approved = h("ul", { id: "answers-approved", class: "cards", "aria-busy": "true" });
  const supervisor = canApprove(session.groups);
  const gaps = supervisor ? h("ul", { id: "questions-unanswered", class: "cards", "aria-busy": "true" }) : null;
  async function load() {
    if (gaps) await loadGaps(gaps, load);
    for (const [state, list] of [["proposed", proposed], ["approved", approved]]) {
      try {
        const { data } = await api(`/knowledge/answers?state=${state}`);
        fill(list, data.items.length ? data.items.map((a) => answerItem(a, session, load)) : h("li", { class: "muted", text: `No ${state} answers.` }));
      } catch (error) {
        notify(error.message, "error");
      }
      list.setAttribute("aria-busy", "false");
    }
  }
  fill(
    container,
    h("h1", { tabindex: "-1", text: "Knowledge" }),
    h("p", { class: "muted", text: "Approved answers are suggested to agents on every case; agents propose new ones from a case's reply box." }),
    h("h2", { text: "Proposed" }),
    proposed,
    h("h2", { text: "Approved" }),
    approved,
    gaps ? h("h2", { text: "Questions without an approved answer (last 7 days)" }) : null,
    gaps ? h("p", { class: "muted", text: "What customers asked that no approved answer matched well, grouped by topic, biggest first." }) : null,
    gaps,
  );
  load();
  return null;
}
