package serial

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// TestAFieldResolvesInTurnAsGqlgenResolvesIt: for each kind of result a
// resolved field can have — a value, null where null is allowed, null
// where it is not, a nullable field whose child may not be null, a panic
// — Resolve leaves the object's field set as gqlgen's ResolveConcurrently
// and Dispatch leave it: the same value, the same count of invalid fields
// (which nulls the object), the same errors.
func TestAFieldResolvesInTurnAsGqlgenResolvesIt(t *testing.T) {
	value := graphql.MarshalString("x")
	cases := []struct {
		name    string
		nonNull bool
		resolve func(context.Context) graphql.Marshaler
	}{
		{"a value", true, func(context.Context) graphql.Marshaler { return value }},
		{"null in a nullable field", false, func(context.Context) graphql.Marshaler { return graphql.Null }},
		{"null in a non-null field", true, func(context.Context) graphql.Marshaler { return graphql.Null }},
		{"a nullable field's child was null", false, func(context.Context) graphql.Marshaler { return graphql.RequiredNull }},
		{"a panic", true, func(context.Context) graphql.Marshaler { panic("boom") }},
	}
	run := func(resolve func(ctx context.Context, fs *graphql.FieldSet, field graphql.CollectedField, oc *graphql.OperationContext)) (
		graphql.Marshaler, uint32, gqlerror.List) {
		oc := &graphql.OperationContext{RecoverFunc: func(_ context.Context, p any) error { return errors.New("internal system error") }}
		ctx := graphql.WithResponseContext(context.Background(), graphql.DefaultErrorPresenter, oc.RecoverFunc)
		fields := []graphql.CollectedField{{Field: &ast.Field{Name: "id", Alias: "id"}}, {Field: &ast.Field{Name: "pay", Alias: "pay"}}}
		fs := graphql.NewFieldSet(fields)
		fs.Values[0] = value
		resolve(ctx, fs, fields[1], oc)
		return fs.Values[1], fs.Invalids, graphql.GetErrors(ctx)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			gotV, gotInvalid, gotErrs := run(func(ctx context.Context, fs *graphql.FieldSet, field graphql.CollectedField, oc *graphql.OperationContext) {
				var deferred graphql.DeferredGroup
				Resolve(ctx, fs, field, oc, &deferred, 1, true, c.nonNull, c.resolve)
			})
			wantV, wantInvalid, wantErrs := run(func(ctx context.Context, fs *graphql.FieldSet, _ graphql.CollectedField, oc *graphql.OperationContext) {
				var deferred graphql.DeferredGroup
				fs.ResolveConcurrently(oc, &deferred, 1, true, c.nonNull, c.resolve)
				fs.Dispatch(ctx)
			})
			if written(gotV) != written(wantV) || gotInvalid != wantInvalid || gotErrs.Error() != wantErrs.Error() {
				t.Fatalf("Resolve left %v, %d invalid, errors %q; gqlgen leaves %v, %d invalid, errors %q",
					written(gotV), gotInvalid, gotErrs, written(wantV), wantInvalid, wantErrs)
			}
		})
	}
}

func written(m graphql.Marshaler) string {
	var b bytes.Buffer
	m.MarshalGQL(&b)
	return b.String()
}
