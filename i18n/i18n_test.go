package i18n

import (
	"slices"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
)

// TestEveryMessageIsInEveryLanguage: a message written in one language
// only fails here, as does an empty one.
func TestEveryMessageIsInEveryLanguage(t *testing.T) {
	ids := map[string][]string{}
	for _, lang := range Languages {
		buf, err := files.ReadFile("messages/" + lang + ".toml")
		if err != nil {
			t.Fatal(err)
		}
		b := goi18n.NewBundle(bundle.LanguageTags()[0])
		b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
		f, err := b.ParseMessageFileBytes(buf, lang+".toml")
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range f.Messages {
			if m.Other == "" {
				t.Errorf("%s: %s is empty", lang, m.ID)
			}
			ids[lang] = append(ids[lang], m.ID)
		}
		slices.Sort(ids[lang])
	}
	for _, lang := range Languages[1:] {
		for _, id := range ids[English] {
			if _, ok := slices.BinarySearch(ids[lang], id); !ok {
				t.Errorf("%s is in English only, not in %s", id, lang)
			}
		}
		for _, id := range ids[lang] {
			if _, ok := slices.BinarySearch(ids[English], id); !ok {
				t.Errorf("%s is in %s only, not in English", id, lang)
			}
		}
	}
	if len(ids[English]) == 0 {
		t.Fatal("no messages")
	}
}

// TestHasKnowsWhatRenders: Has answers from a set made at load; a message
// it names renders, and one it does not is shown as its ID.
func TestHasKnowsWhatRenders(t *testing.T) {
	if len(ids) == 0 {
		t.Fatal("no messages known")
	}
	for id := range ids {
		for _, lang := range Languages {
			if got := T(lang, id, map[string]any{"Count": 2}); got == id || got == "" {
				t.Errorf("Has(%q) but it renders in %s as %q", id, lang, got)
			}
		}
	}
	for _, id := range []string{"skill.no-such-skill", "", "error"} {
		if Has(id) {
			t.Errorf("Has(%q), which is no message", id)
		}
		if got := T(English, id, nil); got != id {
			t.Errorf("T(%q) = %q, want the ID itself", id, got)
		}
	}
	if !Has("skill.forklift") {
		t.Error(`Has("skill.forklift") is false`)
	}
}

func TestAPersonIsAnsweredInTheirLanguage(t *testing.T) {
	for asked, want := range map[string]string{
		"zh-CN,zh;q=0.9,en;q=0.8": Chinese, "zh-Hans": Chinese, "zh": Chinese, "en-GB,en;q=0.9": English,
		"fr-FR": English, "": English, "de, zh-CN;q=0.5": Chinese,
	} {
		if got := Match(asked); got != want {
			t.Errorf("Accept-Language %q → %s, want %s", asked, got, want)
		}
	}
	if Match("", "zh-CN") != Chinese {
		t.Error("a stored choice is not used when the header says nothing")
	}
	d := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	if Date(Chinese, d) != "2026年5月1日" || Date(English, d) != "1 May 2026" {
		t.Errorf("dates: %s, %s", Date(Chinese, d), Date(English, d))
	}
}

func TestMoneyIsWrittenPerLanguage(t *testing.T) {
	for _, c := range []struct {
		m          Money
		lang, want string
	}{
		{Money{125000, "CNY", 2}, English, "CN¥1,250.00"},
		{Money{125000, "CNY", 2}, Chinese, "¥1,250.00"},
		{Money{1550, "EUR", 2}, Chinese, "€15.50"},
		{Money{-5, "EUR", 2}, English, "-€0.05"},
		{Money{1200, "KRW", 0}, English, "1,200 KRW"},
	} {
		if got := c.m.In(c.lang); got != c.want {
			t.Errorf("%+v in %s = %q, want %q", c.m, c.lang, got, c.want)
		}
	}
}

// day is a Localized value for TestTextsAreGoI18nsOwn.
type day string

func (d day) In(lang string) string { return lang + ":" + string(d) }

// TestTextsAreGoI18nsOwn: what T and N answer, first and remembered, is
// what go-i18n renders from the same data — with no data (the texts kept
// per language), with a Localized value written in the reader's language,
// and with a count that picks the plural form over a Count in the data.
func TestTextsAreGoI18nsOwn(t *testing.T) {
	direct := func(lang, id string, fields map[string]any, count any) string {
		s, err := localizer(lang).Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: fields, PluralCount: count})
		if err != nil {
			return id
		}
		return s
	}
	for id := range ids {
		for _, lang := range Languages {
			want := direct(lang, id, map[string]any{}, nil)
			for range 2 {
				if got := T(lang, id, nil); got != want {
					t.Fatalf("T(%s, %s, nil) = %q, want %q", lang, id, got, want)
				}
			}
		}
	}
	for _, lang := range Languages {
		for range 2 {
			got := T(lang, "notice.offer_created.worker.title", map[string]any{"Title": day("Mon")})
			if want := direct(lang, "notice.offer_created.worker.title", map[string]any{"Title": lang + ":Mon"}, nil); got != want || got == "" {
				t.Errorf("with a Localized value in %s: %q, want %q", lang, got, want)
			}
			for _, n := range []int{1, 3} {
				got := N(lang, "match.rating.some", n, map[string]any{"Avg": 4.5, "Count": 99})
				if want := direct(lang, "match.rating.some", map[string]any{"Avg": 4.5, "Count": n}, n); got != want || got == "" {
					t.Errorf("N(%s, %d) = %q, want %q", lang, n, got, want)
				}
			}
		}
	}
}
