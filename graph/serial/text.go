package serial

import (
	"bytes"
	"io"

	"github.com/99designs/gqlgen/graphql"
)

// Typename is the marshaler of a constant name: an object's __typename.
// gqlgen writes it with graphql.MarshalString, which allocates a closure
// per object written (Apollo's clients ask every object's __typename: ten
// an edge of the feed). A constant converted to an interface allocates
// nothing.
type Typename string

// MarshalGQL writes the name quoted.
func (t Typename) MarshalGQL(w io.Writer) { writeString(w, string(t)) }

// String is the marshaler of the string at p, a field of an entity the
// executor holds until the response is written (a plain read, ./rewrite).
// A pointer fits in an interface as it is: gqlgen's MarshalString
// allocates a closure for every string field of a response.
func String(p *string) graphql.Marshaler { return stringAt{p} }

type stringAt struct{ p *string }

// MarshalGQL writes the string as gqlgen's MarshalString does.
func (s stringAt) MarshalGQL(w io.Writer) { writeString(w, *s.p) }

// writeString writes s quoted, as gqlgen's MarshalString does. Text with
// nothing to escape (nearly all of it) goes to the buffer in one write;
// the rest is left to gqlgen's escaping.
func writeString(w io.Writer, s string) {
	b, ok := w.(*bytes.Buffer)
	if !ok || !plain(s) {
		graphql.MarshalString(s).MarshalGQL(w)
		return
	}
	b.WriteByte('"')
	b.WriteString(s)
	b.WriteByte('"')
}

// plain tells whether s holds nothing gqlgen escapes: a control character,
// a quote or a backslash. Checking bytes is checking runes here: every byte
// of a multi-byte UTF-8 sequence is ≥ 0x80, and gqlgen copies invalid
// UTF-8 through unchanged.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}
