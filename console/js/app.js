// The console's shell: hash routing (#/queue, #/cases/{id}, #/crises, #/reports, #/approvals, #/review,
// #/notifications, #/teams, #/admin, #/training), the header (with the
// Away switch), the crisis banner, sign-in guard, and a one-second clock that keeps every SLA countdown
// on the page current.

import { api, currentSession, loadConfig, setUnauthorizedHandler, signOut } from "./api.js";
import { clearStaleNotice, fill, h, notify } from "./dom.js";
import { canAdminister, canApprove, canAudit, canManageCrises, canManagePrivacy, canReview, canSeeReports, canWork } from "./format.js";
import { hasMeta, setMeta } from "./meta.js";
import { parseRoute } from "./route.js";
import { installShortcuts } from "./shortcuts.js";
import { mountAvailability, unmountAvailability } from "./views/availability.js";
import { hideCrisisBanner, refreshCrisisBanner } from "./views/banner.js";
import { renderAdmin } from "./views/admin.js";
import { renderApprovals } from "./views/approvals.js";
import { renderAudit } from "./views/audit.js";
import { renderCase } from "./views/case.js";
import { renderCrises } from "./views/crises.js";
import { renderKnowledge } from "./views/knowledge.js";
import { renderPrivacy } from "./views/privacy.js";
import { renderQueue } from "./views/queue.js";
import { renderReports } from "./views/reports.js";
import { renderSurveys } from "./views/surveys.js";
import { renderContacts } from "./views/contacts.js";
import { mountUnread, renderNotifications, unmountUnread } from "./views/notifications.js";
import { renderReview } from "./views/review.js";
import { renderSearch } from "./views/search.js";
import { renderSignIn } from "./views/signin.js";
import { renderTeams } from "./views/teams.js";
import { renderAccounts } from "./views/accounts.js";
import { renderTraining } from "./views/training.js";
import { tickClocks } from "./views/widgets.js";

const main = () => document.getElementById("main");
const BANNER_REFRESH_MS = 30_000; // intake itself takes up to 30 s to see a declared crisis
let cleanup = null;
let returnTo = null; // where to go after signing in again

