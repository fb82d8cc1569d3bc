// graphql-http's audit of the GraphQL-over-HTTP specification, against a
// development server (the audit sends its own queries, which a server that
// runs only the apps' manifest would refuse). Every MUST and SHOULD passes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { serverAudits } from "graphql-http";
import { fixture } from "./documents.mjs";

test("graphql-http's audit: no MUST and no SHOULD fails", async () => {
  const results = [];
  for (const audit of serverAudits({ url: fixture.devURL + "/graphql", fetchFn: fetch })) {
    results.push({ name: audit.name, ...(await audit.fn()) });
  }
  const failed = results.filter((r) => r.status !== "ok");
  const count = (level) => results.filter((r) => r.name.startsWith(level)).length;
  console.log(`graphql-http audit: ${results.length - failed.length} of ${results.length} pass ` +
    `(MUST ${count("MUST")}, SHOULD ${count("SHOULD")}, MAY ${count("MAY")})`);
  for (const f of failed) console.log(`  ${f.status}: ${f.name}: ${f.reason}`);
  assert.deepEqual(failed.filter((r) => !r.name.startsWith("MAY")).map((r) => `${r.name}: ${r.reason}`), []);
});
