// Package servertest runs a real flexwork server over a test database and
// talks to it the way the apps do: GraphQL over HTTP.
package servertest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"flexwork/ent/entdb"
	"flexwork/notifications"
	"flexwork/notifications/smtpfake"
	"flexwork/server"
	"flexwork/server/ratelimit"
)

// Clock is a clock tests move by hand.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock starts at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t.UTC()} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Env is a running server and its database.
type Env struct {
	t      testing.TB
	DB     *entdb.DB
	Server *server.Server
	HTTP   *httptest.Server
	Clock  *Clock
	Config server.Config
	// Mail is the mail server the server sends through: a fake at the edge
	// of the network, fed by the real SMTP client.
	Mail *smtpfake.Server
	// ClientAddress is the address requests come from (through
	// X-Forwarded-For). Empty: each request from an address of its own, as
	// phones on many networks; a test of per-address limits sets one.
	ClientAddress string
	addresses     *atomic.Int64
}

// For is the same server reporting to t: a fuzz target or a subtest uses
// the Env its parent started.
func (e *Env) For(t testing.TB) *Env {
	c := *e
	c.t = t
	return &c
}

// clientAddress is the address of the next request.
func (e *Env) clientAddress() string {
	if e.ClientAddress != "" {
		return e.ClientAddress
	}
	n := e.addresses.Add(1)
	return fmt.Sprintf("10.%d.%d.%d", (n>>16)&255, (n>>8)&255, n&255)
}

// setup is what options adjust before the server starts.
type setup struct {
	config server.Config
	deps   server.Deps
	jobs   bool
}

// Option adjusts the configuration or dependencies before the server starts.
type Option func(*setup)

// WithEnv overrides configuration variables, as the environment would.
func WithEnv(kv map[string]string) Option {
	return func(st *setup) {
		c := &st.config
		args := []string{"--flexwork_jwt_secret=" + c.JWTSecret}
		for k, v := range kv {
			args = append(args, "--"+strings.ToLower(k)+"="+v)
		}
		cfg, err := server.LoadConfig(args, func(string) string { return "" })
		if err != nil {
			panic(err)
		}
		cfg.DataDir = c.DataDir
		if _, ok := kv["FLEXWORK_ACCESS_TOKEN_TTL"]; !ok {
			cfg.AccessTokenTTL = c.AccessTokenTTL // tests move the clock by days
		}
		if _, ok := kv["FLEXWORK_PUSH_HEAD_START"]; !ok {
			cfg.PushHeadStart = c.PushHeadStart
		}
		if _, ok := kv["FLEXWORK_NEW_EMPLOYER_TERMS"]; !ok {
			cfg.NewEmployerTerms = c.NewEmployerTerms
		}
		*c = cfg
	}
}

// WithDeps changes the dependencies.
func WithDeps(f func(*server.Deps)) Option { return func(st *setup) { f(&st.deps) } }

// Start runs a server over db.
func Start(t testing.TB, db *entdb.DB, opts ...Option) *Env {
	t.Helper()
	cfg, err := server.LoadConfig(nil, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir = t.TempDir()
	cfg.JWTSecret = "test-signing-key-that-is-long-enough-0123456789"
	// Tests move the clock by hours and days; tokens outlive that.
	cfg.AccessTokenTTL = 90 * 24 * time.Hour
	// Jobs run on the wall clock: a test that wants push tiers sets a head
	// start it can wait for (WithEnv).
	cfg.PushHeadStart = 0
	// Employers are founded on credit terms, so that tests of hiring need
	// no funds; tests of the money's way set PREFUNDED (WithEnv) or have
	// staff set it.
	cfg.NewEmployerTerms = "CREDIT"
	clock := NewClock(time.Now().Truncate(time.Second))
	mail, err := smtpfake.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = mail.Close() })
	mailer, err := notifications.NewSMTPMailer(mail.URL(), "flexwork <no-reply@flexwork.test>")
	if err != nil {
		t.Fatal(err)
	}
	st := &setup{config: cfg, deps: server.Deps{DB: db, Now: clock.Now, Mailer: mailer,
		Log: slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))}}
	for _, o := range opts {
		o(st)
	}
	// A test on Redis counts in keys of its own, so that tests sharing the
	// Redis server do not lock each other's accounts out; replicas that
	// must count together are given one store.
	if st.config.RedisURL != "" && st.deps.Limits == nil {
		st.deps.Limits = RedisLimits(t, st.config.RedisURL)
	}
	// Requests say where they come from, as a proxy in front would.
	if st.config.ClientIPHeader == "" {
		st.config.ClientIPHeader = "X-Forwarded-For"
	}
	// The server signs links with its public URL, so it must know it first.
	hs := httptest.NewUnstartedServer(nil)
	st.config.PublicURL = "http://" + hs.Listener.Addr().String()
	srv, err := server.New(st.config, st.deps)
	if err != nil {
		hs.Close()
		t.Fatal(err)
	}
	hs.Config.Handler = srv.Handler
	hs.Start()
	t.Cleanup(hs.Close)
	t.Cleanup(func() { _ = srv.Notifications.Close() })
	if st.jobs {
		if err := srv.Notifications.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = srv.Notifications.Stop(ctx)
		})
	}
	return &Env{t: t, DB: db, Server: srv, HTTP: hs, Clock: clock, Config: st.config, Mail: mail, addresses: new(atomic.Int64)}
}

