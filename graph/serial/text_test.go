package serial

import (
	"bytes"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
)

// TestTextIsWrittenAsGqlgenWritesIt: the same bytes as graphql.MarshalString
// for text with and without characters to escape, invalid UTF-8 included,
// into a buffer and into any other writer.
func TestTextIsWrittenAsGqlgenWritesIt(t *testing.T) {
	for _, s := range []string{"", "Lagerhelfer:in", "Berlin, Karl-Marx-Allee 1", "仓库分拣员", `say "hi"`, `C:\temp`,
		"line\nbreak\ttab\r", "bell\x07", "bad \xff utf-8", "emoji 🚚 end"} {
		var want bytes.Buffer
		graphql.MarshalString(s).MarshalGQL(&want)
		var got bytes.Buffer
		String(&s).MarshalGQL(&got)
		if got.String() != want.String() {
			t.Errorf("%q: wrote %s, gqlgen writes %s", s, got.String(), want.String())
		}
		var other strings.Builder
		String(&s).MarshalGQL(&other)
		if other.String() != want.String() {
			t.Errorf("%q: wrote %s to a strings.Builder, gqlgen writes %s", s, other.String(), want.String())
		}
	}
	for _, name := range []string{"Shift", "ShiftFeedEdge", "__Type"} {
		var want, got bytes.Buffer
		graphql.MarshalString(name).MarshalGQL(&want)
		Typename(name).MarshalGQL(&got)
		if got.String() != want.String() {
			t.Errorf("__typename %s: wrote %s, gqlgen writes %s", name, got.String(), want.String())
		}
	}
}

// TestTextMarshalersAllocateNothing: what the rewrite puts in place of
// gqlgen's MarshalString costs no allocation to make.
func TestTextMarshalersAllocateNothing(t *testing.T) {
	row := struct{ Title string }{"Lagerhelfer:in"}
	var sink graphql.Marshaler
	if n := testing.AllocsPerRun(100, func() { sink = String(&row.Title) }); n != 0 {
		t.Errorf("String allocates %v times", n)
	}
	if n := testing.AllocsPerRun(100, func() { sink = Typename("Shift") }); n != 0 {
		t.Errorf("Typename allocates %v times", n)
	}
	if n := testing.AllocsPerRun(100, func() { sink = graphql.MarshalString(row.Title) }); n == 0 {
		t.Errorf("gqlgen's MarshalString no longer allocates: this rewrite may have outlived its reason")
	}
	_ = sink
}
