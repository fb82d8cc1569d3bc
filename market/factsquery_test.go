package market

import (
	"slices"
	"testing"
	"time"

	"entgo.io/ent/dialect"
)

// TestAKeptFactsStatementTakesEachCallsValues: two calls of one shape share
// the statement's text, and each gets its own workers, shifts, employers and
// span as arguments — none of the first call's — in the places the builder
// put them.
func TestAKeptFactsStatementTakesEachCallsValues(t *testing.T) {
	at := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	call := func(worker, shiftA, shiftB, employer string, day int) (string, []any) {
		start := at.AddDate(0, 0, day)
		return factsQuery(dialect.Postgres, []string{worker}, []ShiftFacts{
			{ID: shiftA, EmployerID: employer, Start: start, End: start.Add(4 * time.Hour)},
			{ID: shiftB, EmployerID: employer, Start: start.Add(time.Hour), End: start.Add(8 * time.Hour)},
		}, true)
	}
	text1, args1 := call("w1", "s1", "s2", "e1", 0)
	text2, args2 := call("w2", "s3", "s4", "e2", 5)
	if text1 != text2 {
		t.Fatalf("one shape, two texts:\n%s\n%s", text1, text2)
	}
	if len(args1) != len(args2) {
		t.Fatalf("one shape, %d and %d arguments", len(args1), len(args2))
	}
	swap := map[any]any{"w1": "w2", "s1": "s3", "s2": "s4", "e1": "e2", at: at.AddDate(0, 0, 5), at.Add(8 * time.Hour): at.AddDate(0, 0, 5).Add(8 * time.Hour)}
	for i, a := range args1 {
		want, ok := swap[a]
		if !ok {
			want = a // a constant: a status, a flag
		}
		if args2[i] != want {
			t.Errorf("argument %d: the first call has %v, the second %v; want %v", i, a, args2[i], want)
		}
	}
	for _, v := range []any{"w1", "s1", "s2", "e1", at} {
		if !slices.Contains(args1, v) {
			t.Errorf("the first call's arguments lack %v: %v", v, args1)
		}
	}
	// The SQL for a different shape is different.
	if text3, _ := factsQuery(dialect.Postgres, []string{"w1", "w2"}, nil, false); text3 == text1 {
		t.Fatal("two workers and no shifts has the statement of one worker and two shifts")
	}
}
