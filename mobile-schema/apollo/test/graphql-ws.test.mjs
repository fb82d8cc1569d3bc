// graphql-ws's own client against the server: subscriptions by the
// manifest's operations, an offer arriving live, completion, and the
// protocol's refusals as the client reports them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { operation, fixture } from "./documents.mjs";

const wsURL = () => fixture.url.replace(/^http/, "ws") + "/graphql";

// persisted is a subscribe payload naming a manifest operation, its text
// included: graphql-ws sends the query it is given.
function persisted(name, variables) {
  const op = operation(name);
  return { query: op.body, operationName: name, variables, extensions: { persistedQuery: { version: 1, sha256Hash: op.id } } };
}

async function post(token, name, variables) {
  const op = operation(name);
  const res = await fetch(fixture.url + "/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/graphql-response+json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ operationName: name, variables, extensions: { persistedQuery: { version: 1, sha256Hash: op.id } } }),
  });
  const body = await res.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

test("an offer arrives live over graphql-ws, and complete ends it", async () => {
  const client = createClient({ url: wsURL(), webSocketImpl: WebSocket, lazy: false, retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${fixture.anaToken}` } });
  try {
    const events = client.iterate(persisted("OfferEvents"));
    const first = events.next();
    // The subscription is registered once the server has it; give it a moment.
    await new Promise((r) => setTimeout(r, 300));
    await post(fixture.olgaToken, "SendOffer", { input: { applicationID: fixture.applicationID } });
    const { value } = await first;
    assert.equal(value.errors, undefined);
    assert.equal(value.data.offerEvents.kind, "CREATED");
    assert.equal(value.data.offerEvents.offer.shift.id, fixture.offerShiftID);
    await events.return(); // complete
  } finally {
    await client.dispose();
  }
});

test("a refused subscription is an error, not a null event", async () => {
  const client = createClient({ url: wsURL(), webSocketImpl: WebSocket, retryAttempts: 0 }); // anonymous
  try {
    const result = await new Promise((resolve) => {
      client.subscribe(persisted("OfferEvents"), { next: (v) => resolve({ next: v }), error: (e) => resolve({ error: e }), complete: () => resolve({}) });
    });
    assert.ok(result.error, `want an error, got ${JSON.stringify(result)}`);
    assert.equal(result.error[0].extensions.code, "UNAUTHENTICATED");
  } finally {
    await client.dispose();
  }
});

test("a bad token closes the socket 4403", async () => {
  const client = createClient({ url: wsURL(), webSocketImpl: WebSocket, retryAttempts: 0,
    connectionParams: { authorization: "Bearer forged" } });
  try {
    const code = await new Promise((resolve) => {
      client.subscribe(persisted("OfferEvents"), { next: () => resolve("next"), complete: () => resolve("complete"),
        error: (e) => resolve(e.code) });
    });
    assert.equal(code, 4403);
  } finally {
    await client.dispose();
  }
});
