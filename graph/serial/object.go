package serial

import (
	"bytes"
	"io"

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

// MarshalGQL writes the object. A response is always written into a
// bytes.Buffer (gqlgen's executor, Response); the object writes its own
// punctuation and keys to it directly rather than through io.WriteString,
// which asks the writer for its WriteString method at every call — four
// calls a field, a twentieth of the server's time on a candidates page.
func (o object) MarshalGQL(w io.Writer) {
	b, ok := w.(*bytes.Buffer)
	if !ok {
		b = new(bytes.Buffer)
		defer func() { w.Write(b.Bytes()) }()
	}
	b.WriteByte('{')
	first := true
	for i := range o.fields {
		alias := o.fields[i].Alias
		if o.repeated(i, alias) {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		// A response key is a GraphQL name ([_A-Za-z][_0-9A-Za-z]*):
		// nothing in it needs escaping.
		b.WriteByte('"')
		b.WriteString(alias)
		b.WriteString(`":`)
		o.values[i].MarshalGQL(b)
	}
	b.WriteByte('}')
}

// repeated tells whether a field before the i-th has the response key alias.
func (o object) repeated(i int, alias string) bool {
	for j := range i {
		if o.fields[j].Alias == alias {
			return true
		}
	}
	return false
}
