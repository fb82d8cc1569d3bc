package server_test

import (
	"bytes"
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
	body, err := json.Marshal(map[string]any{"operationName": "Candidates",
		"variables":  map[string]any{"shiftID": shiftID, "first": 50},
		"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": servertest.OpID(b, "Candidates")}}})
	if err != nil {
		b.Fatal(err)
	}
	page := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+olga.Token)
		rec := httptest.NewRecorder()
		env.Server.Handler.ServeHTTP(rec, req)
		return rec
	}
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
	b.SetBytes(int64(rec.Body.Len()))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if rec := page(); rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}
