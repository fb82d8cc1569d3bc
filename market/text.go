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
}

func because(id string, data map[string]any) text { return text{id: id, data: data} }

func counted(id string, n int, data map[string]any) text { return text{id: id, data: data, count: &n} }

func (t text) in(lang string) string {
	if t.count != nil {
		return i18n.N(lang, t.id, *t.count, t.data)
	}
	return i18n.T(lang, t.id, t.data)
}
