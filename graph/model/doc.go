// Package model holds the GraphQL types gqlgen generates because no Go type
// is bound to them (models_gen.go). Most types bind to ent entities or to
// market's input structs instead; see gqlgen.yml.
package model
