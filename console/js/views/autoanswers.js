// Automatic answers (R17), in the admin console: the switch, each topic's switch (PUT /api/auto-answers),
// and a preview of what a sample question would get now (POST /api/auto-answers/preview): the answer, an
// alert (a complicated case: a person answers, supervisors are told), or a person.

import { api } from "../api.js";
import { busy, fill, h, notify } from "../dom.js";

const OUTCOMES = {
  answer: "Answered automatically",
  alert: "Not answered: complicated, a person answers and supervisors are alerted",
  person: "Not answered automatically: a person answers",
};

function previewForm() {
  const text = h("textarea", { id: "auto-preview-text", rows: 3 });
  const run = h("button", { type: "submit", class: "button", text: "Preview" });
  const result = h("div", { id: "auto-preview-result", "aria-live": "polite" });
  const form = h("form", { id: "auto-preview" }, h("label", { for: "auto-preview-text", text: "Sample question" }), text, run, result);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(run, async () => {
      try {
        const { data } = await api("/auto-answers/preview", { method: "POST", body: { text: text.value } });
        fill(
          result,
          h("p", { class: `auto-outcome auto-${data.outcome}`, text: OUTCOMES[data.outcome] }),
          data.answer ? h("blockquote", { text: data.answer }) : null,
          data.reasons.length ? h("p", { class: "muted", text: `Why: ${data.reasons.join("; ")}` }) : null,
          h("p", { class: "muted", text: `Triage: ${data.triage.category}, ${data.triage.sentiment}, topic ${data.triage.topic || "none"}${data.answer_id ? ` · matched answer ${data.answer_id}` : ""}` }),
        );
      } catch (error) {
        fill(result, h("p", { class: "form-error", text: error.message }));
      }
    });
  });
  return form;
}

function switchForm(state, onSaved) {
  const enabled = h("input", { type: "checkbox", id: "auto-enabled" });
  enabled.checked = state.enabled;
  const topics = state.topics.map((t) => {
    const box = h("input", { type: "checkbox", name: "auto-topic", value: t.id });
    box.checked = t.on;
    return h("label", { class: "check" }, box, ` ${t.id} (${t.operation})`);
  });
  const save = h("button", { type: "submit", class: "button button-primary", text: "Save automatic answers" });
  const form = h(
    "form",
    { id: "auto-switch" },
    h("label", { class: "check" }, enabled, " Answer plain questions automatically with approved answers"),
    h("fieldset", {}, h("legend", { text: "Topics answered automatically" }), ...topics),
    save,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const off = [...form.querySelectorAll("input[name=auto-topic]")].filter((b) => !b.checked).map((b) => b.value);
    busy(save, async () => {
      try {
        const { data } = await api("/auto-answers", { method: "PUT", body: { enabled: enabled.checked, topics_off: off } });
        notify(`Automatic answers are ${data.enabled ? "on" : "off"}${off.length ? `, off for ${off.join(", ")}` : ""}.`, "success");
        onSaved(data);
      } catch (error) {
        notify(error.message, "error");
      }
    });
  });
  return form;
}

/** The Automatic answers section. */
export function mountAutoAnswers(box) {
  const draw = (state) =>
    fill(
      box,
      h("h2", { text: "Automatic answers" }),
      h("p", { class: "muted", text: `${state.answers.length} approved answer(s) may be sent automatically.` }),
      switchForm(state, draw),
      previewForm(),
    );
  return api("/auto-answers").then(({ data }) => draw(data));
}
