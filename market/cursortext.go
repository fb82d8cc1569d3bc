package market

import (
	"errors"
	"io"
	"strings"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"
)

// CursorText is a cursor already written as its GraphQL value, the quoted
// string entgql.Cursor writes. entgql writes a cursor afresh each time
// (a msgpack encoder and a base64 writer per cursor); a kept ranking's
// cursors are the same for every page that shows them, so it writes each
// once (ranking.cursorTexts). It is the Cursor scalar's second Go model
// (gqlgen.yml): output only — a cursor a client sends is read as an
// entgql.Cursor.
type CursorText struct{ quoted *string }

func newCursorText(c entgql.Cursor[string]) CursorText {
	var b strings.Builder
	c.MarshalGQL(&b)
	s := b.String()
	return CursorText{&s}
}

func (c CursorText) MarshalGQL(w io.Writer) {
	if c.quoted == nil {
		graphql.Null.MarshalGQL(w)
		return
	}
	io.WriteString(w, *c.quoted)
}

func (c *CursorText) UnmarshalGQL(any) error {
	return errors.New("a cursor is read as entgql.Cursor, not CursorText")
}
