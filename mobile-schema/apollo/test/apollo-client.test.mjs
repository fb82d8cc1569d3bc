// Apollo Client, as a web or React Native app runs it, against a server
// that runs only the apps' manifest (trusted documents enforced): ids
// computed by Apollo at run time find the server's operations, the
// responses carry __typename, and the normalized cache holds each object
// once, node(id:) screens included.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { ApolloClient, InMemoryCache, HttpLink } from "@apollo/client";
import { createPersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { generatePersistedQueryIdsAtRuntime, generatePersistedQueryIdsFromManifest } from "@apollo/persisted-query-lists";
import { document, manifest, fixture } from "./documents.mjs";

const sha256 = (s) => createHash("sha256").update(s).digest("hex");

function client(token, ids) {
  const http = new HttpLink({ uri: fixture.url + "/graphql", headers: { authorization: `Bearer ${token}` } });
  return new ApolloClient({ link: createPersistedQueryLink(ids).concat(http), cache: new InMemoryCache() });
}

test("a node(id:) screen fills the normalized cache, by ids Apollo computes", async () => {
  const apollo = client(fixture.anaToken, generatePersistedQueryIdsAtRuntime({ sha256 }));
  const { data, error } = await apollo.query({ query: document("ShiftDetail"), variables: { id: fixture.shiftID } });
  assert.equal(error, undefined);
  assert.equal(data.node.__typename, "Shift");
  assert.equal(data.node.id, fixture.shiftID);
  const cache = apollo.cache.extract();
  const shift = cache[`Shift:${fixture.shiftID}`];
  assert.ok(shift, "the shift is normalized under Shift:<id>");
  assert.equal(shift.title, "Warehouse picker");
  assert.equal(typeof shift.startsAt, "string");
  assert.deepEqual(cache.ROOT_QUERY[`node({"id":"${fixture.shiftID}"})`], { __ref: `Shift:${fixture.shiftID}` });
  assert.ok(cache[shift.employer.__ref], "the employer is normalized too");
});

test("a mutation's payload updates what the cache already holds", async () => {
  const apollo = client(fixture.anaToken, generatePersistedQueryIdsFromManifest({ loadManifest: () => manifest }));
  await apollo.query({ query: document("ShiftDetail"), variables: { id: fixture.shiftID } });
  const { data } = await apollo.mutate({ mutation: document("ApplyToShift"), variables: { input: { shiftID: fixture.shiftID } } });
  const application = data.applyToShift.application;
  assert.equal(application.status, "APPLIED");
  const cache = apollo.cache.extract();
  assert.equal(cache[`Application:${application.id}`].status, "APPLIED");
  assert.equal(cache[`Shift:${fixture.shiftID}`].title, "Warehouse picker", "the shift stays one object");
});

test("an operation the manifest lacks is refused with its code", async () => {
  const apollo = client(fixture.anaToken, generatePersistedQueryIdsAtRuntime({ sha256 }));
  const { error } = await apollo.query({
    query: { kind: "Document", definitions: [...document("Me").definitions.map((d) => ({ ...d, name: { kind: "Name", value: "NotShipped" } }))] },
    errorPolicy: "none",
  }).catch((error) => ({ error }));
  assert.ok(error, "a query outside the manifest must fail");
  assert.match(JSON.stringify(error), /PERSISTED_QUERY_NOT_IN_LIST/);
});
