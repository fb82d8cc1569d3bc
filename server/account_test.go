package server_test

import (
	"net/http"
	"testing"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/server/servertest"
)

const viewerQuery = `{ viewer { id displayName email } }`

func TestSignUpSignInRefresh(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env := servertest.Start(t, db)
		ana := env.SignUp("Ana@Example.com ", "Ana")

		var me struct {
			Viewer struct{ ID, DisplayName, Email string }
		}
		env.Must(ana.Token, viewerQuery, nil, &me)
		if me.Viewer.ID != ana.ID || me.Viewer.Email != "ana@example.com" || me.Viewer.DisplayName != "Ana" {
			t.Fatalf("viewer = %+v, want Ana with normalised email", me.Viewer)
		}

		// Sign in with the password; a wrong password is refused without
		// saying which part was wrong.
		const signIn = `mutation($in: SignInInput!) { signIn(input: $in) { accessToken refreshToken } }`
		var in struct {
			SignIn struct{ AccessToken, RefreshToken string }
		}
		env.Must("", signIn, map[string]any{"in": map[string]any{"email": "ana@example.com", "password": "correct horse battery"}}, &in)
		if in.SignIn.AccessToken == "" || in.SignIn.RefreshToken == "" {
			t.Fatalf("signIn returned no tokens: %+v", in)
		}
		r := env.Do("", signIn, map[string]any{"in": map[string]any{"email": "ana@example.com", "password": "wrong password!"}})
		if r.Code() != "UNAUTHENTICATED" || r.Errors[0].Message != "email or password is wrong" {
			t.Fatalf("wrong password: %+v", r.Errors)
		}
		r = env.Do("", signIn, map[string]any{"in": map[string]any{"email": "nobody@example.com", "password": "whatever12345"}})
		if r.Code() != "UNAUTHENTICATED" || r.Errors[0].Message != "email or password is wrong" {
			t.Fatalf("unknown email: %+v", r.Errors)
		}

		// Refresh rotates: the new tokens work, the old refresh token does not.
		const refresh = `mutation($t: String!) { refreshToken(input: {refreshToken: $t}) { accessToken refreshToken user { id } } }`
		var next struct {
			RefreshToken struct {
				AccessToken, RefreshToken string
				User                      struct{ ID string }
			}
		}
		env.Must("", refresh, map[string]any{"t": ana.Refresh}, &next)
		if next.RefreshToken.User.ID != ana.ID || next.RefreshToken.RefreshToken == ana.Refresh {
			t.Fatalf("refresh = %+v", next)
		}
		env.Must(next.RefreshToken.AccessToken, viewerQuery, nil, &me)

		// Reusing the spent token is refused, and revokes the whole family:
		// the token issued by the rotation stops working too.
		r = env.Do("", refresh, map[string]any{"t": ana.Refresh})
		if r.Code() != "UNAUTHENTICATED" {
			t.Fatalf("reused refresh token: got %+v, want UNAUTHENTICATED", r.Errors)
		}
		r = env.Do("", refresh, map[string]any{"t": next.RefreshToken.RefreshToken})
		if r.Code() != "UNAUTHENTICATED" {
			t.Fatalf("descendant of a reused token still works: %+v", r)
		}
		// The sign-in session is a different family and still works.
		env.Must("", refresh, map[string]any{"t": in.SignIn.RefreshToken}, &next)
	})
}

// TestABadTokenIsAnsweredInGraphQL: an expired or forged access token is a
// GraphQL error with UNAUTHENTICATED that every client reads — 200 under
// application/json, 401 under application/graphql-response+json (the
// request ran nothing) — and never a view of the anonymous world.
func TestABadTokenIsAnsweredInGraphQL(t *testing.T) {
	env := servertest.Start(t, entdbtest.Open(t, "sqlite3"))
	for accept, status := range map[string]int{"": 200, "application/json": 200, "application/graphql-response+json": 401} {
		r := env.PostWith("not-a-token", []byte(`{"query": "{ viewer { id } }"}`), http.Header{"Accept": {accept}})
		if r.Status != status || r.Code() != "UNAUTHENTICATED" || r.Data != nil {
			t.Fatalf("Accept %q: got status %d %+v %s, want %d UNAUTHENTICATED without data", accept, r.Status, r.Errors, r.Data, status)
		}
		if got := r.Header.Get("WWW-Authenticate"); got != `Bearer error="invalid_token"` {
			t.Fatalf("Accept %q: WWW-Authenticate = %q", accept, got)
		}
	}
	var anon struct{ Viewer *struct{ ID string } }
	env.Must("", viewerQuery, nil, &anon)
	if anon.Viewer != nil {
		t.Fatalf("anonymous viewer = %+v, want null", anon.Viewer)
	}
}
