package server_test

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"flexwork/ent/entdb/entdbtest"
	"flexwork/notifications/brokertest"
	"flexwork/server"
	"flexwork/server/servertest"
)

const meQ = `{ viewer { id displayName } }`

// TestTrustedDocumentsOverHTTP: with TRUSTED_DOCUMENTS=enforce only the
// apps' operations run, named by id in either spelling; raw text and
// unknown ids are refused with a code that says which.
func TestTrustedDocumentsOverHTTP(t *testing.T) {
	env := servertest.Start(t, entdbtest.Open(t, "sqlite3"), servertest.WithEnv(map[string]string{"TRUSTED_DOCUMENTS": "enforce"}))
	ana := env.SignUp("ana@example.com", "Ana") // SignUp, by id

	var me struct {
		Viewer struct{ ID, DisplayName string }
	}
	env.MustOp(ana.Token, "Me", nil, &me)
	if me.Viewer.ID != ana.ID || me.Viewer.DisplayName != "Ana" {
		t.Fatalf("Me by extensions.persistedQuery: %+v", me)
	}
	id := servertest.OpID(t, "Me")
	for _, body := range []string{
		`{"documentId": "sha256:` + id + `"}`,
		`{"documentId": "` + id + `", "operationName": "Me"}`,
	} {
		if r := env.Post(ana.Token, []byte(body)); r.Code() != "" || !strings.Contains(string(r.Data), ana.ID) {
			t.Fatalf("%s: %+v %s", body, r.Errors, r.Data)
		}
	}
	status, body := getGraphQL(t, env, ana.Token, url.Values{"documentId": {"sha256:" + id}})
	if status != 200 || !strings.Contains(body, ana.ID) {
		t.Fatalf("GET ?documentId=: %d %s", status, body)
	}

	refused := map[string]struct {
		body []byte
		code string
	}{
		"raw text":           {mustJSON(map[string]any{"query": meQ}), "PERSISTED_QUERY_ID_REQUIRED"},
		"an unknown id":      {mustJSON(persistedBody(strings.Repeat("ab", 32), "")), "PERSISTED_QUERY_NOT_IN_LIST"},
		"an unknown id, GET": {nil, "PERSISTED_QUERY_NOT_IN_LIST"},
		"text and the id of another operation": {mustJSON(map[string]any{"query": meQ,
			"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": id}}}), "PERSISTED_QUERY_HASH_MISMATCH"},
		// APQ's registration: text with its own hash. Not in the manifest, so no.
		"an automatic persisted query": {mustJSON(map[string]any{"query": meQ,
			"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": sha(meQ)}}}), "PERSISTED_QUERY_NOT_IN_LIST"},
	}
	for name, c := range refused {
		var code string
		if c.body == nil {
			_, b := getGraphQL(t, env, ana.Token, url.Values{"documentId": {strings.Repeat("cd", 32)}})
			code = firstCode(t, b)
		} else {
			code = env.Post(ana.Token, c.body).Code()
		}
		if code != c.code {
			t.Errorf("%s: code %q, want %s", name, code, c.code)
		}
	}
}

// TestTrustedDocumentsOverWebSocket: the same rule for subscriptions.
func TestTrustedDocumentsOverWebSocket(t *testing.T) {
	env := servertest.Start(t, entdbtest.Open(t, "sqlite3"), servertest.WithEnv(map[string]string{"TRUSTED_DOCUMENTS": "enforce"}))
	ana := newWorker(t, env, "ana@example.com", "Ana")
	ws := env.ConnectWS(ana.Token)

	// An operation the server will not start is answered with an error
	// message, as graphql-transport-ws says, and nothing after it.
	refusedWith := func(id string) string {
		t.Helper()
		for {
			m := ws.Read(5 * time.Second)
			if m.ID != id {
				continue
			}
			if m.Type != "error" {
				t.Fatalf("a refused subscription got %s %s, want error", m.Type, m.Payload)
			}
			var errs []servertest.Error
			_ = json.Unmarshal(m.Payload, &errs)
			if len(errs) == 0 {
				return ""
			}
			code, _ := errs[0].Extensions["code"].(string)
			return code
		}
	}
	ws.Subscribe("raw", `subscription { offerEvents { kind } }`, nil)
	if code := refusedWith("raw"); code != "PERSISTED_QUERY_ID_REQUIRED" {
		t.Fatalf("raw subscription text: %q", code)
	}
	ws.Send("unknown", "subscribe", map[string]any{"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": strings.Repeat("ef", 32)}}})
	if code := refusedWith("unknown"); code != "PERSISTED_QUERY_NOT_IN_LIST" {
		t.Fatalf("unknown subscription id: %q", code)
	}
	ws.SubscribeOp("offers", "OfferEvents", nil)
	if m, err := ws.TryRead(300 * time.Millisecond); err == nil {
		t.Fatalf("subscribing by id: %s %s", m.Type, m.Payload)
	}
	env.WaitSubscribers(1)
}

