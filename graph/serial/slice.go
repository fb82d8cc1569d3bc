// Package serial marshals gqlgen's lists of objects on the calling
// goroutine. gqlgen's executor marshals every element of such a list in a
// goroutine of its own (graphql.MarshalSliceConcurrently, with no setting
// to turn it off), which pays when elements wait on I/O. Ours do not: the
// market loads a page's rows before the executor runs, and field
// collection eager-loads what a page shows. A goroutine per element then
// costs more than it saves: each starts on a small stack and grows it by
// copying while it renders texts and marshals its fields (a quarter of the
// server's CPU on the Candidates page), and a response's element count of
// them are made and thrown away per request.
//
// `go generate` rewrites graph/generated to call MarshalSlice (./rewrite),
// and to marshal a field read straight from a struct into a non-null
// scalar without gqlgen's per-field machinery (its reasons are there).
package serial

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

// MarshalSlice has graphql.MarshalSliceConcurrently's signature and
// results, element by element in order: a panic in one element is recovered
// as that element's null and an error, as gqlgen does.
func MarshalSlice(ctx context.Context, length int, _ int64, omitPanicHandler bool,
	marshalElement func(ctx context.Context, i int) graphql.Marshaler) graphql.Array {
	ret := make(graphql.Array, length)
	for i := range length {
		fc := &graphql.FieldContext{Index: &i}
		childCtx := graphql.WithFieldContext(ctx, fc)
		if omitPanicHandler {
			ret[i] = marshalElement(childCtx, i)
			continue
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					graphql.AddError(childCtx, graphql.Recover(childCtx, r))
					ret[i] = graphql.Null
				}
			}()
			ret[i] = marshalElement(childCtx, i)
		}()
	}
	return ret
}
