package serial

import (
	"io"
	"slices"

	"github.com/99designs/gqlgen/graphql"
)

// Object is an object's response: its collected fields and their values,
// written as graphql.FieldSet writes them — in order, the first of the
// fields sharing a response key only — without the map FieldSet makes for
// every object it writes to find such repeats (rare: the same key
// collected through fragments on different types). A candidates page
// writes ~600 objects.
func Object(fields []graphql.CollectedField, values []graphql.Marshaler) graphql.Marshaler {
	return object{fields, values}
}

type object struct {
	fields []graphql.CollectedField
	values []graphql.Marshaler
}

func (o object) MarshalGQL(w io.Writer) {
	io.WriteString(w, "{")
	first := true
	for i, f := range o.fields {
		if i > 0 && slices.ContainsFunc(o.fields[:i], func(g graphql.CollectedField) bool { return g.Alias == f.Alias }) {
			continue
		}
		if !first {
			io.WriteString(w, ",")
		}
		first = false
		// A response key is a GraphQL name ([_A-Za-z][_0-9A-Za-z]*):
		// nothing in it needs escaping.
		io.WriteString(w, `"`)
		io.WriteString(w, f.Alias)
		io.WriteString(w, `":`)
		o.values[i].MarshalGQL(w)
	}
	io.WriteString(w, "}")
}
