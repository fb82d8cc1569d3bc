package server_test

import (
	"encoding/json"
	"testing"

	"entgo.io/ent/dialect"

	"flexwork/ent/entdb/entdbtest"
)

// BenchmarkFeedPage is a worker's phone asking for the 20 nearest of 60
// open shifts with the app's persisted ShiftFeed operation, served in
// process (no network, no client decoding) on SQLite: the server's own
// time and allocations for a feed page, exact from run to run where the
// load tools' figures swing with the machine.
//
//	go test ./server -run '^$' -bench FeedPage -benchmem -count 6
func BenchmarkFeedPage(b *testing.B) {
	env, ana, _ := feedWorld(b, entdbtest.Open(b, dialect.SQLite), 60)
	page := env.InProcess(ana.Token, "ShiftFeed", map[string]any{"near": place, "radiusKm": 10, "first": 20})
	var first struct {
		Data struct {
			ShiftFeed struct {
				Edges []struct{ Eligibility struct{ Eligible bool } }
			}
		}
		Errors []any
	}
	rec := page()
	if err := json.Unmarshal(rec.Body.Bytes(), &first); err != nil || len(first.Errors) > 0 || len(first.Data.ShiftFeed.Edges) != 20 ||
		!first.Data.ShiftFeed.Edges[0].Eligibility.Eligible {
		b.Fatalf("the page: status %d, %v %s", rec.Code, err, rec.Body.Bytes()[:min(rec.Body.Len(), 300)])
	}
	servePages(b, page, rec.Body.Len())
}
