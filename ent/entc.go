//go:build ignore

// entc generates the ent client and, through entgql, the GraphQL schema of
// the entities (graph/schema/ent.graphql). Run from the repository root by
// `go generate ./...` (see generate.go).
package main

import (
	"log"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/entc"
	"entgo.io/ent/entc/gen"

	"flexwork/ent/gqlschema"
)

func main() {
	ex, err := entgql.NewExtension(
		entgql.WithConfigPath("gqlgen.yml"),
		entgql.WithSchemaGenerator(),
		entgql.WithSchemaPath("graph/schema/ent.graphql"),
		// No generated where-filters: any field, any operator, any depth of
		// AND/OR is a query nobody indexed for (5,000 ORs stalled SQLite).
		// Lists the apps filter get purpose-built arguments instead.
		entgql.WithWhereInputs(false),
		entgql.WithSchemaHook(gqlschema.Hooks...),
	)
	if err != nil {
		log.Fatalf("entgql: %v", err)
	}
	err = entc.Generate("./ent/schema", &gen.Config{
		Target:  "./ent",
		Package: "flexwork/ent",
	},
		entc.Extensions(ex),
		entc.TemplateFiles("ent/template/pulid.tmpl", "ent/template/columns.tmpl", "ent/template/scan.tmpl"),
		entc.FeatureNames("privacy", "entql", "intercept", "sql/upsert", "sql/execquery", "sql/modifier", "sql/versioned-migration"),
	)
	if err != nil {
		log.Fatalf("entc: %v", err)
	}
}
