package servertest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	mobileschema "flexwork/mobile-schema"
)

// OpID is the manifest id of one of the apps' operations, by name.
func OpID(t testing.TB, name string) string {
	t.Helper()
	m, err := mobileschema.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range m.Operations {
		if op.Name == name {
			return op.ID
		}
	}
	t.Fatalf("no operation %s in mobile-schema/persisted-queries.json", name)
	return ""
}

// persisted is a request that names an operation by id, as the apps send it.
func persisted(id, name string, vars map[string]any) map[string]any {
	return map[string]any{
		"operationName": name, "variables": vars,
		"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": id}},
	}
}

// Op runs one of the apps' operations by its manifest id, as the apps do.
func (e *Env) Op(token, name string, vars map[string]any) Response {
	e.t.Helper()
	body, _ := json.Marshal(persisted(OpID(e.t, name), name, vars))
	return e.Post(token, body)
}

// OpWith runs one of the apps' operations with extra request headers
// (Accept-Language, Idempotency-Key).
func (e *Env) OpWith(token, name string, vars map[string]any, header http.Header) Response {
	e.t.Helper()
	body, _ := json.Marshal(persisted(OpID(e.t, name), name, vars))
	return e.PostWith(token, body, header)
}

// MustOp runs an app operation that must succeed and decodes its data into v.
func (e *Env) MustOp(token, name string, vars map[string]any, v any) {
	e.t.Helper()
	e.Op(token, name, vars).Decode(e.t, v)
}

// SubscribeOp starts one of the apps' subscriptions by its manifest id.
func (w *WS) SubscribeOp(id, name string, vars map[string]any) {
	w.t.Helper()
	w.Send(id, "subscribe", persisted(OpID(w.t, name), name, vars))
}

// InProcess returns a call of one of the apps' operations straight into the
// server's handler (no network, no client decoding): the benchmarks count
// the server's own time and allocations per call.
func (e *Env) InProcess(token, name string, vars map[string]any) func() *httptest.ResponseRecorder {
	e.t.Helper()
	body, err := json.Marshal(persisted(OpID(e.t, name), name, vars))
	if err != nil {
		e.t.Fatal(err)
	}
	return func() *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		e.Server.Handler.ServeHTTP(rec, req)
		return rec
	}
}
