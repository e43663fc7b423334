// Help writing the reply (#11): suggested approved answers and past replies (the replies that resolved
// similar cases, marked as such; filled like a saved reply) for this case (with why), on a delivery case
// the customer's order as the company's system tells it now (#17; inserted as filled), saved replies, a
// "propose as an answer" form, and the pre-send check (R13) that runs before a reply goes out. The reply
// panel mounts `assistPanel` next to its textarea and asks `gate.allow()` before sending.

import { api } from "../api.js";
import { busy, fill, h, notify } from "../dom.js";

function putText(textarea, text) {
  textarea.value = text;
  textarea.dispatchEvent(new Event("input", { bubbles: true }));
  textarea.focus();
}

async function insertSuggestion(s, caseId, textarea) {
  if (s.kind === "order") {
    // the order's live status from the company's system, already filled for this case
    putText(textarea, s.text);
    notify(`Inserted the status of order ${s.order.order_number}: check it, edit it, then send.`, "success");
    return;
  }
  if (s.kind === "past_reply") {
    // a past reply is filled for this case like a saved reply; it teaches no approved answer
    const { data } = await api("/knowledge/fill", { method: "POST", body: { case_id: caseId, text: s.text } });
    putText(textarea, data.text);
    notify("Inserted a past reply (not an approved answer): check it fits, edit it, then send.", "success");
    return;
  }
  const { data } = await api(`/knowledge/answers/${encodeURIComponent(s.answer.answer_id)}/use`, { method: "POST", body: { case_id: caseId } });
  putText(textarea, data.text);
  notify(`Inserted “${s.answer.title}”: edit it, then send.`, "success");
}

function suggestionTitle(s) {
  if (s.kind === "past_reply") return h("span", {}, h("span", { class: "badge badge-past", text: "Past reply" }), " ", h("strong", { class: "suggestion-title", text: `Resolved case ${s.past.case_id}` }));
  if (s.kind === "order") return h("span", {}, h("span", { class: "badge badge-order", text: "Order" }), " ", h("strong", { class: "suggestion-title", text: `Order ${s.order.order_number}: ${s.order.status}` }));
  return h("strong", { class: "suggestion-title", text: s.answer.title });
}

const DATASETS = {
  answer: (s) => ({ kind: "answer", answerId: s.answer.answer_id }),
  past_reply: (s) => ({ kind: "past_reply", pastCaseId: s.past.case_id }),
  order: (s) => ({ kind: "order", order: s.order.order_number }),
};

function suggestionItem(s, caseId, textarea) {
  const insert = h("button", { type: "button", class: "button insert-suggestion", text: "Insert" });
  insert.addEventListener("click", () =>
    busy(insert, async () => {
      try {
        await insertSuggestion(s, caseId, textarea);
      } catch (error) {
        notify(error.message, "error");
      }
    }),
  );
  return h(
    "li",
    { class: s.kind === "answer" ? "suggestion" : `suggestion suggestion-${s.kind === "past_reply" ? "past" : s.kind}`, dataset: DATASETS[s.kind](s) },
    h("p", {}, suggestionTitle(s), " ", insert),
    h("p", { class: "suggestion-text", text: s.text }),
    h("p", { class: "muted suggestion-why", text: `Why: ${s.why}` }),
  );
}

async function loadSuggestions(list, caseId, textarea) {
  try {
    const { data } = await api(`/cases/${encodeURIComponent(caseId)}/suggestions`);
    if (!data.items.length) {
      fill(list, h("li", { class: "muted", text: "No approved answer or past reply fits this case yet." }));
      return;
    }
    fill(list, data.items.map((s) => suggestionItem(s, caseId, textarea)));
  } catch (error) {
    fill(list, h("li", { class: "muted", text: `Suggestions unavailable: ${error.message}` }));
  }
}

