package server_test

import (
	"testing"
	"time"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/notifications/brokertest"
	"flexwork/server"
	"flexwork/server/servertest"
)

const signInQ = `mutation($in: SignInInput!) { signIn(input: $in) { accessToken } }`

func signIn(env *servertest.Env, email, password string) servertest.Response {
	return env.Do("", signInQ, map[string]any{"in": map[string]any{"email": email, "password": password}})
}

func retryAfter(t *testing.T, r servertest.Response) float64 {
	t.Helper()
	if r.Code() != "RATE_LIMITED" {
		t.Fatalf("got %+v, want RATE_LIMITED", r.Errors)
	}
	s, _ := r.Errors[0].Extensions["retryAfterSeconds"].(float64)
	if s < 1 {
		t.Fatalf("RATE_LIMITED without retryAfterSeconds: %+v", r.Errors[0])
	}
	return s
}

// TestWrongPasswordsSlowTheAccountDown: five wrong passwords are free, then
// the account waits longer after each, the right password included, until a
// right one after the wait; an address with no account behaves the same.
func TestWrongPasswordsSlowTheAccountDown(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env := servertest.Start(t, db)
		env.SignUp("ana@example.com", "Ana")
		for _, email := range []string{"ana@example.com", "nobody@example.com"} {
			for i := range 6 {
				if r := signIn(env, email, "not the password"); r.Code() != "UNAUTHENTICATED" {
					t.Fatalf("%s, wrong password %d: %+v", email, i+1, r.Errors)
				}
			}
			// The sixth locked the account for a second: even the right
			// password waits.
			if s := retryAfter(t, signIn(env, email, "correct horse battery")); s != 1 {
				t.Fatalf("%s: retry after %v s, want 1", email, s)
			}
			env.Clock.Advance(1100 * time.Millisecond)
			if r := signIn(env, email, "still wrong"); r.Code() != "UNAUTHENTICATED" {
				t.Fatalf("%s after the wait: %+v", email, r.Errors)
			}
			if s := retryAfter(t, signIn(env, email, "correct horse battery")); s != 2 {
				t.Fatalf("%s: the second lock lasts %v s, want 2", email, s)
			}
			env.Clock.Advance(2100 * time.Millisecond)
		}
		if r := signIn(env, "ana@example.com", "correct horse battery"); r.Code() != "" {
			t.Fatalf("the right password after the wait: %+v", r.Errors)
		}
		// A success forgets the failures: once the account's attempt budget
		// (10 at once, then 20 an hour) has refilled, five more are free again.
		env.Clock.Advance(30 * time.Minute)
		for range 5 {
			if r := signIn(env, "ana@example.com", "wrong again"); r.Code() != "UNAUTHENTICATED" {
				t.Fatalf("after a success: %+v", r.Errors)
			}
		}
	})
}

// TestOneAddressCannotFloodSignIn: 30 attempts a minute from one address.
func TestOneAddressCannotFloodSignIn(t *testing.T) {
	env := servertest.Start(t, entdbtest.Open(t, "sqlite3"))
	env.ClientAddress = "203.0.113.7"
	for i := range 30 {
		if r := signIn(env, "x"+string(rune('a'+i%26))+"@example.com", "whatever12345"); r.Code() != "UNAUTHENTICATED" {
			t.Fatalf("attempt %d: %+v", i+1, r.Errors)
		}
	}
	retryAfter(t, signIn(env, "ana@example.com", "whatever12345"))
	env.ClientAddress = "203.0.113.8"
	if r := signIn(env, "ana@example.com", "whatever12345"); r.Code() != "UNAUTHENTICATED" {
		t.Fatalf("another address: %+v", r.Errors)
	}
}

// TestReplicasCountTogether: wrong passwords on one replica lock the
// account on the other, through Redis.
func TestReplicasCountTogether(t *testing.T) {
	url := brokertest.RedisURL(t)
	db := entdbtest.Open(t, "postgres")
	limits := servertest.RedisLimits(t, url)
	shared := servertest.WithDeps(func(d *server.Deps) { d.Limits = limits })
	a, b := servertest.Start(t, db, shared), servertest.Start(t, db, shared)
	a.SignUp("ana@example.com", "Ana")
	for range 6 {
		signIn(a, "ana@example.com", "not the password")
	}
	retryAfter(t, signIn(b, "ana@example.com", "correct horse battery"))
}

// TestALoopingScriptIsSlowed: 300 mutations at once, then 10 a second.
func TestALoopingScriptIsSlowed(t *testing.T) {
	env := servertest.Start(t, entdbtest.Open(t, "sqlite3"))
	ana := env.SignUp("ana@example.com", "Ana")
	const mark = `mutation { markNotificationsRead(input: {all: true}) { markedCount } }`
	for i := range 300 {
		if r := env.Do(ana.Token, mark, nil); r.Code() != "" {
			t.Fatalf("mutation %d: %+v", i+1, r.Errors)
		}
	}
	retryAfter(t, env.Do(ana.Token, mark, nil))
	// Reading is not limited by it; another user is not either.
	if r := env.Do(ana.Token, `{ unreadNotificationCount }`, nil); r.Code() != "" {
		t.Fatalf("a query after the limit: %+v", r.Errors)
	}
	if r := env.Do(env.SignUp("ben@example.com", "Ben").Token, mark, nil); r.Code() != "" {
		t.Fatalf("another user: %+v", r.Errors)
	}
	env.Clock.Advance(time.Second)
	if r := env.Do(ana.Token, mark, nil); r.Code() != "" {
		t.Fatalf("a second later: %+v", r.Errors)
	}
}
