// Pure helpers for escalation and availability (no DOM, no network); tested with `node --test`.

const EMAIL = /^[^@\s]{1,64}@[^@\s]{1,255}$/; // the API's pattern (functions/api/schemas.py: Email)
export const REASON_MAX = 1000;

const URGENCY = { critical: "Critical", high: "High", normal: "Normal", low: "Low" };
const URGENCY_ORDER = { critical: 0, high: 1, normal: 2, low: 3 };

export function urgencyLabel(urgency) {
  return URGENCY[urgency] || String(urgency || "Normal");
}

/** A phone number as a tel: address (digits and a leading +), or null when it has no digits. */
export function telHref(phone) {
  const digits = String(phone || "").replace(/[^0-9+]/g, "").replace(/(?!^)\+/g, "");
  return /[0-9]{3,}/.test(digits) ? `tel:${digits}` : null;
}

/** A mailto: address only for something that is an email address (never a script URL). */
export function mailHref(email) {
  return EMAIL.test(String(email || "")) ? `mailto:${email}` : null;
}

const words = (text) => String(text || "").toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);

/**
 * Why a contact fits this case, or null: a question type naming the case's crisis ("crisis" when it is
 * part of one), its topic or its category.
 */
export function contactFit(contact, kase) {
  const wanted = new Set([kase.crisis ? "crisis" : null, kase.topic, kase.category].filter(Boolean).map((w) => w.toLowerCase()));
  for (const type of contact.question_types || []) {
    if (words(type).some((w) => wanted.has(w))) return type;
  }
  return null;
}

/** Contacts that fit the case first, then by urgency (critical first), then by name. */
export function rankContacts(contacts, kase) {
  return [...(contacts || [])]
    .map((contact) => ({ contact, fit: contactFit(contact, kase || {}) }))
    .sort(
      (a, b) =>
        Number(!a.fit) - Number(!b.fit) ||
        (URGENCY_ORDER[a.contact.urgency] ?? 2) - (URGENCY_ORDER[b.contact.urgency] ?? 2) ||
        String(a.contact.name).localeCompare(String(b.contact.name)),
    );
}

/**
 * Problems with an escalation form ({target: "contact"|"team", contact, team, reason}) as [{field, message}],
 * and the request body when there are none.
 */
export function escalationRequest({ target, contact, team, reason, urgent = false }) {
  const problems = [];
  const text = String(reason || "").trim();
  if (target === "contact" && !contact) problems.push({ field: "contact", message: "Choose who to escalate to." });
  if (target === "team" && !team) problems.push({ field: "team", message: "Choose the team to send the case to." });
  if (target !== "contact" && target !== "team") problems.push({ field: "target", message: "Choose a person or a team." });
  if (!text) problems.push({ field: "reason", message: "Say why you escalate: the reason goes with the case." });
  else if ([...text].length > REASON_MAX) problems.push({ field: "reason", message: `The reason is too long (at most ${REASON_MAX} characters).` });
  if (problems.length) return { problems, body: null };
  // Urgent (to a person): SMS per their preferences, the on-call person too, reminders, then the backup.
  const person = urgent ? { contact, reason: text, urgent: true } : { contact, reason: text };
  return { problems, body: target === "contact" ? person : { team, reason: text } };
}

/** The backup email typed in the header: {backup (null when empty), problem (null when fine)}. */
export function checkBackup(value, ownEmail) {
  const backup = String(value || "").trim().toLowerCase();
  if (!backup) return { backup: null, problem: null };
  if (!EMAIL.test(backup)) return { backup, problem: "Enter the backup's email address, like name@example.com." };
  if (backup === String(ownEmail || "").toLowerCase()) return { backup, problem: "You cannot be your own backup." };
  return { backup, problem: null };
}

/** The header's short state: "Available", "Away", "Away · backup x@…". */
export function availabilityLabel(availability) {
  if (!availability || !availability.away) return "Available";
  return availability.backup ? `Away · backup ${availability.backup}` : "Away";
}

/** What happens to returning customers, said once after saving. */
export function availabilityMessage(availability) {
  if (!availability.away) return "You are available: your customers reach you again.";
  if (availability.backup) return `You are away: customers of yours who write again go to ${availability.backup}.`;
  return "You are away: customers of yours who write again go back to the team's queue.";
}
