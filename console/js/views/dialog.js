// Modal dialogs on the native <dialog> element: the browser traps focus, Escape cancels, and the page
// behind is inert. Focus returns to what opened the dialog when it closes.

import { h } from "../dom.js";

let counter = 0;

/**
 * A modal dialog with a form: `build(form, close)` fills the form; `onSubmit(form, close)` runs on
 * submit (close(value) resolves the promise with value). Resolves null when cancelled.
 */
export function openDialog({ title, className = "", build, onSubmit }) {
  counter += 1;
  const titleId = `dialog-title-${counter}`;
  const opener = document.activeElement;
  return new Promise((resolve) => {
    let result = null;
    const form = h("form", { class: "dialog-form", novalidate: true }, h("h2", { id: titleId, text: title }));
    const dialog = h("dialog", { class: `dialog ${className}`, "aria-labelledby": titleId }, form);
    const close = (value = null) => {
      result = value;
      if (dialog.open) dialog.close();
    };
    build(form, close);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      await onSubmit(form, close);
    });
    dialog.addEventListener("close", () => {
      dialog.remove();
      // Escape hides the dialog before its "close" event runs: a key pressed in between may already
      // have moved focus on purpose (e.g. `r` to the reply box), so give it back only if nothing has it.
      const active = document.activeElement;
      const unfocused = !active || active === document.body || dialog.contains(active);
      if (unfocused && opener && opener.isConnected && typeof opener.focus === "function") opener.focus();
      resolve(result);
    });
    document.body.append(dialog);
    dialog.showModal();
    const first = form.querySelector("[autofocus]") || form.querySelector("input, select, textarea, button");
    if (first) first.focus();
  });
}

/**
 * Ask before doing something people cannot undo. Resolves {note} when confirmed (note: "" unless
 * `noteLabel` asks for one), null when cancelled. Destructive actions start on "Cancel".
 */
export function confirmAction({ title, message, details = [], confirmLabel, danger = false, noteLabel = null }) {
  return openDialog({
    title,
    className: danger ? "dialog-danger" : "",
    build(form, close) {
      const noteId = `dialog-note-${counter}`;
      const note = noteLabel ? h("textarea", { id: noteId, name: "note", rows: "3", maxlength: "2000" }) : null;
      const cancel = h("button", { type: "button", class: "button", text: "Cancel", autofocus: danger });
      const confirm = h("button", { type: "submit", class: `button ${danger ? "button-danger" : "button-primary"}`, text: confirmLabel, autofocus: !danger });
      cancel.addEventListener("click", () => close(null));
      const parts = [
        h("p", { text: message }),
        details.length ? h("ul", { class: "dialog-details" }, details.map((d) => h("li", {}, d))) : null,
        note ? h("div", { class: "field" }, h("label", { for: noteId, text: noteLabel }), note) : null,
        h("div", { class: "actions dialog-actions" }, cancel, confirm),
      ];
      form.append(...parts.filter(Boolean));
    },
    onSubmit(form, close) {
      const note = form.querySelector("textarea[name=note]");
      close({ note: note ? note.value.trim() : "" });
    },
  });
}
