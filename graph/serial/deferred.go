package serial

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

// DeferredGroup is graphql.NewDeferredGroup(ctx) for an object with a
// field under @defer, and an empty group for one without. gqlgen makes the
// group for every object it marshals — the object's path (a walk up the
// field contexts), a field set and a map, 8 % of the server's CPU on the
// Candidates page — and uses it only for deferred fields: ResolveConcurrently
// touches it only for a field that IsDeferred, and ProcessDeferredGroup is
// called only when it holds some.
func DeferredGroup(ctx context.Context, fields []graphql.CollectedField) graphql.DeferredGroup {
	for _, f := range fields {
		if f.IsDeferred() {
			return graphql.NewDeferredGroup(ctx)
		}
	}
	return graphql.DeferredGroup{Context: ctx}
}
