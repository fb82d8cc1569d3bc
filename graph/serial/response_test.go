package serial

import (
	"bytes"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
)

// TestAResponseIsWrittenWhole: the bytes gqlgen's own buffer holds, and an
// operation's next answer of about the same size is written into one
// buffer, not grown into one.
func TestAResponseIsWrittenWhole(t *testing.T) {
	text := func(n int) graphql.Marshaler { return graphql.MarshalString(strings.Repeat("候选人 ", n)) }
	for _, n := range []int{0, 1, 5000, 20000, 19000} {
		var want bytes.Buffer
		text(n).MarshalGQL(&want)
		if got := Response("Candidates", text(n)); !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("%d words: wrote %d bytes, gqlgen's buffer %d", n, len(got), want.Len())
		}
	}
	// The last answer was 19,000 words: one of 20,000 still fits the
	// buffer made for it, its one allocation.
	data := text(20000)
	if n := testing.AllocsPerRun(20, func() { Response("Candidates", data) }); n > 2 {
		t.Fatalf("%v allocations for an answer the size of the last, want the buffer only", n)
	}
}
