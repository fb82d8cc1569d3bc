// persisted-queries.json is what Apollo's generator makes of the operation
// files today.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { buildManifest } from "../manifest.mjs";

test("persisted-queries.json is fresh", async () => {
  const file = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "persisted-queries.json");
  assert.ok(readFileSync(file, "utf8") === (await buildManifest()),
    "mobile-schema/persisted-queries.json is stale: run `go generate ./...` and commit");
});
