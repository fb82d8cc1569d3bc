package market

import "flexwork/i18n"

// text is a message written in its reader's language when it is read: an
// i18n message ID, its data, and a count when its wording depends on one.
// Rules compute once; each reader gets their language (screening
// verdicts, candidate reasons).
type text struct {
	id    string
	data  map[string]any
	count *int
	// of is the reader of a screening verdict ("worker" or "employer"),
	// whose message ID is screen.<id>.<of>: joined only when the text is
	// read. A feed page screens nine rules of every row, a push screens
	// every worker in reach, and only failed rules are read.
	of string
}

func because(id string, data map[string]any) text { return text{id: id, data: data} }

func counted(id string, n int, data map[string]any) text { return text{id: id, data: data, count: &n} }

func (t text) in(lang string) string {
	id := t.id
	if t.of != "" {
		id = "screen." + t.id + "." + t.of
	}
	if t.count != nil {
		return i18n.N(lang, id, *t.count, t.data)
	}
	return i18n.T(lang, id, t.data)
}
