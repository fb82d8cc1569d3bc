// Package flexwork is the backend of a flexible-work marketplace. The code
// lives in the subpackages; this file only drives code generation.
//
// `go generate ./...` regenerates, in this order: the ent client and the
// entities' GraphQL schema (entc), the GraphQL server (gqlgen), and the
// schema the apps see (mobile-schema/schema.graphql), and the persisted query
// manifest of the apps' operations checked against it
// (mobile-schema/persisted-queries.json). TestGeneratedCodeIsFresh fails when
// any of them is stale.
package flexwork

//go:generate go run ./ent/entc.go
//go:generate go tool gqlgen generate
//go:generate go run ./cmd/flexwork schema --out mobile-schema/schema.graphql
//go:generate go run ./cmd/flexwork schema manifest --out mobile-schema/persisted-queries.json
