package server

import (
	"context"

	"github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// fieldCosts are what fields that compute cost beyond the rows they read: a
// credit report replays the subject's ledger, a root eligibility screens,
// candidates rank a shift's whole field of applicants, counts and rating
// summaries aggregate. Screening inside the feed and candidates is done in
// bulk for the page and costs nothing more per edge.
var fieldCosts = map[string]int{
	"Query.creditReport":            50,
	"Query.candidates":              100,
	"Query.eligibility":             10,
	"Query.shiftFeed":               10,
	"Query.unreadNotificationCount": 5,
	"WorkerProfile.ratingSummary":   5,
	"Employer.ratingSummary":        5,
	"Certification.details":         5, // staff opening a pending document rehash it
}

// costOptions make scalars free beyond their row (gqlgen prices each at 1).
var costOptions = []complexity.Option{complexity.WithFixedScalarValue(0)}

// listGuess is how many items a list without a page size is priced at
// (a shift's required skills, an employer's memberships).
const listGuess = 10

// pricedSchema prices a query by the work it makes: every entity (a Node) a
// row, a page of them its page size times a row and what hangs off it,
// value objects and scalars nothing beyond their row, counts and the fields
// of fieldCosts their cost. The complexity limit then bounds how many rows
// a query can pull and how much computing it asks for, not how many fields
// it names: an app's detail screen with forty fields costs what its rows
// cost, a thousand aliases of creditReport what a thousand reports cost.
type pricedSchema struct{ graphql.ExecutableSchema }

func (s pricedSchema) Complexity(_ context.Context, typeName, field string, child int, args map[string]any) (int, bool) {
	cost := fieldCosts[typeName+"."+field]
	def := s.Schema().Types[typeName]
	if def == nil {
		return cost + child, true
	}
	f := def.Fields.ForName(field)
	if f == nil {
		return cost + child, true
	}
	row := 0
	if t := s.Schema().Types[f.Type.Name()]; t != nil && (t.Kind == ast.Object || t.Kind == ast.Interface || t.Kind == ast.Union) &&
		s.isRow(t) {
		row = 1
	}
	switch {
	case field == "totalCount":
		return 5, true
	case isConnection(typeName) && field == "edges":
		return child, true // the connection counts the page
	}
	if n, ok := pageArg(deref(args["first"])); ok && n > 0 {
		return cost + int(n)*(1+child), true
	}
	if ids, ok := args["ids"].([]any); ok { // nodes(ids:)
		return cost + len(ids)*(1+child), true
	}
	if f.Type.Elem != nil {
		return cost + listGuess*(row+child), true
	}
	return cost + row + child, true
}

// isRow says whether a type is an entity read from a table (a Node) rather
// than a value computed or carried with one.
func (s pricedSchema) isRow(t *ast.Definition) bool {
	if t.Name == "Node" {
		return true
	}
	for _, i := range t.Interfaces {
		if i == "Node" {
			return true
		}
	}
	return false
}

func isConnection(typeName string) bool {
	return len(typeName) > len("Connection") && typeName[len(typeName)-len("Connection"):] == "Connection"
}

func deref(v any) any {
	if p, ok := v.(*int); ok && p != nil {
		return *p
	}
	return v
}
