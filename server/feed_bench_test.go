package server_test

import (
	"encoding/json"
	"testing"

	"entgo.io/ent/dialect"

	"flexwork/ent/entdb/entdbtest"
)

// BenchmarkFeedPage is a worker's phone asking for the 20 nearest of 60
// open shifts with the app's persisted ShiftFeed operation, served in
// process (no network, no client decoding) on each database: the server's
// own time and allocations for a feed page, steadier from run to run than
// the load tools' figures, which swing with the machine. The PostgreSQL
// run is the one wrk's feed ratio compares (scripts/bench-wrk.sh).
//
//	go test ./server -run '^$' -bench FeedPage -benchmem -count 6
//	TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable go test ./server -run '^$' -bench FeedPage/postgres -benchmem
func BenchmarkFeedPage(b *testing.B) {
	for _, d := range []string{dialect.SQLite, dialect.Postgres} {
		b.Run(d, func(b *testing.B) { benchmarkFeedPage(b, d) })
	}
}

func benchmarkFeedPage(b *testing.B, dialectName string) {
	env, ana, _ := feedWorld(b, entdbtest.Open(b, dialectName), 60)
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
