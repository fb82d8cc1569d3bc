package serial

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

// Resolve resolves field i of an object now, on the calling goroutine.
// gqlgen schedules every field with a resolver or a method taking a
// context (graphql.FieldSet.ResolveConcurrently) and, at the object's
// Dispatch, runs all but the first in a goroutine of their own: on a feed
// page, three for each shift (its pay, skills, agency and employer), sixty
// goroutines and twenty WaitGroups a page, for fields that wait on
// nothing — the market loads a page's rows before the executor runs, as
// for MarshalSlice. It has ResolveConcurrently's results: the value at i,
// the object marked invalid when a field that may not be null is null, and
// a panic recovered as the field's null and an error. A field the client
// @defer'd is still scheduled by gqlgen, for its later payload.
func Resolve(ctx context.Context, m *graphql.FieldSet, field graphql.CollectedField, oc *graphql.OperationContext,
	deferred *graphql.DeferredGroup, i int, recoverFromPanic, nonNull bool, resolve func(context.Context) graphql.Marshaler) {
	if field.IsDeferred() {
		m.ResolveConcurrently(oc, deferred, i, recoverFromPanic, nonNull, resolve)
		return
	}
	v := resolveRecovering(ctx, oc, recoverFromPanic, resolve)
	m.Values[i] = v
	// gqlgen's invalid result: null where the field may not be null,
	// RequiredNull (a nullable field whose own non-null child was null).
	if nonNull && v == graphql.Null || !nonNull && v == graphql.RequiredNull {
		m.Invalids++
	}
}

func resolveRecovering(ctx context.Context, oc *graphql.OperationContext, recoverFromPanic bool,
	resolve func(context.Context) graphql.Marshaler) (res graphql.Marshaler) {
	if recoverFromPanic {
		defer func() {
			if r := recover(); r != nil {
				oc.Error(ctx, oc.Recover(ctx, r))
				res = graphql.Null
			}
		}()
	}
	return resolve(ctx)
}
