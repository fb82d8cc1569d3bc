package serial

import (
	"context"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// TestAGroupIsMadeOnlyForDeferredFields: an object without a deferred
// field gets an empty group (nothing to process after it); one with a
// deferred field gets gqlgen's own, with its path.
func TestAGroupIsMadeOnlyForDeferredFields(t *testing.T) {
	i := 3
	ctx := graphql.WithPathContext(context.Background(), &graphql.PathContext{Field: ptr("edges")})
	ctx = graphql.WithPathContext(ctx, &graphql.PathContext{Index: &i})
	plain := []graphql.CollectedField{{Field: &ast.Field{Name: "id"}}}
	deferred := append(plain, graphql.CollectedField{Field: &ast.Field{Name: "bio"}, Deferrables: []*graphql.Deferrable{{Label: "card"}}})

	g := DeferredGroup(ctx, plain)
	if g.Defers != nil || g.FieldSet != nil || g.Path != nil || g.Context != ctx || len(g.Defers) != 0 {
		t.Fatalf("an object without deferred fields: %+v", g)
	}
	g = DeferredGroup(ctx, deferred)
	want := graphql.NewDeferredGroup(ctx)
	if g.Defers == nil || g.FieldSet == nil || g.Path.String() != want.Path.String() || g.Path.String() != "edges[3]" {
		t.Fatalf("an object with a deferred field: path %q (want %q), defers %v, field set %v", g.Path, want.Path, g.Defers, g.FieldSet)
	}
}

func ptr[T any](v T) *T { return &v }
