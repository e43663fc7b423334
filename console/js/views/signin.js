// Sign in with Cognito (USER_PASSWORD_AUTH), including the first-sign-in "choose a new password" step.

import { setNewPassword, signIn } from "../api.js";
import { busy, clearNotice, fill, h, notify } from "../dom.js";

function field(id, label, attrs) {
  return h("div", { class: "field" }, h("label", { for: id, text: label }), h("input", { id, name: id, required: true, ...attrs }));
}

/** The first sign-in's "choose a new password" form, in place of `form`. */
function showChallenge(form, challenge, onSignedIn) {
  const newError = h("p", { id: "new-password-error", class: "form-error", role: "alert" });
  const save = h("button", { type: "submit", class: "button button-primary", text: "Set password and sign in" });
  const challengeForm = h(
    "form",
    { class: "card signin", novalidate: true },
    h("p", { text: "This is your first sign-in: choose a new password (at least 8 characters)." }),
    field("new-password", "New password", { type: "password", autocomplete: "new-password", minlength: "8" }),
    newError,
    save,
  );
  challengeForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = challengeForm.elements["new-password"].value;
    if (value.length < 8) {
      newError.textContent = "Choose a password of at least 8 characters.";
      return;
    }
    await busy(save, async () => {
      save.textContent = "Saving…";
      try {
        await setNewPassword(challenge, value);
        clearNotice();
        onSignedIn();
      } catch (err) {
        newError.textContent = err.message;
      }
    });
  });
  form.replaceWith(challengeForm);
  challengeForm.elements["new-password"].focus();
}

async function submitSignIn(form, { error, submit, onSignedIn }) {
  error.textContent = "";
  const email = form.elements.email.value.trim();
  const password = form.elements.password.value;
  if (!email || !password) {
    error.textContent = "Enter both your email and your password.";
    (email ? form.elements.password : form.elements.email).focus();
    return;
  }
  await busy(submit, async () => {
    submit.textContent = "Signing in…";
    try {
      const result = await signIn(email, password);
      if (result.challenge) {
        if (result.challenge.name === "NEW_PASSWORD_REQUIRED") showChallenge(form, result.challenge, onSignedIn);
        else error.textContent = `Sign-in needs a step this console does not support (${result.challenge.name}).`;
        return;
      }
      clearNotice();
      notify(`Signed in as ${result.session.email}.`, "success");
      onSignedIn();
    } catch (err) {
      error.textContent = err.message;
      form.elements.password.select();
      form.elements.password.focus();
    }
  });
}

export function renderSignIn(container, { onSignedIn }) {
  document.title = "Sign in · Heard";
  const error = h("p", { id: "signin-error", class: "form-error", role: "alert" });
  const submit = h("button", { type: "submit", class: "button button-primary", text: "Sign in" });
  const form = h(
    "form",
    { class: "card signin", novalidate: true, "aria-describedby": "signin-error" },
    field("email", "Email", { type: "email", autocomplete: "username", inputmode: "email", autocapitalize: "none", spellcheck: "false" }),
    field("password", "Password", { type: "password", autocomplete: "current-password" }),
    error,
    submit,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitSignIn(form, { error, submit, onSignedIn });
  });
  fill(
    container,
    h(
      "section",
      { class: "signin-page", "aria-labelledby": "signin-title" },
      h("h1", { id: "signin-title", tabindex: "-1", text: "Sign in to Heard" }),
      h("p", { class: "muted", text: "Every customer heard: answered within the hour, owned until solved." }),
      form,
    ),
  );
  return null;
}