// Response is a GraphQL response as the app sees it.
type Response struct {
	Status     int
	Header     http.Header `json:"-"`
	Data       json.RawMessage
	Errors     []Error
	Extensions map[string]any
}

// Error is one GraphQL error.
type Error struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// Code is the extensions.code of the first error, or "".
func (r Response) Code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// Fields are the failing input fields of the first error.
func (r Response) Fields() []string {
	if len(r.Errors) == 0 {
		return nil
	}
	raw, _ := r.Errors[0].Extensions["fields"].([]any)
	var out []string
	for _, f := range raw {
		if m, ok := f.(map[string]any); ok {
			out = append(out, fmt.Sprint(m["field"]))
		}
	}
	return out
}

// Decode unmarshals the data into v, failing the test on errors.
func (r Response) Decode(t testing.TB, v any) {
	t.Helper()
	if len(r.Errors) > 0 {
		t.Fatalf("unexpected GraphQL errors: %+v", r.Errors)
	}
	if err := json.Unmarshal(r.Data, v); err != nil {
		t.Fatalf("decode %s: %v", r.Data, err)
	}
}

// Do posts a GraphQL operation with an optional bearer token.
func (e *Env) Do(token, query string, vars map[string]any) Response {
	e.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return e.Post(token, body)
}

// Post posts a raw body to /graphql.
func (e *Env) Post(token string, body []byte) Response {
	e.t.Helper()
	return e.PostWith(token, body, nil)
}

// DoWith posts an operation with extra request headers (Idempotency-Key).
func (e *Env) DoWith(token, query string, vars map[string]any, header http.Header) Response {
	e.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return e.PostWith(token, body, header)
}

// PostWith posts a raw body with extra request headers.
func (e *Env) PostWith(token string, body []byte, header http.Header) Response {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.HTTP.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", e.clientAddress())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := e.HTTP.Client().Do(req)
	if err != nil {
		e.t.Fatalf("POST /graphql: %v", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := Response{Status: resp.StatusCode, Header: resp.Header}
	if err := json.Unmarshal(raw, &out); err != nil {
		e.t.Fatalf("POST /graphql: status %d, body %q: %v", resp.StatusCode, raw, err)
	}
	return out
}

// Must runs an operation that must succeed and decodes its data into v.
func (e *Env) Must(token, query string, vars map[string]any, v any) {
	e.t.Helper()
	r := e.Do(token, query, vars)
	r.Decode(e.t, v)
}

// Account is a signed-up user.
type Account struct {
	ID, Email, Token, Refresh string
}

// SignUp creates an account, as a person does with the apps — signs up,
// reads the code in the mail, enters it — and returns its tokens.
func (e *Env) SignUp(email, name string) Account {
	e.t.Helper()
	return e.SignUpIn("", email, name)
}

// SignUpIn signs up from a phone set to lang (an Accept-Language value):
// the account keeps that language.
func (e *Env) SignUpIn(lang, email, name string) Account {
	e.t.Helper()
	h := http.Header{}
	if lang != "" {
		h.Set("Accept-Language", lang)
	}
	e.OpWith("", "SignUp", map[string]any{"input": map[string]any{"email": email, "password": "correct horse battery", "displayName": name}}, h).Decode(e.t, &struct{}{})
	code := e.MailedCode(email)
	var out struct {
		VerifyEmail struct {
			AccessToken, RefreshToken string
			User                      struct{ ID string }
		}
	}
	e.OpWith("", "VerifyEmail", map[string]any{"input": map[string]any{"email": email, "code": code}}, h).Decode(e.t, &out)
	return Account{ID: out.VerifyEmail.User.ID, Email: email, Token: out.VerifyEmail.AccessToken, Refresh: out.VerifyEmail.RefreshToken}
}

// codeInMail finds a sign-up code in a mail's body.
var codeInMail = regexp.MustCompile(`(?:Your code is|你的验证码是) (\d{6})`)

// MailedCode is the sign-up code last mailed to email. signUp sends its
// mail before it answers, so the code is there when the answer is.
func (e *Env) MailedCode(email string) string {
	e.t.Helper()
	m, ok := e.Mail.Last(strings.TrimSpace(email), func(m smtpfake.Message) bool { return codeInMail.MatchString(m.Body) })
	if !ok {
		e.t.Fatalf("no sign-up code was mailed to %s", email)
	}
	return codeInMail.FindStringSubmatch(m.Body)[1]
}

// RedisLimits is a rate-limit store on Redis with keys of its own.
func RedisLimits(t testing.TB, url string) *ratelimit.Redis {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	r, err := ratelimit.NewRedis(url, "flexwork-test-"+hex.EncodeToString(b)+":")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	return r
}

// testLog sends the server's warnings and errors to the test's log.
type testLog struct{ t testing.TB }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// WithJobs runs the job queue (pushes, fan-outs, expiries) while the test
// runs, polling often and retrying fast.
func WithJobs() Option {
	return func(st *setup) {
		st.config.JobPollInterval = 50 * time.Millisecond
		st.deps.RetryDelay = 300 * time.Millisecond
		st.jobs = true
	}
}

// WaitSubscribers waits until the server has n live subscriptions:
// subscribing is asynchronous, and an event published before the
// subscription exists is not delivered.
func (e *Env) WaitSubscribers(n int) {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for e.Server.Notifications.Subscribers() != n {
		if time.Now().After(deadline) {
			e.t.Fatalf("%d live subscriptions, want %d", e.Server.Notifications.Subscribers(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
