// The crisis banner: across the top of every page for every signed-in user while a crisis is active,
// with its name and holding statement, so agents know what customers are being told automatically.

import { api, currentSession } from "../api.js";
import { activeCrises, bannerKey } from "../crisis.js";
import { fill, h } from "../dom.js";
import { canManageCrises } from "../format.js";

const MIN_INTERVAL_MS = 5_000; // route changes do not each need a fresh list
let shownKey = "";
let loadedAt = 0;
let generation = 0; // a sign-out while a request is in flight must not bring the banner back

const banner = () => document.getElementById("crisis-banner");
const body = () => document.getElementById("crisis-banner-body");

export function hideCrisisBanner() {
  generation += 1;
  shownKey = "";
  loadedAt = 0;
  const el = banner();
  if (!el) return;
  el.hidden = true;
  fill(body());
}

/** Draw the banner for these crises (all of them active or not; only active ones show). */
export function showCrisisBanner(crises, session = currentSession()) {
  const el = banner();
  if (!el || !session) return;
  const active = activeCrises(crises);
  const key = bannerKey(active);
  el.hidden = active.length === 0;
  // Re-drawn only when it changes: the live region then announces a new or changed crisis once.
  if (key === shownKey) return;
  shownKey = key;
  fill(
    body(),
    active.map((crisis) =>
      h(
        "div",
        { class: "crisis-banner-item", dataset: { crisisId: crisis.crisis_id } },
        h(
          "p",
          { class: "crisis-banner-title" },
          h("strong", { text: `Crisis in progress: ${crisis.name}` }),
          " ",
          h("span", { class: "badge badge-danger", text: crisis.type }),
          " ",
          h("span", { class: "muted small", text: `holding statement v${crisis.statement_version}` }),
        ),
        h(
          "p",
          { class: "crisis-banner-statement" },
          h("span", { class: "crisis-banner-label", text: "Matching posts get this reply automatically: " }),
          h("q", { text: crisis.statement_text }),
        ),
      ),
    ),
    active.length && canManageCrises(session.groups) ? h("p", { class: "crisis-banner-manage" }, h("a", { href: "#/crises", text: "Manage crises" })) : null,
  );
}

/** Fetch the crises and update the banner; quiet on failure (the page's own calls report errors). */
export async function refreshCrisisBanner({ force = false } = {}) {
  const session = currentSession();
  if (!session) {
    hideCrisisBanner();
    return;
  }
  if (!force && Date.now() - loadedAt < MIN_INTERVAL_MS) return;
  loadedAt = Date.now();
  const mine = generation;
  try {
    const { data } = await api("/crises?limit=20");
    if (mine === generation) showCrisisBanner(data.items || [], currentSession());
  } catch {
    loadedAt = 0; // try again on the next page or tick
  }
}
