// Pure pieces of the case view (no DOM, no network): what the recommended action asks, the response
// checklist (R13), the reply counter's state, the hints beside the reply box, a system event's data lines.

import { countChars, isAutomatic, platformLabel, replyLimit, sortTimeline } from "./format.js";
import { contactLine } from "./meta.js";

// The response map (seed 004): what the recommended action asks of the agent.
export const ACTIONS = {
  thank: "Thank them and mirror their enthusiasm.",
  answer: "Answer the question, completely, in one message if you can.",
  fix: "Fix the problem: own it until it is solved.",
  correct: "Correct the facts, politely and with a source.",
  monitor: "Monitor: do not feed a troll. A reply is usually not needed.",
  escalate: "Escalate to the point person for this crisis or risk.",
};

export const CHECKLIST = [
  "Think first: read the whole story before you answer.",
  "Solve it in as few messages as possible.",
  "Stay public unless personal information is involved; then move to a private channel and say so.",
  "Mirror enthusiasm, or show empathy to a negative comment.",
  "End on a positive note.",
];

export const HEARD = [
  ["Hear", "let them tell the whole story"],
  ["Empathise", "show you understand how they feel"],
  ["Apologise", "for the experience, sincerely"],
  ["Resolve", "fix it, or say exactly what happens next"],
  ["Diagnose", "find why it happened so it does not again"],
];

/** Short "key: value" lines for a system event's data (only plain values; nothing is rendered as markup). */
export function dataLines(data) {
  const lines = [];
  for (const [key, value] of Object.entries(data || {})) {
    if (value === null || value === undefined || value === "") continue;
    if (["string", "number", "boolean"].includes(typeof value)) lines.push(`${key.replaceAll("_", " ")}: ${value}`);
    else if (Array.isArray(value) && value.every((v) => typeof v !== "object")) lines.push(`${key.replaceAll("_", " ")}: ${value.join(", ")}`);
  }
  return lines;
}

/**
 * What the customer will receive: the text with the contact line appended unless it already carries it,
 * exactly as the API composes it (shared/usecases/replies.py `compose`).
 */
export function finalText(text, line = contactLine()) {
  const body = String(text || "").trim();
  const contact = String(line || "").trim();
  if (!contact || body.toLowerCase().includes(contact.toLowerCase())) return body;
  return `${body}\n\n${contact}`;
}

/**
 * The reply counter: "12 characters", or "300 / 280 characters" and over when the platform has a limit.
 * It counts the final text (with the contact line Heard appends), which is what the platform's limit
 * applies to.
 */
export function counterState(text, platform, line = contactLine()) {
  const limit = platform ? replyLimit(platform) : null;
  const n = String(text || "").trim() ? countChars(finalText(text, line)) : 0;
  const over = limit !== null && n > limit;
  return {
    label: limit === null ? `${n} characters` : `${n} / ${limit} characters`,
    over,
    canSend: Boolean(String(text || "").trim()) && !over,
    notice: over ? `Over the ${limit} character limit of this platform.` : "Back within the character limit.",
  };
}

/** "billing (refunds)" when the operation says more than the topic; the topic alone otherwise. */
export function topicLabel(kase) {
  return kase.operation && !["general", kase.topic].includes(kase.operation) ? `${kase.topic} (${kase.operation})` : kase.topic;
}

/** The hints beside the reply box, in order: [{lead?, text, warn}]. */
export function caseHints(kase, timeline) {
  const hints = [];
  if (kase.action && ACTIONS[kase.action]) hints.push({ lead: "Recommended: ", text: ACTIONS[kase.action], warn: false });
  if (kase.channel !== "direct" && kase.pii && kase.pii.length) {
    hints.push({ text: `Personal information in a public thread (${kase.pii.join(", ")}): move to a private channel and say so publicly.`, warn: true });
  }
  if (kase.crisis) {
    const sent = sortTimeline(timeline || []).filter((e) => e.kind === "reply" && isAutomatic(e) && e.data && e.data.crisis_id).pop();
    hints.push({
      text: sent
        ? `Crisis: Heard already sent the holding statement (v${sent.data.statement_version || 1}) automatically. Answer the customer's own problem; escalate to the crisis's point person if needed.`
        : "Crisis: use the holding statement. Say you are working on it, when the next update comes and where to find more.",
      warn: true,
    });
  }
  const limit = replyLimit(kase.platform);
  if (limit !== null) hints.push({ text: `Replies on ${platformLabel(kase.platform)} are limited to ${limit} characters, including the contact line Heard adds.`, warn: false });
  return hints;
}

/** The timeline with replies we sent that a refresh has not returned yet (the API is eventually there). */
export function withPending(timeline, pending) {
  const known = new Set(timeline.map((e) => e.entry_id));
  return timeline.concat([...pending.values()].filter((e) => !known.has(e.entry_id)));
}
