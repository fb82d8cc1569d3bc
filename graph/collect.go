package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// collector is an ent query that can eager-load the fields a GraphQL
// selection asks for (entgql generates CollectFields for every query).
type collector[Q any] interface {
	CollectFields(ctx context.Context, satisfies ...string) (Q, error)
}

// nodeFields returns a function that makes a query eager-load what the
// client selected under `edges { node { … } }` of the connection being
// resolved: entgql's field collection, pointed at the nodes of a connection
// written by hand (the feed, the candidates). Without it every node would
// load its edges with queries of its own.
func nodeFields[Q collector[Q]](ctx context.Context, satisfies ...string) func(Q) (Q, error) {
	return nodeFieldsBut[Q](ctx, nil, satisfies...)
}

// nodeFieldsBut is nodeFields leaving out the fields the market fills in
// itself (the feed's employers come from a cache).
func nodeFieldsBut[Q collector[Q]](ctx context.Context, skip map[string]bool, satisfies ...string) func(Q) (Q, error) {
	return func(q Q) (Q, error) {
		fc, oc := graphql.GetFieldContext(ctx), graphql.GetOperationContext(ctx)
		if fc == nil || oc == nil {
			return q, nil
		}
		for _, edges := range graphql.CollectFields(oc, fc.Field.Selections, nil) {
			if edges.Name != "edges" {
				continue
			}
			for _, node := range graphql.CollectFields(oc, edges.Selections, nil) {
				if node.Name != "node" {
					continue
				}
				if len(skip) > 0 {
					// Flatten the selection (fragments included) and drop the
					// skipped fields.
					kept := ast.SelectionSet{}
					for _, f := range graphql.CollectFields(oc, node.Selections, satisfies) {
						if !skip[f.Name] {
							kept = append(kept, f.Field)
						}
					}
					field := *node.Field
					field.SelectionSet = kept
					node = graphql.CollectedField{Field: &field, Selections: kept}
				}
				return q.CollectFields(graphql.WithFieldContext(ctx, &graphql.FieldContext{Parent: fc, Field: node}), satisfies...)
			}
		}
		return q, nil
	}
}

// feedFilled are the shift fields the feed fills in without eager loading.
var feedFilled = map[string]bool{"employer": true}
