package market_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"entgo.io/contrib/entgql"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/market"
)

// TestACandidateCursorResumesTheRanking: the cursor an edge of a kept
// ranking writes is the one entgql writes for the same rank (the page's
// end cursor), and a tablet sending it back gets the next candidates, on
// the first page and on one read from the kept ranking.
func TestACandidateCursorResumesTheRanking(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		s := w.shift(48*time.Hour, 4, 3)
		for _, name := range []string{"Ana", "Ben", "Cara"} {
			if _, err := w.m.ApplyToShift(w.worker(name), market.ApplyInput{ShiftID: s.ID}); err != nil {
				t.Fatal(err)
			}
		}
		one, two := 1, 2
		all, err := w.m.Candidates(w.manager, s.ID, nil, nil, nil)
		if err != nil || len(all.Edges) != 3 {
			t.Fatalf("all candidates: %v, %+v", err, all)
		}
		for round := range 2 { // computed, then kept
			first, err := w.m.Candidates(w.manager, s.ID, &one, nil, nil)
			if err != nil || len(first.Edges) != 1 {
				t.Fatalf("round %d, first page: %v, %+v", round, err, first)
			}
			var edge, end bytes.Buffer
			first.Edges[0].Cursor.MarshalGQL(&edge)
			first.PageInfo.EndCursor.MarshalGQL(&end)
			if edge.String() != end.String() {
				t.Fatalf("round %d: the edge's cursor %s, entgql writes %s", round, edge.String(), end.String())
			}
			// What the tablet sends back: the JSON string's value.
			var sent string
			if err := json.Unmarshal(edge.Bytes(), &sent); err != nil {
				t.Fatalf("round %d: the cursor %s is not a JSON string: %v", round, edge.String(), err)
			}
			var after entgql.Cursor[string]
			if err := after.UnmarshalGQL(sent); err != nil {
				t.Fatal(err)
			}
			next, err := w.m.Candidates(w.manager, s.ID, &two, &after, nil)
			if err != nil || len(next.Edges) != 2 {
				t.Fatalf("round %d, after the first: %v, %+v", round, err, next)
			}
			for i, c := range next.Edges {
				if c.Rank != i+2 || c.Application.ID != all.Edges[i+1].Application.ID {
					t.Fatalf("round %d: after the first, rank %d is %s; the ranking has %s", round, c.Rank, c.Application.ID, all.Edges[i+1].Application.ID)
				}
			}
		}
	})
}

// TestAnIDCursorIsWhatEntgqlWrites, for IDs of every length up to beyond
// what it writes itself.
func TestAnIDCursorIsWhatEntgqlWrites(t *testing.T) {
	for n := range 300 {
		id := make([]byte, n)
		for i := range id {
			id[i] = byte(' ' + (i*7+n)%95)
		}
		var want, got bytes.Buffer
		entgql.Cursor[string]{ID: string(id)}.MarshalGQL(&want)
		market.IDCursor(string(id)).MarshalGQL(&got)
		if got.String() != want.String() {
			t.Fatalf("an ID of %d bytes: wrote %s, entgql writes %s", n, got.String(), want.String())
		}
	}
	if n := testing.AllocsPerRun(100, func() { market.IDCursor("01JDQ5B2N8W7Y6X5V4T3S2R1Q0") }); n > 2 {
		t.Errorf("a feed cursor takes %v allocations, want at most 2", n)
	}
}
