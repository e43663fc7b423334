// The admin console (#/admin): users (the user pool), automatic answers (R17), the chat notifier (#17)
// and the configuration's settings, through forms.
// Administrators only; the API enforces it.

import { api, ApiError } from "../api.js";
import { fill, h } from "../dom.js";
import { canAdminister } from "../format.js";
import { mountAutoAnswers } from "./autoanswers.js";
import { mountChatWebhook } from "./chatwebhook.js";
import { mountSettings } from "./settings.js";
import { mountUsers } from "./users.js";

export function renderAdmin(container, { session }) {
  document.title = "Admin · Heard";
  if (!canAdminister(session.groups)) {
    fill(container, h("h1", { tabindex: "-1", text: "Admin" }), h("p", { text: "The admin console is for administrators." }));
    return null;
  }
  const usersBox = h("section", { class: "admin-users", "aria-labelledby": "users-heading" }, h("p", { class: "muted", text: "Loading users…" }));
  const settingsBox = h("section", { class: "admin-settings" }, h("p", { class: "muted", text: "Loading settings…" }));
  const autoBox = h("section", { class: "admin-auto" }, h("p", { class: "muted", text: "Loading automatic answers…" }));
  const chatBox = h("section", { class: "admin-chat", "aria-labelledby": "chat-heading" }, h("p", { class: "muted", text: "Loading the chat notifier…" }));
  fill(container, h("h1", { tabindex: "-1", text: "Admin" }), usersBox, autoBox, chatBox, settingsBox);
  const failed = (box, what) => (error) => {
    const text = error instanceof ApiError && error.status === 403 ? "Administrators only." : `${what} could not be loaded: ${error.message}`;
    fill(box, h("p", { class: "form-error", text }));
  };
  api("/teams")
    .then(({ data }) => mountUsers(usersBox, data.items || []))
    .catch(failed(usersBox, "Users"));
  mountAutoAnswers(autoBox).catch(failed(autoBox, "Automatic answers"));
  mountChatWebhook(chatBox).catch(failed(chatBox, "The chat notifier"));
  mountSettings(settingsBox).catch(failed(settingsBox, "Settings"));
  return null;
}