function updateShell(session, routeName) {
  const nav = document.getElementById("nav");
  const user = document.getElementById("user");
  nav.hidden = !session;
  user.hidden = !session;
  if (!session) {
    unmountUnread();
    unmountAvailability();
    hideCrisisBanner();
    return;
  }
  mountAvailability(session);
  mountUnread();
  refreshCrisisBanner();
  document.getElementById("user-email").textContent = session.email;
  document.getElementById("user-groups").textContent = session.groups.length ? session.groups.join(", ") : "no role";
  for (const link of nav.querySelectorAll("a[data-route]")) {
    if (link.dataset.requires === "reports") link.hidden = !canSeeReports(session.groups);
    if (link.dataset.requires === "crises") link.hidden = !canManageCrises(session.groups);
    if (link.dataset.requires === "approvals") link.hidden = !canApprove(session.groups);
    if (link.dataset.requires === "teams") link.hidden = !canApprove(session.groups);
    if (link.dataset.requires === "accounts") link.hidden = !canAdminister(session.groups);
    if (link.dataset.requires === "review") link.hidden = !canReview(session.groups);
    if (link.dataset.requires === "audit") link.hidden = !canAudit(session.groups);
    if (link.dataset.requires === "privacy") link.hidden = !canManagePrivacy(session.groups);
    if (link.dataset.requires === "admin") link.hidden = !canAdminister(session.groups);
    if (link.dataset.requires === "training") link.hidden = !canWork(session.groups);
    const current = link.dataset.route === routeName || (routeName === "case" && link.dataset.route === "queue");
    if (current) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

/**
 * Roles, reply limits and the empathy scale come from the API (`GET /api/meta`), once per page load and
 * only once signed in (the API needs the token). Without them no view can decide what to offer, so a
 * failure says so with a way to try again; a 401 goes back to sign-in like any other call.
 */
async function ensureMeta(container) {
  if (hasMeta()) return true;
  try {
    const { data } = await api("/meta");
    setMeta(data);
    return true;
  } catch (error) {
    if (!currentSession()) return false; // the 401 handler already went back to sign-in
    const retry = h("button", { type: "button", class: "button button-primary", text: "Try again" });
    retry.addEventListener("click", () => route());
    document.title = "Not available · Heard";
    fill(container, h("h1", { tabindex: "-1", text: "Heard is not available" }), h("p", { text: `The console's settings could not be loaded: ${error.message}` }), h("p", {}, retry));
    notify(error.message, "error");
    container.querySelector("h1").focus();
    return false;
  }
}

/** Each route's view: render(container, ctx) returns its cleanup (or nothing). */
const VIEWS = {
  queue: renderQueue,
  case: renderCase,
  crises: renderCrises,
  reports: renderReports,
  satisfaction: renderSurveys,
  contacts: renderContacts,
  approvals: renderApprovals,
  review: renderReview,
  knowledge: renderKnowledge,
  audit: renderAudit,
  privacy: renderPrivacy,
  notifications: renderNotifications,
  teams: renderTeams,
  search: renderSearch,
  accounts: renderAccounts,
  admin: renderAdmin,
  training: renderTraining,
};

let routeSeq = 0;

async function route() {
  const seq = ++routeSeq;
  if (cleanup) {
    cleanup();
    cleanup = null;
  }
  const current = parseRoute(location.hash);
  const session = currentSession();
  const container = main();

  if (!session && current.name !== "signin") {
    returnTo = location.hash && location.hash !== "#/signin" ? location.hash : null;
    location.replace("#/signin");
    return;
  }
  if (session && current.name === "signin") {
    location.replace(returnTo || "#/queue");
    returnTo = null;
    return;
  }
  if (session && !(await ensureMeta(container))) return;
  if (seq !== routeSeq) return; // the address changed while the settings loaded: the newer route renders
  updateShell(session, current.name);
  clearStaleNotice();

  const ctx = { session, query: current.query, params: current.params };
  try {
    if (current.name === "signin") {
      cleanup = renderSignIn(container, {
        onSignedIn: () => {
          const target = returnTo || "#/queue";
          returnTo = null;
          location.hash = target;
        },
      });
    } else if (Object.hasOwn(VIEWS, current.name)) cleanup = VIEWS[current.name](container, ctx);
    else {
      document.title = "Not found · Heard";
      fill(container, h("h1", { tabindex: "-1", text: "Page not found" }), h("p", {}, h("a", { href: "#/queue", text: "Go to the queue" })));
    }
  } catch (error) {
    notify(error.message || String(error), "error");
  }
  // Move focus to the new page's heading so keyboard and screen-reader users land on it.
  const heading = container.querySelector("h1");
  if (heading) heading.focus({ preventScroll: false });
}

async function start() {
  installShortcuts();
  setUnauthorizedHandler(() => {
    if (parseRoute(location.hash).name === "signin") return;
    returnTo = location.hash;
    notify("Your session has ended. Sign in again.", "error");
    location.replace("#/signin");
  });
  document.getElementById("sign-out").addEventListener("click", () => {
    signOut();
    unmountUnread();
    unmountAvailability();
    hideCrisisBanner();
    returnTo = null;
    notify("You are signed out.");
    location.hash = "#/signin";
  });
  window.addEventListener("hashchange", route);
  setInterval(tickClocks, 1000);
  setInterval(() => {
    if (document.visibilityState === "visible" && currentSession() && hasMeta()) refreshCrisisBanner({ force: true });
  }, BANNER_REFRESH_MS);
  try {
    await loadConfig();
  } catch (error) {
    fill(main(), h("h1", { tabindex: "-1", text: "Heard is not available" }), h("p", { text: error.message }));
    notify(error.message, "error");
    return;
  }
  await route();
}

start();
