package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"flexwork/ent/entdb/entdbtest"
	"flexwork/server/servertest"
)

func get(t *testing.T, env *servertest.Env, path string) (int, string) {
	t.Helper()
	resp, err := env.HTTP.Client().Get(env.HTTP.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestHealthReadinessAndMetrics(t *testing.T) {
	db := entdbtest.Open(t, "sqlite3")
	env := servertest.Start(t, db)
	if code, body := get(t, env, "/healthz"); code != 200 || body != "ok\n" {
		t.Fatalf("/healthz = %d %q", code, body)
	}
	if code, _ := get(t, env, "/readyz"); code != 200 {
		t.Fatalf("/readyz with a database = %d", code)
	}
	env.Do("", `{ skills(first: 1) { totalCount } }`, nil)
	env.Do("", `{ nope }`, nil)
	code, metrics := get(t, env, "/metrics")
	for _, want := range []string{
		`flexwork_http_requests_total{code="200",route="/graphql"}`,
		`flexwork_graphql_operations_total{outcome="ok",type="query"} 1`,
		`flexwork_graphql_errors_total{code="GRAPHQL_VALIDATION_FAILED"} 1`,
		`go_sql_max_open_connections{db_name="flexwork"}`,
	} {
		if code != 200 || !strings.Contains(metrics, want) {
			t.Fatalf("/metrics (%d) lacks %s", code, want)
		}
	}
	db.Close() // the database goes away: not ready, but alive
	if code, _ := get(t, env, "/readyz"); code != http.StatusServiceUnavailable {
		t.Fatalf("/readyz without a database = %d, want 503", code)
	}
	if code, _ := get(t, env, "/healthz"); code != 200 {
		t.Fatalf("/healthz without a database = %d, want 200", code)
	}
}

// TestSyntaxErrorsAreTheClients: a request that does not parse is the
// app's mistake, answered as such — never an internal error.
func TestSyntaxErrorsAreTheClients(t *testing.T) {
	env := servertest.Start(t, entdbtest.Open(t, "sqlite3"))
	token := env.SignUp("ana@example.com", "Ana").Token
	for _, q := range []string{`{ skills(first: 1) {`, `mutation { signOut( }`, `Traceback (most recent call last)`} {
		for _, tok := range []string{"", token} {
			r := env.Do(tok, q, nil)
			if r.Code() != "GRAPHQL_PARSE_FAILED" || r.Status == http.StatusInternalServerError {
				t.Fatalf("%q: HTTP %d %+v, want GRAPHQL_PARSE_FAILED", q, r.Status, r.Errors)
			}
		}
	}
	if _, metrics := get(t, env, "/metrics"); !strings.Contains(metrics, `flexwork_graphql_errors_total{code="GRAPHQL_PARSE_FAILED"} 6`) {
		t.Fatal("/metrics does not count the parse failures")
	}
	for _, body := range []string{`{"query": "{ viewer { id } }"`, `{"query": "{ viewer { id } }",}`, `not json`} {
		r := env.Post(token, []byte(body))
		if r.Status != http.StatusBadRequest || len(r.Errors) == 0 || r.Errors[0].Message == "internal server error" {
			t.Fatalf("body %s: HTTP %d %+v, want 400 with the reason", body, r.Status, r.Errors)
		}
	}
}

func TestQueryLimits(t *testing.T) {
	env := servertest.Start(t, entdbtest.Open(t, "sqlite3"))
	token := env.SignUp("ana@example.com", "Ana").Token

	deep := "{ viewer { workerProfile { user { workerProfile { user { workerProfile { user { workerProfile { user { workerProfile { user { workerProfile { user { id } } } } } } } } } } } } } }"
	if r := env.Do(token, deep, nil); r.Code() != "DEPTH_LIMIT_EXCEEDED" {
		t.Fatalf("deep query: %+v", r.Errors)
	}
	var page struct {
		Skills struct{ Edges []struct{ Cursor string } }
	}
	env.Must(token, `{ skills { edges { cursor } } }`, nil, &page)
	if len(page.Skills.Edges) != 20 {
		t.Fatalf("a connection without a page size returned %d items, want the default 20", len(page.Skills.Edges))
	}
	if r := env.Do(token, `query($n: Int) { skills(first: $n) { totalCount } }`, map[string]any{"n": 1000}); r.Code() != "BAD_USER_INPUT" {
		t.Fatalf("page of 1000: %+v", r.Errors)
	}
	wide := `{ shifts(first: 100) { edges { node { applications(first: 100) { edges { node { id worker { id headline } } } } } } } }`
	if r := env.Do(token, wide, nil); r.Code() != "COMPLEXITY_LIMIT_EXCEEDED" {
		t.Fatalf("100×100 query: %+v", r.Errors)
	}
	// Expensive fields cost what they compute, and a field is asked for at
	// most 10 times side by side.
	aliases := func(n int, field string) string {
		var b strings.Builder
		b.WriteString("{ ")
		for i := range n {
			fmt.Fprintf(&b, "a%d: %s ", i, field)
		}
		return b.String() + "}"
	}
	me := env.SignUp("me@example.com", "Me")
	report := `creditReport(subjectID: "` + me.ID + `") { score }`
	candidates := `candidates(shiftID: "shf_01JUNKJUNKJUNKJUNKJUNKJUNK", first: 100) { totalCount }`
	for _, c := range []struct{ query, code string }{
		{aliases(1000, report), "ALIAS_LIMIT_EXCEEDED"},
		{aliases(1900, "unreadNotificationCount"), "ALIAS_LIMIT_EXCEEDED"},
		{aliases(11, "unreadNotificationCount"), "ALIAS_LIMIT_EXCEEDED"},
		{aliases(10, report), ""},                             // 10 × 50: allowed
		{aliases(3, candidates), "COMPLEXITY_LIMIT_EXCEEDED"}, // 3 × (100 + 100 × 6): over 2,000
	} {
		r := env.Do(me.Token, c.query, nil)
		if c.code == "" {
			if code := r.Code(); code == "ALIAS_LIMIT_EXCEEDED" || code == "COMPLEXITY_LIMIT_EXCEEDED" {
				t.Fatalf("ten credit reports were refused: %+v", r.Errors)
			}
			continue
		}
		if r.Code() != c.code {
			t.Fatalf("%.80s…: %+v, want %s", c.query, r.Errors, c.code)
		}
	}
	// A 2 MiB body is refused before anyone reads it.
	big := bytes.Repeat([]byte(" "), 2<<20)
	resp, err := env.HTTP.Client().Post(env.HTTP.URL+"/graphql", "application/json", bytes.NewReader(append(append([]byte(`{"query":"{ viewer { id } }"`), big...), '}')))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("2 MiB body: status %d, want 413", resp.StatusCode)
	}
	// Introspection and GraphiQL in dev only.
	var schema struct {
		Schema struct{ QueryType struct{ Name string } } `json:"__schema"`
	}
	env.Must("", `{ __schema { queryType { name } } }`, nil, &schema)
	if code, _ := get(t, env, "/"); code != 200 {
		t.Fatalf("GraphiQL in dev: %d", code)
	}
}

func TestProductionHidesTheSchema(t *testing.T) {
	db := entdbtest.Open(t, "sqlite3")
	if r := servertest.Start(t, db, servertest.WithEnv(map[string]string{"FLEXWORK_ENV": "prod"})).
		Do("", `{ __schema { queryType { name } } }`, nil); r.Code() != "PERSISTED_QUERY_ID_REQUIRED" {
		t.Fatalf("prod runs raw query text by default: %+v", r.Errors)
	}
	// Even with trusted documents off, prod does not describe itself.
	env := servertest.Start(t, db, servertest.WithEnv(map[string]string{"FLEXWORK_ENV": "prod", "TRUSTED_DOCUMENTS": "off"}))
	if r := env.Do("", `{ __schema { queryType { name } } }`, nil); r.Code() != "GRAPHQL_VALIDATION_FAILED" {
		t.Fatalf("introspection in prod: %+v", r.Errors)
	}
	r := env.Do("", `{ skilz(first: 1) { totalCount } }`, nil)
	if len(r.Errors) == 0 || strings.Contains(r.Errors[0].Message, "Did you mean") {
		t.Fatalf("prod suggests field names: %+v", r.Errors)
	}
	if code, _ := get(t, env, "/"); code != 404 {
		t.Fatalf("GraphiQL in prod: %d, want 404", code)
	}
}

// TestMetricsAreNotPublicInProduction: in prod /metrics answers only with
// its token; without one set it is not there.
func TestMetricsAreNotPublicInProduction(t *testing.T) {
	db := entdbtest.Open(t, "sqlite3")
	closed := servertest.Start(t, db, servertest.WithEnv(map[string]string{"FLEXWORK_ENV": "prod"}))
	if code, _ := get(t, closed, "/metrics"); code != http.StatusNotFound {
		t.Fatalf("prod /metrics without a token set: %d, want 404", code)
	}
	guarded := servertest.Start(t, db, servertest.WithEnv(map[string]string{"FLEXWORK_ENV": "prod", "FLEXWORK_METRICS_TOKEN": "scrape-me-0123456789"}))
	if code, _ := get(t, guarded, "/metrics"); code != http.StatusUnauthorized {
		t.Fatalf("prod /metrics without the token: %d, want 401", code)
	}
	req, _ := http.NewRequest(http.MethodGet, guarded.HTTP.URL+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer scrape-me-0123456789")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("prod /metrics with the token: %d", resp.StatusCode)
	}
}

// TestGraphQLOverHTTP holds the transport to the GraphQL-over-HTTP
// specification, case by case, the way graphql-http's audit does (the
// audit itself runs in the Node tests).
func TestGraphQLOverHTTP(t *testing.T) {
	env := servertest.Start(t, entdbtest.Open(t, "sqlite3"))
	const (
		jsonType = "application/json"
		gqlType  = "application/graphql-response+json"
	)
	op := func(q string) string { return `{"query": ` + strconv.Quote(q) + `}` }
	deep := "{ viewer { workerProfile { user { workerProfile { user { workerProfile { user { workerProfile { user { workerProfile { user { workerProfile { user { id } } } } } } } } } } } } } }"
	for _, c := range []struct {
		name                string
		method, contentType string
		accept, body, query string
		status              int
		media               string // the response's Content-Type, "" = any
		code                string // the first error's code, "" = no errors
		data                bool   // a data entry is present
		allow               string
	}{
		{name: "a query", method: "POST", contentType: jsonType, body: op("{ __typename }"), status: 200, media: jsonType, data: true},
		{name: "a query asking for graphql-response+json", method: "POST", contentType: jsonType, accept: gqlType, body: op("{ __typename }"), status: 200, media: gqlType, data: true},
		{name: "Apollo Client's Accept", method: "POST", contentType: jsonType, accept: gqlType + ",application/json;q=0.9", body: op("{ __typename }"), status: 200, media: gqlType, data: true},
		{name: "json preferred by quality", method: "POST", contentType: jsonType, accept: gqlType + ";q=0.5, application/json", body: op("{ __typename }"), status: 200, media: jsonType, data: true},
		{name: "*/*", method: "POST", contentType: jsonType, accept: "*/*", body: op("{ __typename }"), status: 200, media: jsonType, data: true},
		{name: "an Accept the server cannot answer", method: "POST", contentType: jsonType, accept: "text/html", body: op("{ __typename }"), status: 406, code: "BAD_REQUEST"},
		{name: "a charset", method: "POST", contentType: jsonType + "; charset=utf-8", body: op("{ __typename }"), status: 200, data: true},
		{name: "text/plain", method: "POST", contentType: "text/plain", body: op("{ __typename }"), status: 415, code: "BAD_REQUEST"},
		{name: "no Content-Type", method: "POST", body: op("{ __typename }"), status: 415, code: "BAD_REQUEST"},
		{name: "no body", method: "POST", contentType: jsonType, status: 400, code: "BAD_REQUEST"},
		{name: "not JSON", method: "POST", contentType: jsonType, body: `{ "not a JSON`, status: 400, code: "BAD_REQUEST"},
		{name: "a query that is a number", method: "POST", contentType: jsonType, body: `{"query": 0}`, status: 400, code: "BAD_REQUEST"},
		{name: "variables that are a string", method: "POST", contentType: jsonType, body: `{"query": "{ __typename }", "variables": "x"}`, status: 400, code: "BAD_REQUEST"},
		{name: "extensions that are a list", method: "POST", contentType: jsonType, body: `{"query": "{ __typename }", "extensions": [1]}`, status: 400, code: "BAD_REQUEST"},
		{name: "a typo for query", method: "POST", contentType: jsonType, body: `{"qeury": "{ __typename }"}`, status: 400, code: "BAD_REQUEST"},
		{name: "null parameters", method: "POST", contentType: jsonType, body: `{"query": "{ __typename }", "variables": null, "operationName": null, "extensions": null}`, status: 200, data: true},
		{name: "a parse error under json", method: "POST", contentType: jsonType, accept: jsonType, body: op("{"), status: 200, code: "GRAPHQL_PARSE_FAILED"},
		{name: "a parse error under graphql-response+json", method: "POST", contentType: jsonType, accept: gqlType, body: op("{"), status: 400, code: "GRAPHQL_PARSE_FAILED"},
		{name: "a validation error under json", method: "POST", contentType: jsonType, accept: jsonType, body: op("{ nope }"), status: 200, code: "GRAPHQL_VALIDATION_FAILED"},
		{name: "a validation error under graphql-response+json", method: "POST", contentType: jsonType, accept: gqlType, body: op("{ nope }"), status: 400, code: "GRAPHQL_VALIDATION_FAILED"},
		{name: "a variable that does not coerce", method: "POST", contentType: jsonType, accept: gqlType,
			body: `{"query": "query($id: ID!) { node(id: $id) { id } }", "variables": {"id": null}}`, status: 400, code: "GRAPHQL_VALIDATION_FAILED"},
		{name: "a depth refusal", method: "POST", contentType: jsonType, accept: gqlType, body: op(deep), status: 400, code: "DEPTH_LIMIT_EXCEEDED"},
		{name: "a field error keeps 200", method: "POST", contentType: jsonType, accept: gqlType, body: op(`{ node(id: "shf_01JUNKJUNKJUNKJUNKJUNKJUNK") { id } }`), status: 200, code: "UNAUTHENTICATED", data: true},
		{name: "a query by GET", method: "GET", query: "query=" + url.QueryEscape("{ __typename }"), status: 200, data: true},
		{name: "a mutation by GET", method: "GET", accept: gqlType, query: "query=" + url.QueryEscape(`mutation { signOut(input: {refreshToken: "x"}) { revoked } }`), status: 405, code: "BAD_REQUEST", allow: "POST"},
		{name: "variables by GET that are not an object", method: "GET", query: "query=" + url.QueryEscape("{ __typename }") + "&variables=%5B1%5D", status: 400, code: "BAD_REQUEST"},
		{name: "PUT", method: "PUT", contentType: jsonType, body: op("{ __typename }"), status: 405, code: "BAD_REQUEST", allow: "GET, POST"},
	} {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(c.method, env.HTTP.URL+"/graphql?"+c.query, strings.NewReader(c.body))
			if c.contentType != "" {
				req.Header.Set("Content-Type", c.contentType)
			}
			if c.accept != "" {
				req.Header.Set("Accept", c.accept)
			}
			resp, err := env.HTTP.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var out struct {
				Data   *json.RawMessage `json:"data"`
				Errors []struct {
					Extensions struct{ Code string }
				}
			}
			raw, _ := io.ReadAll(resp.Body)
			if err := json.Unmarshal(raw, &out); err != nil {
				t.Fatalf("HTTP %d, body %q is not JSON", resp.StatusCode, raw)
			}
			code := ""
			if len(out.Errors) > 0 {
				code = out.Errors[0].Extensions.Code
			}
			if resp.StatusCode != c.status || code != c.code || (out.Data != nil) != c.data {
				t.Fatalf("HTTP %d, code %q, data %v: %s; want %d, %q, data %v", resp.StatusCode, code, out.Data != nil, raw, c.status, c.code, c.data)
			}
			if ct := resp.Header.Get("Content-Type"); c.media != "" && !strings.HasPrefix(ct, c.media) {
				t.Fatalf("Content-Type %q, want %s", ct, c.media)
			}
			if c.allow != "" && resp.Header.Get("Allow") != c.allow {
				t.Fatalf("Allow %q, want %q", resp.Header.Get("Allow"), c.allow)
			}
		})
	}
}

