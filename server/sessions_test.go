package server_test

import (
	"net/http"
	"testing"
	"time"

	"flexwork/ent/entdb/entdbtest"
	"flexwork/server/servertest"
)

// TestADeviceIsSignedOutFromTheSessionsList: the account lists each
// signed-in device with the app that signed in; signing one out stops its
// refreshes and leaves the others; nobody signs out another's device.
func TestADeviceIsSignedOutFromTheSessionsList(t *testing.T) {
	env := servertest.Start(t, entdbtest.Open(t, "sqlite3"))
	ana, ben := env.SignUp("ana@example.com", "Ana"), env.SignUp("ben@example.com", "Ben")
	env.Clock.Advance(time.Hour)
	var phone struct {
		SignIn struct{ AccessToken, RefreshToken string }
	}
	r := env.DoWith("", `mutation($in: SignInInput!) { signIn(input: $in) { accessToken refreshToken } }`,
		map[string]any{"in": map[string]any{"email": "ana@example.com", "password": "correct horse battery"}},
		http.Header{"User-Agent": {"FlexworkWorker/1.4 (iPhone; iOS 19.1)"}})
	r.Decode(t, &phone)
	type session struct {
		ID, UserAgent           string
		StartedAt, LastActiveAt time.Time
	}
	list := func(who servertest.Account) []session {
		var out struct{ Sessions []session }
		env.MustOp(who.Token, "MySessions", nil, &out)
		return out.Sessions
	}
	got := list(ana)
	if len(got) != 2 || got[0].UserAgent != "FlexworkWorker/1.4 (iPhone; iOS 19.1)" || !got[0].LastActiveAt.After(got[1].LastActiveAt) {
		t.Fatalf("Ana's sessions: %+v; want the phone first, then the sign-up", got)
	}
	signOut := func(who servertest.Account, id string) bool {
		var out struct{ SignOutSession struct{ Revoked bool } }
		env.MustOp(who.Token, "SignOutSession", input(map[string]any{"sessionID": id}), &out)
		return out.SignOutSession.Revoked
	}
	if signOut(ben, got[0].ID) || len(list(ana)) != 2 {
		t.Fatal("Ben signed out Ana's phone")
	}
	if !signOut(ana, got[0].ID) {
		t.Fatal("Ana could not sign her phone out")
	}
	if r := env.Op("", "RefreshSession", input(map[string]any{"refreshToken": phone.SignIn.RefreshToken})); r.Code() != "UNAUTHENTICATED" {
		t.Fatalf("the signed-out phone still refreshes: %+v", r.Errors)
	}
	if r := env.Op("", "RefreshSession", input(map[string]any{"refreshToken": ana.Refresh})); r.Code() != "" {
		t.Fatalf("the other device was signed out too: %+v", r.Errors)
	}
	if left := list(ana); len(left) != 1 || left[0].ID == got[0].ID {
		t.Fatalf("after signing the phone out: %+v", left)
	}
	if r := env.Op("", "MySessions", nil); r.Code() != "UNAUTHENTICATED" {
		t.Fatalf("sessions without signing in: %+v", r.Errors)
	}
}
