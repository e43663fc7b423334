// Collision: who else has this case open, and who is typing a reply. The view says "I am here" every
// 10 s (and at once when the agent starts or stops typing); the answer names the others.

import { api } from "../../api.js";
import { h } from "../../dom.js";

const BEAT_MS = 10_000;
const TYPING_IDLE_MS = 5_000; // no key for this long: no longer typing

export function presenceBar({ caseId }) {
  const el = h("p", { id: "case-presence", class: "presence hint", role: "status", hidden: true });
  let typing = false;
  let timer = null;
  let idle = null;

  function show(others) {
    el.hidden = others.length === 0;
    el.textContent = others.map((o) => `${o.email} ${o.typing ? "is typing a reply" : "has this case open"}`).join(" · ");
  }

  async function beat() {
    try {
      const { data } = await api(`/cases/${encodeURIComponent(caseId)}/presence`, { method: "POST", body: { typing } });
      show(data.others || []);
    } catch {
      // Presence is a courtesy: a missed heartbeat changes nothing else on the page.
    }
  }

  function setTyping(now) {
    clearTimeout(idle);
    if (now) idle = setTimeout(() => setTyping(false), TYPING_IDLE_MS);
    if (now !== typing) {
      typing = now;
      beat();
    }
  }

  return {
    el,
    start() {
      beat();
      timer = setInterval(() => {
        if (document.visibilityState === "visible") beat();
      }, BEAT_MS);
    },
    stop() {
      clearInterval(timer);
      clearTimeout(idle);
    },
    typing: () => setTyping(true),
  };
}
