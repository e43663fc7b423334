// Blind review (R11): one first reply at a time, graded for empathy by someone who has not read the
// customer's post. The API sends only the reply's text, platform and channel; nothing here links to
// the case, so the grade stays blind.

import { api, ApiError } from "../api.js";
import { busy, fill, h, notify } from "../dom.js";
import { canReview, channelLabel, empathyLegend, platformLabel } from "../format.js";
import { empathyScale } from "../meta.js";

/** The scale as radio buttons, each with its label and meaning (from the API's meta). */
function scaleFieldset(scale) {
  return h(
    "fieldset",
    { class: "fieldset empathy-scale" },
    h("legend", { text: empathyLegend(scale) }),
    scale.map(([grade, name, meaning]) =>
      h(
        "label",
        { for: `empathy-${grade}` },
        h("input", { type: "radio", name: "empathy", id: `empathy-${grade}`, value: String(grade), required: true }),
        h("strong", { text: `${grade} · ${name}` }),
        h("span", { class: "meaning", text: meaning }),
      ),
    ),
  );
}

/** The grading form for one blind review; `onGraded()` runs once the grade is recorded. */
function gradeForm(review, onGraded) {
  const scale = empathyScale();
  const top = scale[scale.length - 1][0];
  const comment = h("textarea", { id: "review-comment", name: "comment", rows: "3", maxlength: "1000" });
  const submit = h("button", { type: "submit", id: "submit-grade", class: "button button-primary", text: "Record grade" });
  const el = h(
    "form",
    { class: "card", "aria-label": "Grade this reply" },
    h("p", { class: "muted", text: `A first reply on ${platformLabel(review.platform)} (${channelLabel(review.channel)}). You see only the reply, not what the customer wrote.` }),
    h("blockquote", { class: "blind-reply", id: "blind-reply", text: review.text }),
    scaleFieldset(scale),
    h("label", { for: "review-comment", text: "Comment (optional; the agent sees it)" }),
    comment,
    h("p", {}, submit),
  );
  el.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = el.querySelector("input[name=empathy]:checked");
    if (!chosen) {
      notify(`Choose a grade from ${scale[0][0]} to ${top}.`, "error");
      return;
    }
    busy(submit, async () => {
      try {
        await api(`/reviews/${encodeURIComponent(review.review_id)}`, { method: "POST", body: { empathy: Number(chosen.value), comment: comment.value.trim() } });
        notify(`Graded ${chosen.value}/${top}. Thank you.`, "success");
        if (el.isConnected) onGraded(); // a form replaced meanwhile is not wiped by its late answer
      } catch (error) {
        notify(error instanceof ApiError && error.status === 409 ? `Not recorded: ${error.message}` : error.message, "error");
      }
    });
  });
  return el;
}

export function renderReview(container, { session }) {
  document.title = "Blind review · Heard";
  if (!canReview(session.groups)) {
    fill(container, h("h1", { tabindex: "-1", text: "Blind review" }), h("p", { text: "Blind review is for reviewers, supervisors and administrators." }));
    return null;
  }
  const box = h("div", { id: "review", "aria-live": "polite" });
  const next = h("button", { type: "button", id: "next-review", class: "button button-primary", text: "Next reply to review" });
  const graded = () => {
    fill(box, h("p", { class: "empty", text: "Graded. Take the next reply when you are ready." }));
    next.focus();
  };

  next.addEventListener("click", () =>
    busy(next, async () => {
      try {
        const { status, data } = await api("/reviews/next", { method: "POST" });
        if (status === 204 || !data) {
          fill(box, h("p", { class: "empty", text: "Nothing to review right now: every first reply you may grade blind is graded." }));
          return;
        }
        fill(box, gradeForm(data, graded));
        box.querySelector("input[name=empathy]").focus();
      } catch (error) {
        notify(error.message, "error");
      }
    }),
  );

  fill(
    container,
    h("h1", { tabindex: "-1", text: "Blind review" }),
    h("p", { class: "muted", text: "Every case's first reply is graded for empathy by someone who has not read the customer's post. Replies you wrote, cases you own and cases you have opened are never given to you." }),
    h("p", {}, next),
    box,
  );
  return null;
}
