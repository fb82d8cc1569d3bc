package bench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestTheClientCountsWhatTheServerAnswered: the load client's outcome of a
// response — an answer with data is OK without being parsed, but errors,
// wherever they are written, make it refused or failed.
func TestTheClientCountsWhatTheServerAnswered(t *testing.T) {
	var answer string
	var status int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/graphql-response+json")
		w.WriteHeader(status)
		w.Write([]byte(answer))
	}))
	defer srv.Close()
	c, err := newClient(1, strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, body string
		status     int
		want       Outcome
	}{
		{"data", `{"data":{"candidates":{"totalCount":3}}}`, 200, OK},
		{"data holding the word", `{"data":{"message":"\"errors\": none"}}`, 200, OK},
		{"a refusal", `{"errors":[{"message":"no","extensions":{"code":"CONFLICT"}}],"data":null}`, 200, Refused},
		{"an error after the data", `{"data":null,"errors":[{"message":"boom","extensions":{"code":"INTERNAL"}}]}`, 200, Failed},
		{"an error without data", `{"errors":[{"message":"slow down","extensions":{"code":"RATE_LIMITED"}}]}`, 429, Failed},
		{"not JSON", `<html>bad gateway</html>`, 502, Failed},
		{"data, but not a success", `{"data":{}}`, 500, Failed},
	} {
		answer, status = tc.body, tc.status
		got, err := c.post(context.Background(), "/graphql", "token", []byte(`{}`), "CONFLICT")
		if got != tc.want {
			t.Errorf("%s: outcome %d (%v), want %d", tc.name, got, err, tc.want)
		}
	}
}
