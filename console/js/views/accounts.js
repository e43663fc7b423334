// Brands and connected accounts (issue #16): administrators add a brand (its contact line and default team)
// and connect accounts to it (a Page, an Instagram account, a WhatsApp number, an X account, a Telegram bot,
// a LinkedIn organisation or a generic source) without a redeploy. Credentials go to the account's own
// secret and are never shown again; the view shows the webhook URL to give the platform.

import { api, ApiError } from "../api.js";
import { busy, fill, h, notify } from "../dom.js";
import { canAdminister } from "../format.js";

const SLUG = /^[a-z][a-z0-9-]{1,39}$/;

/** Problems with the account form's fields, by field name, before anything is sent. */
export function accountProblems({ accountId, name, credentials }) {
  const problems = {};
  if (!SLUG.test(accountId)) problems.account_id = "Use 2-40 lower-case letters, digits and hyphens, starting with a letter.";
  if (!name.trim()) problems.name = "Name the account, e.g. 'Acme UK Facebook Page'.";
  if (!Object.values(credentials).some((v) => v.trim())) problems.credentials = "Give at least one credential.";
  return problems;
}

function fieldError(id) {
  return h("p", { id, class: "form-error", hidden: "" });
}

function showProblems(errors, problems) {
  for (const [field, box] of Object.entries(errors)) {
    box.textContent = problems[field] || "";
    box.hidden = !problems[field];
  }
}

function brandForm(teams, onSaved) {
  const id = h("input", { id: "brand-id", type: "text", autocomplete: "off", required: "" });
  const name = h("input", { id: "brand-name", type: "text", autocomplete: "off", required: "" });
  const line = h("input", { id: "brand-contact-line", type: "text", autocomplete: "off", required: "" });
  const team = h("select", { id: "brand-team" }, teams.map((t) => h("option", { value: t.id, text: t.name })));
  const tags = h("input", { id: "brand-tags", type: "text", autocomplete: "off", placeholder: "acme-uk" });
  const error = fieldError("brand-error");
  const save = h("button", { type: "submit", class: "button button-primary", text: "Save brand" });
  const form = h(
    "form",
    { id: "brand-form", class: "person-form", novalidate: "" },
    h("h2", { text: "Add or change a brand" }),
    h("label", { for: "brand-id", text: "Brand id" }), id,
    h("label", { for: "brand-name", text: "Name" }), name,
    h("label", { for: "brand-contact-line", text: "Contact line (ends every reply)" }), line,
    h("label", { for: "brand-team", text: "Default team" }), team,
    h("label", { for: "brand-tags", text: "Approved answers tagged (comma-separated; empty: all)" }), tags,
    error,
    save,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const brandId = id.value.trim();
    const body = {
      id: brandId,
      name: name.value.trim(),
      contact_line: line.value.trim(),
      default_team: team.value,
      holding_statements: {},
      answer_tags: tags.value.split(",").map((t) => t.trim()).filter(Boolean),
    };
    busy(save, async () => {
      try {
        await api(`/brands/${encodeURIComponent(brandId)}`, { method: "PUT", body });
        showProblems({ brand: error }, {});
        notify(`Brand ${body.name} saved.`, "success");
        await onSaved();
      } catch (failure) {
        showProblems({ brand: error }, { brand: failure.message || String(failure) });
        notify(failure.message || String(failure), "error");
      }
    });
  });
  return form;
}

function credentialInputs(names) {
  return names.map((credential) => {
    const input = h("input", { type: "password", autocomplete: "off", name: credential, id: `credential-${credential}` });
    return { credential, input, label: h("label", { for: `credential-${credential}`, text: credential }) };
  });
}

