// Package i18n is the one lookup of every text a person reads, in their
// language: English (en) and Simplified Chinese (zh-CN). Messages live in
// messages/*.toml, one file per language with the same IDs
// (TestEveryMessageIsInEveryLanguage); go-i18n renders them, with CLDR
// plural rules, and golang.org/x/text matches what a client asks for to
// what is offered. Codes never go through here: they stay language-free.
package i18n

import (
	"context"
	"embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// The languages offered; English is the default.
const (
	English = "en"
	Chinese = "zh-CN"
)

// Languages are the offered languages, the default first.
var Languages = []string{English, Chinese}

//go:embed messages/*.toml
var files embed.FS

var (
	ids        = map[string]bool{} // every message's ID, for Has; filled by load
	bundle     = load()
	localizers sync.Map // language → *goi18n.Localizer
	matcher    = language.NewMatcher([]language.Tag{language.English, language.MustParse(Chinese)})
)

func load() *goi18n.Bundle {
	b := goi18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	for _, lang := range Languages {
		f, err := b.LoadMessageFileFS(files, "messages/"+lang+".toml")
		if err != nil {
			panic(fmt.Sprintf("i18n: %s: %v", lang, err)) // the files are embedded: a bad one is a build defect
		}
		if lang == English { // the fallback of every language
			for _, m := range f.Messages {
				ids[m.ID] = true
			}
		}
	}
	return b
}

// Localized is a value that is written differently per language (a day,
// a time): T renders it in the message's language.
type Localized interface{ In(lang string) string }

// T renders message id in lang with data (its {{.Fields}}); Localized
// values are written in lang first. An unknown language reads English; an
// unknown id is a defect, shown as the id.
func T(lang, id string, data map[string]any) string {
	if len(data) == 0 {
		if s, ok := plain()[lang][id]; ok {
			return s
		}
	}
	return render(lang, id, data, nil)
}

// plain is every message rendered without data, per offered language: a
// skill's name, a fixed verdict. A feed page reads them for each failed
// rule of each row, and render's map, key and sync.Map lookup for each
// were half of what its verdicts cost to write. Made on first use, the
// same texts render would give.
var plain = sync.OnceValue(func() map[string]map[string]string {
	texts := make(map[string]map[string]string, len(Languages))
	for _, lang := range Languages {
		texts[lang] = make(map[string]string, len(ids))
		for id := range ids {
			texts[lang][id] = render(lang, id, nil, nil)
		}
	}
	return texts
})

// N is T for a message that depends on a count (CLDR plural rules pick its
// form: one, few, other…); data gets Count.
func N(lang, id string, count int, data map[string]any) string {
	return render(lang, id, data, count)
}

// Has reports whether id is a message. It is asked for every skill name a
// screening writes, so it looks in a set rather than rendering the message.
func Has(id string) bool { return ids[id] }

// render is T and N: the caller's data stays as it was. Rendered texts are
// remembered (rendered): a page of candidates or shifts renders the same
// few hundred messages — a rule's verdict, a factor's reason — with the
// same few values, on every request. A text remembered costs its key only:
// the data's names sorted in place, one string, no map.
func render(lang, id string, data map[string]any, count any) string {
	var names [8]string
	keys := names[:0]
	for k := range data {
		if k != "Count" || count == nil {
			keys = append(keys, k)
		}
	}
	if count != nil {
		keys = append(keys, "Count")
	}
	slices.Sort(keys)
	key, memo := renderKey(lang, id, keys, data, count)
	if memo {
		if s, ok := rendered.Load(key); ok {
			return s.(string)
		}
	}
	fields := make(map[string]any, len(keys))
	for _, k := range keys {
		fields[k] = field(lang, k, data, count)
	}
	s, err := localizer(lang).Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: fields, PluralCount: count})
	if err != nil {
		return id
	}
	if memo {
		if renderedCount.Add(1) > maxRendered { // a bound, not a policy: start again
			rendered.Clear()
			renderedCount.Store(0)
		}
		rendered.Store(key, s)
	}
	return s
}

// field is the value a message's template reads as {{.k}}: a Localized
// value written in lang, the count for N.
func field(lang, k string, data map[string]any, count any) any {
	if k == "Count" && count != nil {
		return count
	}
	v := data[k]
	if l, ok := v.(Localized); ok {
		return l.In(lang)
	}
	return v
}

