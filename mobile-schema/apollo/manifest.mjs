// Builds ../persisted-queries.json with Apollo's own generator
// (@apollo/generate-persisted-query-manifest), so that every id is what
// Apollo computes for the operation as Apollo Client sends it (__typename
// added, printed its way). The generator takes one operation per document,
// as Apollo Client Web writes them; the apps' files hold a screen each, so
// each operation is first written to a file of its own, with the fragment
// files beside them.
//
//   node manifest.mjs            write ../persisted-queries.json
//   node manifest.mjs --check    fail if it is stale
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, print } from "graphql";
import { generatePersistedQueryManifest } from "@apollo/generate-persisted-query-manifest";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const folders = ["shared", "worker", "employer", "staff"];
const output = join(root, "persisted-queries.json");

export async function buildManifest() {
  const tmp = mkdtempSync(join(tmpdir(), "flexwork-manifest-"));
  try {
    mkdirSync(join(tmp, "operations"));
    mkdirSync(join(tmp, "fragments"));
    for (const folder of folders) {
      for (const file of readdirSync(join(root, folder)).filter((f) => f.endsWith(".graphql")).sort()) {
        const doc = parse(readFileSync(join(root, folder, file), "utf8"));
        const fragments = doc.definitions.filter((d) => d.kind === "FragmentDefinition");
        if (fragments.length > 0) {
          writeFileSync(join(tmp, "fragments", `${folder}-${file}`), fragments.map(print).join("\n\n"));
        }
        for (const op of doc.definitions.filter((d) => d.kind === "OperationDefinition")) {
          writeFileSync(join(tmp, "operations", `${op.name.value}.graphql`), print(op));
        }
      }
    }
    const manifest = await generatePersistedQueryManifest(
      { documents: [join(tmp, "**/*.graphql")], output },
      undefined,
    );
    return JSON.stringify(manifest, null, 2) + "\n";
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const json = await buildManifest();
  if (process.argv.includes("--check")) {
    if (readFileSync(output, "utf8") !== json) {
      console.error("mobile-schema/persisted-queries.json is stale: run `go generate ./...` and commit");
      process.exit(1);
    }
  } else {
    writeFileSync(output, json);
  }
}