function accountForm(brands, credentialNames, onSaved) {
  const accountId = h("input", { id: "account-id", type: "text", autocomplete: "off", required: "" });
  const name = h("input", { id: "account-name", type: "text", autocomplete: "off", required: "" });
  const externalId = h("input", { id: "account-external-id", type: "text", autocomplete: "off" });
  const platform = h("select", { id: "account-platform" }, Object.keys(credentialNames).map((p) => h("option", { value: p, text: p })));
  const brand = h("select", { id: "account-brand" }, brands.map((b) => h("option", { value: b.id, text: `${b.name} (${b.id})` })));
  const credentialBox = h("fieldset", { id: "account-credentials" });
  const errors = { account_id: fieldError("account-id-error"), name: fieldError("account-name-error"), credentials: fieldError("account-credentials-error") };
  let inputs = [];
  function showCredentials() {
    inputs = credentialInputs(credentialNames[platform.value] || []);
    fill(credentialBox, h("legend", { text: "Credentials (stored in the account's own secret)" }), ...inputs.flatMap((i) => [i.label, i.input]));
  }
  platform.addEventListener("change", showCredentials);
  showCredentials();
  const save = h("button", { type: "submit", class: "button button-primary", text: "Connect account" });
  const form = h(
    "form",
    { id: "account-form", class: "person-form", novalidate: "" },
    h("h2", { text: "Connect an account" }),
    h("label", { for: "account-platform", text: "Platform" }), platform,
    h("label", { for: "account-brand", text: "Brand" }), brand,
    h("label", { for: "account-id", text: "Account id (the end of its webhook URL)" }), accountId, errors.account_id,
    h("label", { for: "account-name", text: "Name" }), name, errors.name,
    h("label", { for: "account-external-id", text: "Platform's id (Page id, phone number id, …)" }), externalId,
    credentialBox, errors.credentials,
    save,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const credentials = Object.fromEntries(inputs.map((i) => [i.credential, i.input.value]));
    const problems = accountProblems({ accountId: accountId.value.trim(), name: name.value, credentials });
    showProblems(errors, problems);
    if (Object.keys(problems).length) return;
    const body = {
      account_id: accountId.value.trim(),
      platform: platform.value,
      brand: brand.value,
      name: name.value.trim(),
      external_id: externalId.value.trim() || null,
      credentials: Object.fromEntries(Object.entries(credentials).filter(([, v]) => v.trim())),
    };
    busy(save, async () => {
      try {
        const { data } = await api("/accounts", { method: "POST", body });
        notify(`${data.name} connected: point its webhook at ${data.webhook_path}.`, "success");
        await onSaved();
      } catch (failure) {
        const message = failure.message || String(failure);
        const field = /account/i.test(message) && /exists/.test(message) ? "account_id" : /credential/i.test(message) ? "credentials" : null;
        if (field) showProblems(errors, { [field]: message });
        notify(message, "error");
      }
    });
  });
  return form;
}

function accountRow(account, onRemove) {
  const remove = h("button", { type: "button", class: "button button-small", text: "Remove" });
  remove.setAttribute("aria-label", `Remove ${account.name}`);
  remove.addEventListener("click", () => onRemove(account, remove));
  return h(
    "tr",
    { dataset: { account: account.account_id } },
    h("td", { "data-label": "Account", text: `${account.name} (${account.account_id})` }),
    h("td", { "data-label": "Platform", text: account.platform }),
    h("td", { "data-label": "Webhook", text: account.webhook_path }),
    h("td", { "data-label": "Credentials", text: account.credential_names.join(", ") }),
    h("td", { "data-label": "" }, remove),
  );
}

function brandCard(brand, accounts, onRemove) {
  const rows = accounts.filter((a) => a.brand === brand.id).map((a) => accountRow(a, onRemove));
  return h(
    "section",
    { class: "team-card", dataset: { brand: brand.id }, "aria-labelledby": `brand-${brand.id}` },
    h("h2", { id: `brand-${brand.id}`, text: `${brand.name} (${brand.id})` }),
    h("p", { class: "muted", text: `Default team: ${brand.default_team} · Contact line: ${brand.contact_line}` }),
    rows.length
      ? h(
          "table",
          { class: "members" },
          h("caption", { class: "visually-hidden", text: `Accounts of ${brand.name}` }),
          h("thead", {}, h("tr", {}, ["Account", "Platform", "Webhook", "Credentials", ""].map((t) => h("th", { scope: "col", text: t })))),
          h("tbody", {}, rows),
        )
      : h("p", { class: "empty", text: brand.id === "default" ? "The single-account setup (/webhooks/<platform>) delivers here." : "No accounts yet." }),
  );
}

export function renderAccounts(container, { session }) {
  document.title = "Accounts · Heard";
  const denied = h("p", { text: "Brands and accounts are managed by administrators." });
  if (!canAdminister(session.groups)) {
    fill(container, h("h1", { tabindex: "-1", text: "Accounts" }), denied);
    return null;
  }
  const listBox = h("div", { class: "teams", "aria-busy": "true" }, h("p", { class: "muted", text: "Loading accounts…" }));
  const formBox = h("div", { class: "person-form-slot" });

  async function remove(account, button) {
    busy(button, async () => {
      try {
        await api(`/accounts/${encodeURIComponent(account.account_id)}`, { method: "DELETE" });
        notify(`${account.name} removed; deliveries to it are refused.`, "success");
        await load();
      } catch (failure) {
        notify(failure.message || String(failure), "error");
      }
    });
  }

  async function load() {
    try {
      const [brands, accounts, teams] = await Promise.all([api("/brands"), api("/accounts"), api("/teams")]);
      fill(formBox, brandForm(teams.data.items || [], load), accountForm(brands.data.items, accounts.data.credential_names, load));
      fill(listBox, ...brands.data.items.map((b) => brandCard(b, accounts.data.items, remove)));
    } catch (error) {
      if (error instanceof ApiError && error.status === 403) fill(listBox, denied);
      else fill(listBox, h("p", { class: "form-error", text: `Accounts could not be loaded: ${error.message}` }));
    } finally {
      listBox.removeAttribute("aria-busy");
    }
  }

  fill(
    container,
    h("h1", { tabindex: "-1", text: "Brands and accounts" }),
    h("p", { class: "muted", text: "Each account has its own credentials and webhook URL and answers for one brand, with that brand's contact line and team." }),
    formBox,
    listBox,
  );
  load();
  return null;
}
