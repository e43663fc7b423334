// Problems the API located ({loc: ["body", "teams", 1, "calendar", "holidays", 3], msg}) shown next to the
// form field they concern: each field carries data-path="teams.1.calendar.holidays"; a problem goes to the
// field with the longest path that starts its location, or to the form's general box when none does.

const KNOWN = {
  missing: "required",
  string_too_short: "too short",
  string_too_long: "too long",
  string_pattern_mismatch: "not in the expected form",
  int_parsing: "must be a whole number",
  date_from_datetime_parsing: "not a date (YYYY-MM-DD)",
  literal_error: "not one of the choices",
  greater_than_equal: "too small",
  less_than_equal: "too large",
};

/** The readable text of one problem. */
export function problemText(problem) {
  return String(problem.msg || KNOWN[problem.type] || String(problem.type || "invalid").replaceAll("_", " "));
}

/** {path: [texts]} for the given field paths; problems no field claims go under "". */
export function placeProblems(detail, paths) {
  const placed = {};
  for (const problem of detail || []) {
    const loc = (Array.isArray(problem.loc) ? problem.loc : []).filter((p, i) => !(i === 0 && p === "body")).map(String);
    let best = "";
    for (const path of paths) {
      const parts = path.split(".");
      const prefix = parts.every((part, i) => loc[i] === part);
      if (prefix && parts.length > best.split(".").filter(Boolean).length) best = path;
    }
    (placed[best] ||= []).push(problemText(problem));
  }
  return placed;
}

/** Show the API's located problems inside `form` (fields with data-path, a .form-error after each). */
export function showProblems(form, detail, general) {
  const fields = [...form.querySelectorAll("[data-path]")];
  for (const field of fields) {
    field.removeAttribute("aria-invalid");
    const box = field.parentElement.querySelector(`.form-error[data-for="${field.dataset.path}"]`);
    if (box) box.remove();
  }
  const placed = placeProblems(detail, fields.map((f) => f.dataset.path));
  for (const field of fields) {
    const texts = placed[field.dataset.path];
    if (!texts) continue;
    const box = document.createElement("p");
    box.className = "form-error";
    box.dataset.for = field.dataset.path;
    box.id = `err-${field.dataset.path.replaceAll(".", "-")}`;
    box.textContent = texts.join("; ");
    field.setAttribute("aria-invalid", "true");
    field.setAttribute("aria-describedby", box.id);
    field.insertAdjacentElement("afterend", box);
  }
  if (general) general.textContent = (placed[""] || []).join("; ");
  const first = fields.find((f) => placed[f.dataset.path]);
  if (first) first.focus();
  return placed;
}
