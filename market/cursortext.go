package market

import (
	"encoding/base64"
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

// IDCursor is the cursor of an item found again by its ID alone (a feed's
// shift: the feed reads the cursor's keys off its row), written as entgql
// writes Cursor[string]{ID: id}: quoted, unpadded base64 of the msgpack
// map {"i": id}. A feed page writes one per edge, every page afresh; this
// makes each with two allocations (the text and its holder) instead of
// entgql's encoder and writer (TestAnIDCursorIsWhatEntgqlWrites).
func IDCursor(id string) CursorText {
	if len(id) > 255 { // beyond msgpack's str8: not an ID flexwork makes
		return newCursorText(entgql.Cursor[string]{ID: id})
	}
	var buf [4 + 1 + 255]byte
	raw := append(buf[:0], 0x81, 0xa1, 'i') // a map of one entry; its key, the string "i"
	if len(id) < 32 {
		raw = append(raw, 0xa0|byte(len(id))) // fixstr
	} else {
		raw = append(raw, 0xd9, byte(len(id))) // str8
	}
	raw = append(raw, id...)
	var text [2 + 348]byte // base64 of the longest raw, quoted
	n := base64.RawStdEncoding.EncodedLen(len(raw))
	text[0], text[n+1] = '"', '"'
	base64.RawStdEncoding.Encode(text[1:], raw)
	s := string(text[:n+2])
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