// TestAutomaticPersistedQueriesAcrossReplicas: with trusted documents off,
// a query one replica learnt runs by hash on another through Redis.
func TestAutomaticPersistedQueriesAcrossReplicas(t *testing.T) {
	url := brokertest.RedisURL(t)
	db := entdbtest.Open(t, "postgres")
	withRedis := servertest.WithEnv(map[string]string{"REDIS_URL": url, "TRUSTED_DOCUMENTS": "off"})
	a, b := servertest.Start(t, db, withRedis), servertest.Start(t, db, withRedis)
	ana := a.SignUp("ana@example.com", "Ana")

	// A query no earlier run can have cached.
	nonce := make([]byte, 8)
	_, _ = rand.Read(nonce)
	q := `query Me_` + hex.EncodeToString(nonce) + ` { viewer { id } }`
	hashOnly := mustJSON(persistedBody(sha(q), ""))
	if code := b.Post(ana.Token, hashOnly).Code(); code != "PERSISTED_QUERY_NOT_FOUND" {
		t.Fatalf("an unknown hash: %q, want PERSISTED_QUERY_NOT_FOUND", code)
	}
	withText := persistedBody(sha(q), "")
	withText["query"] = q
	if r := a.Post(ana.Token, mustJSON(withText)); r.Code() != "" {
		t.Fatalf("registering on replica A: %+v", r.Errors)
	}
	if r := b.Post(ana.Token, hashOnly); r.Code() != "" || !strings.Contains(string(r.Data), ana.ID) {
		t.Fatalf("the hash alone on replica B: %+v %s", r.Errors, r.Data)
	}
	// And in off mode the apps' manifest ids work too.
	var me struct{ Viewer struct{ ID string } }
	b.MustOp(ana.Token, "Me", nil, &me)
	if me.Viewer.ID != ana.ID {
		t.Fatalf("Me by id: %+v", me)
	}
}

func persistedBody(hash, name string) map[string]any {
	return map[string]any{"operationName": name,
		"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}}
}

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func getGraphQL(t *testing.T, env *servertest.Env, token string, q url.Values) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, env.HTTP.URL+"/graphql?"+q.Encode(), nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := env.HTTP.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func firstCode(t *testing.T, body string) string {
	var r servertest.Response
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatalf("%s: %v", body, err)
	}
	return r.Code()
}

// TestManifestsOfTheAppsBuilds: the manifests the apps' builds wrote, in
// either of Apollo's formats, run beside the repo's own; a manifest with an
// operation the schema does not have stops the start, named.
func TestManifestsOfTheAppsBuilds(t *testing.T) {
	dir := t.TempDir()
	kotlin := "query AndroidMe { viewer { __typename id displayName } }"
	ios := "query IOSMe { viewer { __typename id } }"
	write := func(name, content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("android-2.4.0.json", `{"format":"apollo-persisted-query-manifest","version":1,"operations":[{"id":"`+sha(kotlin)+`","name":"AndroidMe","type":"query","body":`+strconv.Quote(kotlin)+`}]}`)
	write("ios-2.4.0.json", `{"`+sha(ios)+`":{"name":"IOSMe","source":`+strconv.Quote(ios)+`}}`)
	env := servertest.Start(t, entdbtest.Open(t, "sqlite3"), servertest.WithEnv(map[string]string{
		"TRUSTED_DOCUMENTS": "enforce", "PERSISTED_QUERY_MANIFESTS": dir}))
	ana := env.SignUp("ana@example.com", "Ana")
	for name, body := range map[string]string{"AndroidMe": kotlin, "IOSMe": ios} {
		r := env.Post(ana.Token, mustJSON(persistedBody(sha(body), name)))
		if r.Code() != "" || !strings.Contains(string(r.Data), ana.ID) || !strings.Contains(string(r.Data), `"__typename":"User"`) {
			t.Fatalf("%s by id: %+v %s", name, r.Errors, r.Data)
		}
	}
	if r := env.Post(ana.Token, mustJSON(persistedBody(servertest.OpID(t, "Me"), "Me"))); r.Code() != "" {
		t.Fatalf("the repo's own operations beside them: %+v", r.Errors)
	}

	stale := "query OldMe { viewer { nickname } }"
	write("android-1.0.0.json", `{"format":"apollo-persisted-query-manifest","version":1,"operations":[{"id":"`+sha(stale)+`","name":"OldMe","type":"query","body":`+strconv.Quote(stale)+`}]}`)
	cfg, err := server.LoadConfig([]string{"--trusted_documents=enforce", "--persisted_query_manifests=" + dir,
		"--flexwork_jwt_secret=test-signing-key-that-is-long-enough-0123456789"}, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir = t.TempDir()
	if _, err := server.New(cfg, server.Deps{DB: entdbtest.Open(t, "sqlite3"), Log: slog.New(slog.DiscardHandler)}); err == nil ||
		!strings.Contains(err.Error(), "android-1.0.0.json: OldMe") || !strings.Contains(err.Error(), "nickname") {
		t.Fatalf("a manifest that does not fit the schema: %v", err)
	}
}
