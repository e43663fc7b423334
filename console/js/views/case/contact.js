// The customer's email and phone in the customer panel (issue #10): kept in clear only with the
// customer's consent, which is recorded with when and how it was given; without it Heard keeps only
// digests (enough to link the customer's identities and find them, never to read the details back).

import { api } from "../../api.js";
import { busy, h, notify } from "../../dom.js";
import { formatDateTime } from "../../format.js";

const HOW = [
  ["in_conversation", "in this conversation"],
  ["by_phone", "by phone"],
  ["in_writing", "in writing"],
  ["web_form", "on a web form"],
];
const HOW_LABEL = Object.fromEntries(HOW);

function stored(contact) {
  if (!contact) return h("p", { id: "contact-none", class: "hint", text: "No contact details recorded." });
  if (!contact.in_clear) {
    const given = [contact.has_email ? "an email" : null, contact.has_phone ? "a phone number" : null].filter(Boolean).join(" and ");
    return h("p", { id: "contact-digest", class: "hint", text: `Gave ${given || "details"} without consent to keep them: only a digest is kept (recorded by ${contact.recorded_by}).` });
  }
  return h(
    "div",
    { id: "contact-details" },
    contact.email ? h("p", {}, "Email: ", h("a", { href: `mailto:${contact.email}`, text: contact.email })) : null,
    contact.phone ? h("p", {}, "Phone: ", h("a", { href: `tel:${contact.phone.replace(/[^0-9+]/g, "")}`, text: contact.phone })) : null,
    h("p", { id: "contact-consent", class: "hint", text: `Consent given ${HOW_LABEL[contact.consent_how] || contact.consent_how}, ${formatDateTime(contact.consent_at)} (recorded by ${contact.recorded_by}).` }),
  );
}

function contactForm(path, onChange) {
  const email = h("input", { id: "contact-email", type: "email", autocomplete: "off", maxlength: "320" });
  const phone = h("input", { id: "contact-phone", type: "tel", autocomplete: "off", maxlength: "25" });
  const consent = h("input", { id: "contact-consent-given", type: "checkbox" });
  const how = h("select", { id: "contact-consent-how" }, HOW.map(([value, text]) => h("option", { value, text })));
  const save = h("button", { type: "submit", class: "button button-small", text: "Save contact details" });
  const form = h(
    "form",
    { class: "contact-form", novalidate: true },
    h("div", { class: "field" }, h("label", { for: "contact-email", text: "Email" }), email),
    h("div", { class: "field" }, h("label", { for: "contact-phone", text: "Phone" }), phone),
    h("div", { class: "field-check" }, consent, h("label", { for: "contact-consent-given", text: "The customer agreed that we keep these" })),
    h("div", { class: "field" }, h("label", { for: "contact-consent-how", text: "How they agreed" }), how),
    save,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = {};
    if (email.value.trim()) body.email = email.value.trim();
    if (phone.value.trim()) body.phone = phone.value.trim();
    if (consent.checked) body.consent = { how: how.value };
    busy(save, () => onChange(() => api(`${path}/contact`, { method: "PUT", body }), consent.checked ? "Contact details saved with the customer's consent." : "Saved without consent: only a digest is kept."));
  });
  return form;
}

/** The contact part of the customer panel; `onChange(call, message)` runs a change and redraws the panel. */
export function contactSection(contact, { worker, path, onChange }) {
  const withdraw = worker && contact && contact.in_clear ? h("button", { type: "button", id: "contact-withdraw", class: "button button-small button-quiet", text: "Consent withdrawn: remove them" }) : null;
  if (withdraw) withdraw.addEventListener("click", () => busy(withdraw, () => onChange(() => api(`${path}/contact/consent`, { method: "DELETE" }), "Consent withdrawn: the details are no longer kept in clear.")));
  return h("div", { class: "customer-contact" }, h("h3", { text: "Contact details" }), stored(contact), withdraw, worker ? contactForm(path, onChange) : null);
}
