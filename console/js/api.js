// Configuration, Cognito sign-in, the session, and calls to the Heard API.

import { apiErrorMessage, cognitoErrorMessage, decodeJwtPayload } from "./format.js";

const TOKEN_KEY = "heard.idToken";

let config = null;
let onUnauthorized = () => {};

/** An API or sign-in failure with the HTTP status (0 = the network) and a message fit for people. */
export class ApiError extends Error {
  constructor(status, message, data = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    // Where each problem is ({loc: ["body", "teams", 0, "name"], msg}), for forms to show next to the field.
    this.detail = data && Array.isArray(data.detail) ? data.detail : [];
  }
}

/** Called when the API answers 401: the session is over and the user must sign in again. */
export function setUnauthorizedHandler(handler) {
  onUnauthorized = handler;
}

/** The deployment's settings, served next to the console as /config.json. */
export async function loadConfig() {
  if (config) return config;
  let response;
  try {
    response = await fetch("config.json", { cache: "no-store" });
  } catch {
    throw new ApiError(0, "Cannot load the console's configuration: the server is unreachable.");
  }
  if (!response.ok) throw new ApiError(response.status, `Cannot load the console's configuration (HTTP ${response.status}).`);
  const data = await response.json();
  for (const key of ["cognitoEndpoint", "clientId"]) {
    if (!data[key]) throw new ApiError(500, `The console's configuration lacks "${key}".`);
  }
  // An empty apiUrl means "this origin" (the local stack serves API and console together).
  config = { ...data, apiUrl: String(data.apiUrl || "").replace(/\/+$/, "") };
  return config;
}

// ---- session ------------------------------------------------------------------------------------

/** The signed-in user from the stored id token, or null when there is none or it has expired. */
export function currentSession() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return null;
  try {
    const claims = decodeJwtPayload(token);
    // Expire a little early so a request does not race the token's last seconds.
    if (typeof claims.exp === "number" && claims.exp * 1000 < Date.now() + 10_000) {
      sessionStorage.removeItem(TOKEN_KEY);
      return null;
    }
    return {
      token,
      email: claims.email || claims["cognito:username"] || "unknown user",
      groups: Array.isArray(claims["cognito:groups"]) ? claims["cognito:groups"] : [],
    };
  } catch {
    sessionStorage.removeItem(TOKEN_KEY);
    return null;
  }
}

export function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
}

async function cognito(target, body) {
  const { cognitoEndpoint } = await loadConfig();
  let response;
  try {
    response = await fetch(cognitoEndpoint, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": `AWSCognitoIdentityProviderService.${target}`,
      },
      body: JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "Cannot reach the sign-in service. Check your connection and try again.");
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new ApiError(response.status, cognitoErrorMessage(data.__type || response.headers.get("x-amzn-errortype"), data.message || data.Message));
  }
  return data;
}

function storeResult(data) {
  const token = data.AuthenticationResult && data.AuthenticationResult.IdToken;
  if (!token) throw new ApiError(500, "Sign-in did not return a token.");
  sessionStorage.setItem(TOKEN_KEY, token);
  return currentSession();
}

/**
 * Sign in with USER_PASSWORD_AUTH. Returns {session} or, when Cognito asks for a new password
 * (accounts created by an administrator), {challenge: {name, session, username}}.
 */
export async function signIn(username, password) {
  const { clientId } = await loadConfig();
  const data = await cognito("InitiateAuth", {
    AuthFlow: "USER_PASSWORD_AUTH",
    ClientId: clientId,
    AuthParameters: { USERNAME: username, PASSWORD: password },
  });
  if (data.ChallengeName) {
    return { challenge: { name: data.ChallengeName, session: data.Session, username } };
  }
  return { session: storeResult(data) };
}

/** Answer the NEW_PASSWORD_REQUIRED challenge. */
export async function setNewPassword(challenge, newPassword) {
  const { clientId } = await loadConfig();
  const data = await cognito("RespondToAuthChallenge", {
    ChallengeName: "NEW_PASSWORD_REQUIRED",
    ClientId: clientId,
    Session: challenge.session,
    ChallengeResponses: { USERNAME: challenge.username, NEW_PASSWORD: newPassword },
  });
  return { session: storeResult(data) };
}

// ---- the Heard API --------------------------------------------------------------------------------

/**
 * Call `${apiUrl}/api${path}`. Returns {status, data} (data is null for 204). Throws ApiError for
 * 4xx/5xx (with the API's {"message"}) and for network failures; a 401 also ends the session.
 */
export async function api(path, { method = "GET", body } = {}) {
  const { apiUrl } = await loadConfig();
  const session = currentSession();
  if (!session) {
    onUnauthorized();
    throw new ApiError(401, "Your session has ended. Sign in again.");
  }
  const headers = { Authorization: session.token };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(`${apiUrl}/api${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "Cannot reach the Heard API. Check your connection and try again.");
  }
  if (response.status === 204) return { status: 204, data: null };
  const data = await response.json().catch(() => null);
  if (response.status === 401) {
    signOut();
    onUnauthorized();
    throw new ApiError(401, "Your session has ended. Sign in again.");
  }
  if (!response.ok) {
    throw new ApiError(response.status, apiErrorMessage(response.status, data), data);
  }
  return { status: response.status, data };
}

/** Build a query string from the defined values of `params`. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

/**
 * For a view that may ask again before an earlier answer arrives: `const turn = latestOnly();` then, per
 * request, `const fresh = turn();` and use the answer only while `fresh()` is true, so an earlier,
 * slower answer never overwrites a newer one.
 */
export function latestOnly() {
  let latest = 0;
  return () => {
    const mine = ++latest;
    return () => mine === latest;
  };
}
