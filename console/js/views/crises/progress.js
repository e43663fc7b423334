// How far each statement version has reached the crisis's customers (issue 17): queued, sent, failed and
// skipped (with the reasons), per platform, the latest failures, and "Send again" for supervisors.

import { api } from "../../api.js";
import { busy, fill, h, notify } from "../../dom.js";
import { formatDateTime } from "../../format.js";

const SKIPS = {
  opted_out: "opted out",
  window_closed: "window closed",
  too_long: "too long for the platform",
  already: "already had it",
  left: "no longer in the crisis",
};

/** "2 opted out, 1 window closed" for a version's skips; "" when none. */
export function skippedText(skipped = {}) {
  return Object.entries(skipped)
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${n} ${SKIPS[reason] || reason}`)
    .join(", ");
}

function versionState(run) {
  if (run.superseded) return "superseded by a newer version";
  if (!run.done_at) return "sending…";
  return run.queued > run.sent + run.failed ? "sending…" : "done";
}

function versionRow(run) {
  const skipped = skippedText(run.skipped);
  const platforms = Object.entries(run.by_platform || {}).map(([p, n]) => `${p} ${n}`).join(", ");
  return h(
    "li",
    { class: "update-progress", dataset: { version: String(run.statement_version) } },
    h("strong", { text: `Version ${run.statement_version}` }),
    ` (${versionState(run)}, started ${formatDateTime(run.started_at)}): `,
    h("span", { class: "counts", text: `${run.queued} queued · ${run.sent} sent · ${run.failed} failed` }),
    skipped ? h("div", { class: "muted small", text: `Skipped: ${skipped}` }) : null,
    platforms ? h("div", { class: "muted small", text: `By platform: ${platforms}` }) : null,
    run.failures.length
      ? h(
          "ul",
          { class: "failures", "aria-label": `Failures of version ${run.statement_version}` },
          run.failures.map((f) => h("li", {}, h("a", { href: `#/cases/${encodeURIComponent(f.case_id)}`, text: `${f.platform} case` }), `: ${f.reason}`)),
        )
      : null,
  );
}

/** The progress box of one crisis; it loads itself and reloads after "Send again". */
export function progressBox(crisis) {
  const list = h("div", { class: "progress-list", "aria-live": "polite" }, h("p", { class: "muted", text: "Loading…" }));
  const again = h("button", { type: "button", class: "button", text: "Send again" });
  again.setAttribute("aria-describedby", `crisis-${crisis.crisis_id}-name`);
  const path = `/crises/${encodeURIComponent(crisis.crisis_id)}/updates`;
  const load = async () => {
    try {
      const { data } = await api(path);
      fill(list, data.items.length ? h("ol", { class: "updates" }, data.items.map(versionRow)) : h("p", { class: "muted", text: "No update has been sent to everyone yet: the first statement goes to each customer as they write." }));
    } catch (error) {
      fill(list, h("p", { class: "form-error", text: `Progress could not be loaded: ${error.message}` }));
    }
  };
  again.addEventListener("click", () =>
    busy(again, async () => {
      try {
        await api(path, { method: "POST" });
        notify("Sending the current version to whoever has not had it.", "success");
      } catch (error) {
        notify(error.message, "error");
      }
      await load();
    }),
  );
  load();
  return h("section", { class: "crisis-progress", "aria-label": `Updates sent for ${crisis.name}` }, h("h4", { text: "Updates to everyone affected" }), list, h("div", { class: "actions" }, again));
}
