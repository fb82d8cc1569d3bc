// The apps' operations as an app holds them: one document per operation,
// with the fragments it uses, read from the mobile-schema folders.
import { readFileSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, visit } from "graphql";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

const definitions = ["shared", "worker", "employer", "staff"].flatMap((folder) =>
  readdirSync(join(root, folder))
    .filter((f) => f.endsWith(".graphql"))
    .flatMap((f) => parse(readFileSync(join(root, folder, f), "utf8")).definitions),
);
const fragments = new Map(definitions.filter((d) => d.kind === "FragmentDefinition").map((d) => [d.name.value, d]));

// document returns the operation named name and every fragment it spreads.
export function document(name) {
  const op = definitions.find((d) => d.kind === "OperationDefinition" && d.name?.value === name);
  if (!op) throw new Error(`no operation ${name} in mobile-schema`);
  const used = new Map();
  const collect = (node) =>
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        if (!used.has(name)) {
          used.set(name, fragments.get(name));
          collect(fragments.get(name));
        }
      },
    });
  collect(op);
  return { kind: "Document", definitions: [op, ...used.values()] };
}

export const manifest = JSON.parse(readFileSync(join(root, "persisted-queries.json"), "utf8"));

// operation is the manifest's entry for name.
export function operation(name) {
  const op = manifest.operations.find((o) => o.name === name);
  if (!op) throw new Error(`no operation ${name} in persisted-queries.json`);
  return op;
}

// fixture is what the Go test set up for these tests: the server's URLs,
// tokens and ids.
export const fixture = JSON.parse(process.env.FLEXWORK_FIXTURE ?? "{}");
