// Package flexwork is the backend of a flexible-work marketplace. The code
// lives in the subpackages; this file only drives code generation.
//
// `go generate ./...` regenerates, in this order: the ent client and the
// entities' GraphQL schema (entc), the GraphQL server (gqlgen, its lists
// then marshalled serially: graph/serial), and the
// schema the apps see (mobile-schema/schema.graphql), and the persisted query
// manifest of the apps' operations (mobile-schema/persisted-queries.json),
// written by Apollo's own generator so that its ids are Apollo's (Node and
// npm: mobile-schema/apollo). TestGeneratedCodeIsFresh fails when any of
// them is stale.
package flexwork

//go:generate go run ./ent/entc.go
//go:generate go tool gqlgen generate
//go:generate go run ./graph/serial/rewrite graph/generated/generated.go
//go:generate go run ./cmd/flexwork schema --out mobile-schema/schema.graphql
//go:generate sh -c "cd mobile-schema/apollo && (test -d node_modules || npm ci --no-audit --no-fund --silent) && node manifest.mjs"
