// Hash routes: #/queue (home), #/cases/{id}, #/crises, #/reports, #/approvals, #/review, #/knowledge, #/audit,
// #/privacy, #/notifications, #/teams, #/search, #/accounts, #/satisfaction, #/contacts, #/admin, #/training,
// #/signin.

function safeDecode(part) {
  try {
    return decodeURIComponent(part);
  } catch {
    return part; // a malformed escape: keep it as typed rather than fail the whole page
  }
}

/** Parse the hash into {name, params, query}. */
export function parseRoute(hash) {
  const raw = String(hash || "").replace(/^#\/?/, "");
  const [path, search = ""] = raw.split("?");
  const parts = path.split("/").filter(Boolean).map(safeDecode);
  const queryParams = Object.fromEntries(new URLSearchParams(search));
  if (parts[0] === "signin") return { name: "signin", params: {}, query: queryParams };
  if (parts[0] === "cases" && parts[1]) return { name: "case", params: { id: parts[1] }, query: queryParams };
  if (parts[0] === "crises") return { name: "crises", params: {}, query: queryParams };
  if (parts[0] === "reports") return { name: "reports", params: {}, query: queryParams };
  if (parts[0] === "satisfaction") return { name: "satisfaction", params: {}, query: queryParams };
  if (parts[0] === "contacts") return { name: "contacts", params: {}, query: queryParams };
  if (parts[0] === "audit") return { name: "audit", params: {}, query: queryParams };
  if (parts[0] === "privacy") return { name: "privacy", params: {}, query: queryParams };
  if (parts[0] === "approvals") return { name: "approvals", params: {}, query: queryParams };
  if (parts[0] === "knowledge") return { name: "knowledge", params: {}, query: queryParams };
  if (parts[0] === "notifications") return { name: "notifications", params: {}, query: queryParams };
  if (parts[0] === "search") return { name: "search", params: {}, query: queryParams };
  if (parts[0] === "teams") return { name: "teams", params: {}, query: queryParams };
  if (parts[0] === "accounts") return { name: "accounts", params: {}, query: queryParams };
  if (parts[0] === "admin") return { name: "admin", params: {}, query: queryParams };
  if (parts[0] === "training") return { name: "training", params: {}, query: queryParams };
  if (parts[0] === "review") return { name: "review", params: {}, query: queryParams };
  if (parts[0] === "queue" || parts.length === 0) return { name: "queue", params: {}, query: queryParams };
  return { name: "notfound", params: {}, query: queryParams };
}

/** The hash for a case page. */
export function caseHref(caseId) {
  return `#/cases/${encodeURIComponent(caseId)}`;
}
