package serial

import (
	"bytes"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// TestAnObjectIsWrittenAsGqlgenWritesIt: the same bytes as a
// graphql.FieldSet, including a response key collected twice (the first
// wins) and an empty object.
func TestAnObjectIsWrittenAsGqlgenWritesIt(t *testing.T) {
	field := func(alias string) graphql.CollectedField {
		return graphql.CollectedField{Field: &ast.Field{Name: alias, Alias: alias}}
	}
	for _, c := range []struct {
		name   string
		fields []graphql.CollectedField
		values []graphql.Marshaler
	}{
		{"empty", nil, nil},
		{"fields", []graphql.CollectedField{field("id"), field("rank"), field("node")},
			[]graphql.Marshaler{graphql.MarshalString(`a"b\c`), graphql.MarshalInt(3), graphql.Null}},
		{"a key twice", []graphql.CollectedField{field("id"), field("name"), field("id")},
			[]graphql.Marshaler{graphql.MarshalString("first"), graphql.MarshalBoolean(true), graphql.MarshalString("second")}},
	} {
		fs := graphql.NewFieldSet(c.fields)
		copy(fs.Values, c.values)
		var want, got bytes.Buffer
		fs.MarshalGQL(&want)
		Object(c.fields, c.values).MarshalGQL(&got)
		if got.String() != want.String() {
			t.Errorf("%s: wrote %s, gqlgen writes %s", c.name, got.String(), want.String())
		}
		// A writer that is not a buffer gets the same bytes.
		var other strings.Builder
		Object(c.fields, c.values).MarshalGQL(&other)
		if other.String() != want.String() {
			t.Errorf("%s: wrote %s to a strings.Builder, gqlgen writes %s", c.name, other.String(), want.String())
		}
	}
}
