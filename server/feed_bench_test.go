package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"entgo.io/ent/dialect"

	"flexwork/ent/entdb/entdbtest"
	"flexwork/server/servertest"
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
	body, err := json.Marshal(map[string]any{"operationName": "ShiftFeed",
		"variables":  map[string]any{"near": place, "radiusKm": 10, "first": 20},
		"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": servertest.OpID(b, "ShiftFeed")}}})
	if err != nil {
		b.Fatal(err)
	}
	page := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+ana.Token)
		rec := httptest.NewRecorder()
		env.Server.Handler.ServeHTTP(rec, req)
		return rec
	}
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
	b.SetBytes(int64(rec.Body.Len()))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if rec := page(); rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}
