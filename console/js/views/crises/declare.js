// The declare form: type from the configuration's crisis types, name, what matches, the holding statement
// with its live preview; declaring asks for confirmation first.

import { api } from "../../api.js";
import { composeStatement, crisisProblems, declareBody, fieldOfError, matchesText, suggestionPrefill } from "../../crisis.js";
import { busy, fill, h, notify } from "../../dom.js";
import { crisisFields } from "../crisisform.js";
import { confirmAction } from "../dialog.js";

function confirmDeclare(values, config, names) {
  const kind = config.crisis_types.find((t) => t.id === values.type);
  return confirmAction({
    title: `Declare the crisis "${values.name.trim()}"?`,
    message: `From now on every new post that matches goes to the ${names.team(kind.team)} team at P1 and gets the holding statement publicly from heard-bot. ${kind.point_person} and ${kind.backup} are notified.`,
    details: [`Matches: ${matchesText(values)}`, h("q", { text: composeStatement(values) })],
    confirmLabel: "Declare crisis",
  });
}

/**
 * The declare section's content in `box`. `page` (from crises.js): {config(), names(), load({force})}.
 * Returns {show() (draw a fresh form once the configuration is in), prefill(suggestion)}.
 */
export function declareSection(box, page) {
  let fields = null;

  async function submit(submitButton) {
    const config = page.config();
    const values = fields.read();
    const problems = crisisProblems(values, { knownTypes: config.crisis_types.map((t) => t.id), knownTopics: (config.topics || []).map((t) => t.id) });
    fields.showProblems(problems);
    if (problems.length) return fields.focusFirstProblem();
    if (!(await confirmDeclare(values, config, page.names()))) return;
    await busy(submitButton, async () => {
      submitButton.textContent = "Declaring…";
      try {
        const { data } = await api("/crises", { method: "POST", body: declareBody(values) });
        notify(`Crisis declared: ${data.crisis.name}. Matching posts now get the holding statement.`, "success");
        show(); // a fresh, empty form
        await page.load({ force: true });
        document.querySelector(`[data-crisis-id="${CSS.escape(data.crisis.crisis_id)}"] h3`)?.focus();
      } catch (error) {
        fields.showProblems([{ field: fieldOfError(error.message, "name"), message: error.message }]);
        notify(error.message, "error");
      }
    });
  }

  function show() {
    const config = page.config();
    if (!config) return;
    if (!(config.crisis_types || []).length) {
      fill(box, h("p", { text: "No crisis types are configured: an administrator adds them to the configuration (crisis_types)." }));
      return;
    }
    fields = crisisFields("declare", config, { withType: true });
    const submitButton = h("button", { type: "submit", id: "declare-submit", class: "button button-primary", text: "Declare crisis" });
    const form = h("form", { class: "declare-form", novalidate: true, "aria-labelledby": "declare-title" }, fields.el, h("div", { class: "actions" }, submitButton));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submit(submitButton);
    });
    fill(box, form);
  }

  function prefill(suggestion) {
    if (!fields) {
      notify("The crisis types have not loaded yet; try again in a moment.", "error");
      return;
    }
    const values = suggestionPrefill(suggestion, page.config());
    fields.set(values);
    fields.showProblems([]);
    document.getElementById("declare-title").scrollIntoView({ block: "start" });
    (values.type ? document.getElementById("declare-name") : document.getElementById("declare-type")).focus();
    notify("The declare form is filled in from the spike: add the keywords the posts share and the holding statement.");
  }

  return { show, prefill };
}