function macroSearch(caseId, team, textarea) {
  const query = h("input", { type: "search", id: "macro-q", name: "q", placeholder: "Search saved replies", "aria-label": "Search saved replies" });
  const results = h("ul", { id: "macros", class: "macros" });
  async function search() {
    try {
      const teamId = team();
      const params = new URLSearchParams({ q: query.value.trim(), ...(teamId ? { team: teamId } : {}) });
      const { data } = await api(`/knowledge/macros?${params}`);
      fill(results, data.items.length ? data.items.map((m) => macroItem(m, caseId, textarea)) : h("li", { class: "muted", text: "No saved reply matches." }));
    } catch (error) {
      notify(error.message, "error");
    }
  }
  query.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      search();
    }
  });
  return { el: h("div", { class: "macro-search" }, query, h("button", { type: "button", class: "button", onclick: search, text: "Search" }), results), search };
}

function macroItem(m, caseId, textarea) {
  const insert = h("button", { type: "button", class: "button", text: "Insert" });
  insert.addEventListener("click", () =>
    busy(insert, async () => {
      try {
        const { data } = await api("/knowledge/fill", { method: "POST", body: { case_id: caseId, text: m.body } });
        putText(textarea, data.text);
      } catch (error) {
        notify(error.message, "error");
      }
    }),
  );
  return h("li", {}, h("strong", { text: m.title }), ` (${m.scope}) `, insert);
}

function proposeForm(caseId, textarea) {
  const title = h("input", { id: "propose-title", name: "title", maxlength: "200", required: true });
  const button = h("button", { type: "submit", class: "button", text: "Propose as an approved answer" });
  const form = h("form", { class: "propose-form" }, h("label", { for: "propose-title", text: "Title of the answer" }), title, button);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = textarea.value.trim();
    if (!title.value.trim() || !body) {
      notify("Write the reply and a title first: the reply becomes the proposed answer.", "error");
      return;
    }
    busy(button, async () => {
      try {
        await api("/knowledge/answers", { method: "POST", body: { title: title.value.trim(), body, case_id: caseId } });
        title.value = "";
        notify("Proposed: a supervisor approves it in Knowledge.", "success");
      } catch (error) {
        notify(error.message, "error");
      }
    });
  });
  return form;
}

/** The pre-send check: the first send of a text with findings shows them; sending the same text again goes. */
function presendGate(caseId, box) {
  let shownFor = null;
  return {
    async allow(text, isPrivate) {
      if (shownFor === text) return true;
      let findings = [];
      try {
        const { data } = await api(`/cases/${encodeURIComponent(caseId)}/presend-check`, { method: "POST", body: { text, private: isPrivate } });
        findings = data.findings;
      } catch (error) {
        return true; // the check is advice: never block a reply because it is unavailable
      }
      if (!findings.length) return true;
      shownFor = text;
      fill(box, h("p", {}, h("strong", { text: "Before you send: " }), "press Send again to send anyway."), h("ul", {}, findings.map((f) => h("li", { dataset: { code: f.code }, text: f.message }))));
      box.hidden = false;
      box.focus();
      return false;
    },
    reset() {
      shownFor = null;
      box.hidden = true;
    },
  };
}

/** `team()` names the case's team (its saved replies are offered with the agent's own). */
export function assistPanel({ caseId, textarea, team }) {
  const suggestions = h("ul", { id: "suggestions", class: "suggestions", "aria-live": "polite" }, h("li", { class: "muted", text: "Finding answers…" }));
  const checkBox = h("div", { id: "presend", class: "presend hint hint-warn", role: "alert", tabindex: "-1", hidden: true });
  const macros = macroSearch(caseId, team, textarea);
  const gate = presendGate(caseId, checkBox);
  textarea.addEventListener("input", () => gate.reset());
  const el = h(
    "aside",
    { class: "assist", "aria-labelledby": "assist-title" },
    h("h3", { id: "assist-title", text: "Suggested answers" }),
    suggestions,
    h("h3", { text: "Saved replies" }),
    macros.el,
    h("details", {}, h("summary", { text: "Propose this reply as an answer" }), proposeForm(caseId, textarea)),
  );
  loadSuggestions(suggestions, caseId, textarea);
  return { el, checkBox, gate, refresh: () => loadSuggestions(suggestions, caseId, textarea) };
}