var (
	rendered      sync.Map // renderKey → text
	renderedCount atomic.Int64
)

const maxRendered = 100_000

// renderKey names a rendering by everything it depends on, its fields in
// the order of keys; false when a value is of a kind whose printed form
// might not say all it renders.
func renderKey(lang, id string, keys []string, data map[string]any, count any) (string, bool) {
	var b strings.Builder
	b.Grow(len(lang) + len(id) + 24*len(keys))
	b.WriteString(lang)
	b.WriteByte(0)
	b.WriteString(id)
	for _, k := range keys {
		b.WriteByte(0)
		b.WriteString(k)
		b.WriteByte('=')
		switch v := field(lang, k, data, count).(type) {
		case string:
			b.WriteString(v)
		case int:
			b.WriteString(strconv.Itoa(v))
		case int64:
			b.WriteString(strconv.FormatInt(v, 10))
		case float64:
			b.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
		default:
			return "", false
		}
	}
	return b.String(), true
}

// localizer is lang's localizer, made once, falling back to English.
func localizer(lang string) *goi18n.Localizer {
	l, ok := localizers.Load(lang)
	if !ok {
		l, _ = localizers.LoadOrStore(lang, goi18n.NewLocalizer(bundle, lang, English))
	}
	return l.(*goi18n.Localizer)
}

// Match is the offered language closest to those asked for, in order of
// preference: an Accept-Language header, then a stored choice. English
// when nothing matches.
func Match(asked ...string) string {
	for _, a := range asked {
		if a == "" {
			continue
		}
		tags, _, err := language.ParseAcceptLanguage(a)
		if err != nil || len(tags) == 0 {
			continue
		}
		_, i, conf := matcher.Match(tags...)
		if conf != language.No {
			return Languages[i]
		}
	}
	return English
}

type langKey struct{}

// WithLanguage puts the language of a request into its context.
func WithLanguage(ctx context.Context, lang string) context.Context {
	return context.WithValue(ctx, langKey{}, lang)
}

// Asked is the language the request asked for, if it asked.
func Asked(ctx context.Context) (string, bool) {
	l, ok := ctx.Value(langKey{}).(string)
	return l, ok
}

// Language is the request's language; English outside a request.
func Language(ctx context.Context) string {
	if l, ok := ctx.Value(langKey{}).(string); ok {
		return l
	}
	return English
}

// Date writes a day as a person of lang reads it: "1 May 2026", "2026年5月1日".
func Date(lang string, t time.Time) string {
	if lang == Chinese {
		return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day())
	}
	return t.Format("2 Jan 2006")
}

// DayTime is a moment written as a weekday, day and time in a time zone:
// "Mon 2 Jan 15:04", "1月2日 周一 15:04".
type DayTime struct {
	T   time.Time
	Loc *time.Location
}

var weekdays = [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

// In implements Localized.
func (d DayTime) In(lang string) string {
	t := d.T.In(d.Loc)
	if lang == Chinese {
		return fmt.Sprintf("%d月%d日 %s %s", t.Month(), t.Day(), weekdays[t.Weekday()], t.Format("15:04"))
	}
	return t.Format("Mon 2 Jan 15:04")
}

// Day is a date in a time zone: "Mon 2 Jan 2006", "2006年1月2日 周一".
type Day struct {
	T   time.Time
	Loc *time.Location
}

// In implements Localized.
func (d Day) In(lang string) string {
	t := d.T.In(d.Loc)
	if lang == Chinese {
		return fmt.Sprintf("%d年%d月%d日 %s", t.Year(), t.Month(), t.Day(), weekdays[t.Weekday()])
	}
	return t.Format("Mon 2 Jan 2006")
}

// Clock is a time of day in a time zone: "15:04".
type Clock struct {
	T   time.Time
	Loc *time.Location
}

// In implements Localized.
func (c Clock) In(string) string { return c.T.In(c.Loc).Format("15:04") }

// ShortDay is a weekday and date in a time zone: "Mon 2 Jan", "1月2日 周一".
type ShortDay struct {
	T   time.Time
	Loc *time.Location
}

// In implements Localized.
func (d ShortDay) In(lang string) string {
	t := d.T.In(d.Loc)
	if lang == Chinese {
		return fmt.Sprintf("%d月%d日 %s", t.Month(), t.Day(), weekdays[t.Weekday()])
	}
	return t.Format("Mon 2 Jan")
}