// TestGraphiQLWorksOffline: the development server's GraphiQL loads nothing
// from outside: the page names only its own assets, and each is served.
func TestGraphiQLWorksOffline(t *testing.T) {
	env := servertest.Start(t, entdbtest.Open(t, "sqlite3"))
	code, page := get(t, env, "/")
	if code != 200 || !strings.Contains(page, "GraphiQL") {
		t.Fatalf("GET / = %d", code)
	}
	for _, external := range []string{"http://", "https://", "//unpkg", "//cdn"} {
		if strings.Contains(page, external) {
			t.Fatalf("the page loads from outside: %q", external)
		}
	}
	for _, asset := range []string{"/graphiql/graphiql.min.js", "/graphiql/graphiql.min.css", "/graphiql/react.production.min.js",
		"/graphiql/react-dom.production.min.js", "/graphiql/start.js", "/graphiql/LICENSE-graphiql"} {
		if !strings.Contains(page, asset) && !strings.HasPrefix(asset, "/graphiql/LICENSE") {
			t.Fatalf("the page does not load %s", asset)
		}
		if code, body := get(t, env, asset); code != 200 || len(body) < 100 {
			t.Fatalf("GET %s = %d (%d bytes)", asset, code, len(body))
		}
	}
}

// TestAKeptQueryShapeChecksEachRequestsVariables: queryShape keeps what it
// found in a document (limitsplan.go), and still refuses each request's
// own page size and cursor — one document asked in turn with a good page,
// a page too large, a cursor the server never gave out and a good page
// again — while a document refused for its depth is refused every time,
// with an error of its own each time.
func TestAKeptQueryShapeChecksEachRequestsVariables(t *testing.T) {
	env := servertest.Start(t, entdbtest.Open(t, "sqlite3"))
	token := env.SignUp("ana@example.com", "Ana").Token
	const doc = `query($n: Int, $after: Cursor) { skills(first: $n, after: $after) { edges { cursor } } }`
	for i, c := range []struct {
		vars map[string]any
		code string
	}{
		{map[string]any{"n": 5}, ""},
		{map[string]any{"n": 1000}, "BAD_USER_INPUT"},
		{map[string]any{"n": 5, "after": "not-a-cursor"}, "BAD_USER_INPUT"},
		{map[string]any{"n": 3}, ""},
	} {
		r := env.Do(token, doc, c.vars)
		if r.Code() != c.code {
			t.Fatalf("request %d with %v: code %q, want %q: %+v", i, c.vars, r.Code(), c.code, r.Errors)
		}
	}
	deep := "{ viewer { workerProfile { user { workerProfile { user { workerProfile { user { workerProfile { user { workerProfile { user { workerProfile { user { id } } } } } } } } } } } } } }"
	first, again := env.Do(token, deep, nil), env.Do(token, deep, nil)
	if first.Code() != "DEPTH_LIMIT_EXCEEDED" || again.Code() != "DEPTH_LIMIT_EXCEEDED" ||
		fmt.Sprint(first.Errors) != fmt.Sprint(again.Errors) {
		t.Fatalf("a deep query twice: %+v, then %+v", first.Errors, again.Errors)
	}
}
