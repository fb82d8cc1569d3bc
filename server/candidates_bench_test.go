package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"entgo.io/ent/dialect"

	"flexwork/ent/entdb/entdbtest"
	"flexwork/server/servertest"
)

// BenchmarkCandidatesPage is an employer's tablet asking for the 50 best of
// a shift's 60 applicants, served in process (no network, no client
// decoding) on SQLite, the shift's ranking kept: the server's own time
// and allocations for a page. The load tool measures the page under
// concurrency on PostgreSQL, in figures that swing with the machine by
// a third from one round to the next; allocations per page here do not.
//
//	go test ./server -run '^$' -bench CandidatesPage -benchmem -count 6
func BenchmarkCandidatesPage(b *testing.B) {
	db := entdbtest.Open(b, dialect.SQLite)
	env := servertest.Start(b, db)
	picking := skillID(b, db, "order-picking")
	olga := env.SignUp("olga@example.com", "Olga")
	shiftID := postShift(b, env, olga, createEmployer(b, env, olga, "Spree Logistics"),
		map[string]any{"requiredSkillIDs": []string{picking}, "slots": 5})
	for i := range 60 {
		apply(env, newWorker(b, env, fmt.Sprintf("w%d@example.com", i), fmt.Sprintf("Worker %d", i), picking), shiftID)
	}
	page := env.InProcess(olga.Token, "Candidates", map[string]any{"shiftID": shiftID, "first": 50})
	var first struct {
		Data struct {
			Candidates struct{ Edges []struct{ Rank int } }
		}
		Errors []any
	}
	rec := page()
	if err := json.Unmarshal(rec.Body.Bytes(), &first); err != nil || len(first.Errors) > 0 || len(first.Data.Candidates.Edges) != 50 {
		b.Fatalf("the page: status %d, %d edges, %v %s", rec.Code, len(first.Data.Candidates.Edges), err, rec.Body.Bytes()[:min(rec.Body.Len(), 300)])
	}
	servePages(b, page, rec.Body.Len())
}

// servePages times page, a call whose answer has size bytes, until the
// benchmark has enough.
func servePages(b *testing.B, page func() *httptest.ResponseRecorder, size int) {
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if rec := page(); rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}
