// The console's sign-in and API client (console/js/api.js) against a fake fetch and sessionStorage.
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

const CONFIG = { apiUrl: "https://api.example.test/prod/", region: "eu-west-1", userPoolId: "p", clientId: "client-1", cognitoEndpoint: "https://cognito.example.test/" };
const store = new Map();
globalThis.sessionStorage = {
  getItem: (k) => (store.has(k) ? store.get(k) : null),
  setItem: (k, v) => store.set(k, String(v)),
  removeItem: (k) => store.delete(k),
};
let calls = [];
let answer = () => new Response("{}", { status: 200 });
globalThis.fetch = async (url, init = {}) => {
  calls.push({ url: String(url), init });
  if (String(url) === "config.json") return Response.json(CONFIG);
  return answer(String(url), init);
};

const { api, ApiError, currentSession, query, setUnauthorizedHandler, signIn, signOut } = await import("../../../console/js/api.js");

function token(claims) {
  const part = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part({ alg: "RS256" })}.${part(claims)}.signature`;
}
const valid = token({ email: "agent@heard.local", "cognito:groups": ["agent"], exp: Math.floor(Date.now() / 1000) + 3600 });

beforeEach(() => {
  calls = [];
  store.clear();
});

test("sign-in posts USER_PASSWORD_AUTH to Cognito and keeps the id token for the session", async () => {
  // Given Cognito accepts the password
  answer = () => Response.json({ AuthenticationResult: { IdToken: valid, AccessToken: "a", RefreshToken: "r" } });
  // When the agent signs in
  const { session } = await signIn("agent@heard.local", "pw");
  // Then the request is Cognito's InitiateAuth, exactly
  const call = calls.find((c) => c.url === CONFIG.cognitoEndpoint);
  assert.equal(call.init.method, "POST");
  assert.equal(call.init.headers["Content-Type"], "application/x-amz-json-1.1");
  assert.equal(call.init.headers["X-Amz-Target"], "AWSCognitoIdentityProviderService.InitiateAuth");
  assert.deepEqual(JSON.parse(call.init.body), {
    AuthFlow: "USER_PASSWORD_AUTH",
    ClientId: "client-1",
    AuthParameters: { USERNAME: "agent@heard.local", PASSWORD: "pw" },
  });
  // And the session carries the user's email and groups
  assert.deepEqual({ email: session.email, groups: session.groups }, { email: "agent@heard.local", groups: ["agent"] });
  assert.equal(store.get("heard.idToken"), valid);
});

test("a wrong password is reported plainly and stores nothing", async () => {
  answer = () => Response.json({ __type: "NotAuthorizedException", message: "Incorrect username or password." }, { status: 400 });
  await assert.rejects(signIn("agent@heard.local", "bad"), (e) => e instanceof ApiError && e.message === "Wrong email or password.");
  assert.equal(currentSession(), null);
});

test("an unreachable sign-in service is a network error, not a crash", async () => {
  answer = () => {
    throw new TypeError("Failed to fetch");
  };
  await assert.rejects(signIn("agent@heard.local", "pw"), (e) => e.status === 0 && /Cannot reach the sign-in service/.test(e.message));
});

test("Cognito's new-password challenge is handed back instead of a session", async () => {
  answer = () => Response.json({ ChallengeName: "NEW_PASSWORD_REQUIRED", Session: "s-1" });
  const result = await signIn("new@heard.local", "temp");
  assert.deepEqual(result.challenge, { name: "NEW_PASSWORD_REQUIRED", session: "s-1", username: "new@heard.local" });
});

test("API calls go to apiUrl/api with the id token, and 204 has no body", async () => {
  store.set("heard.idToken", valid);
  answer = () => new Response(null, { status: 204 });
  const result = await api("/queues/care/next", { method: "POST" });
  assert.deepEqual(result, { status: 204, data: null });
  const call = calls.at(-1);
  assert.equal(call.url, "https://api.example.test/prod/api/queues/care/next"); // trailing slash of apiUrl dropped
  assert.equal(call.init.headers.Authorization, valid);
});

test("a JSON body is sent as JSON", async () => {
  store.set("heard.idToken", valid);
  answer = () => Response.json({ reply: { entry_id: "e1" } }, { status: 202 });
  const { status, data } = await api("/cases/c1/replies", { method: "POST", body: { text: "Hello" } });
  assert.equal(status, 202);
  assert.equal(data.reply.entry_id, "e1");
  assert.equal(calls.at(-1).init.headers["Content-Type"], "application/json");
  assert.equal(calls.at(-1).init.body, '{"text":"Hello"}');
});

test("a 401 ends the session and sends the user back to sign in", async () => {
  store.set("heard.idToken", valid);
  let sentBack = 0;
  setUnauthorizedHandler(() => sentBack++);
  answer = () => Response.json({ message: "Unauthorized" }, { status: 401 });
  await assert.rejects(api("/cases"), (e) => e.status === 401);
  assert.equal(sentBack, 1);
  assert.equal(currentSession(), null);
});

test("API errors carry the API's message and status", async () => {
  store.set("heard.idToken", valid);
  answer = () => Response.json({ message: "agent is at capacity" }, { status: 409 });
  await assert.rejects(api("/queues/care/next", { method: "POST" }), (e) => e.status === 409 && e.message === "agent is at capacity");
});

test("an expired token is no session", () => {
  store.set("heard.idToken", token({ email: "a@b", exp: Math.floor(Date.now() / 1000) - 5 }));
  assert.equal(currentSession(), null);
  signOut();
  assert.equal(store.size, 0);
});

test("query strings keep only the values that are set", () => {
  assert.equal(query({ status: "queued", team: "", owner: null, limit: 50 }), "?status=queued&limit=50");
  assert.equal(query({}), "");
});

test("a request the API's validator refuses (422 detail) names each field and what is wrong", async () => {
  // Given the validator's answer for a declare request with a blank name and a 1-letter keyword
  store.set("heard.idToken", valid);
  answer = () =>
    Response.json(
      { statusCode: 422, detail: [{ loc: ["body", "name"], type: "string_too_short" }, { loc: ["body", "keywords", 0], type: "string_too_short" }] },
      { status: 422 },
    );
  // When the console sends it, Then the error says which fields, in words
  await assert.rejects(
    api("/crises", { method: "POST", body: {} }),
    (e) => e.status === 422 && e.message === "Please check: name: too short; keywords 0: too short.",
  );
});
