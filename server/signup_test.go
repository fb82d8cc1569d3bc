package server_test

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"testing"
	"time"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/rule"
	"flexwork/server/servertest"
)

const (
	signUpQ = `mutation($in: SignUpInput!) { signUp(input: $in) { email codeExpiresAt } }`
	verifyQ = `mutation($in: VerifyEmailInput!) { verifyEmail(input: $in) { accessToken user { id } } }`
)

func signUpVars(email string) map[string]any {
	return map[string]any{"in": map[string]any{"email": email, "password": "lantern meadow copper", "displayName": "Someone"}}
}

// TestSignUpDoesNotTellWhoIsRegistered: signing up with an address that has
// an account answers exactly as with a new one; the owner of the address is
// the one told, by mail, and no code they did not ask for makes an account.
func TestSignUpDoesNotTellWhoIsRegistered(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env := servertest.Start(t, db)
		env.SignUp("ana@example.com", "Ana")
		users := func() int { return db.User.Query().CountX(rule.System(context.Background())) }
		before := users()

		taken := env.Do("", signUpQ, signUpVars("ana@example.com"))
		fresh := env.Do("", signUpQ, signUpVars("ben@example.com"))
		shape := func(r servertest.Response) string {
			t.Helper()
			if len(r.Errors) > 0 || r.Status != 200 {
				t.Fatalf("signUp: %d %+v", r.Status, r.Errors)
			}
			var v struct{ SignUp map[string]any }
			_ = json.Unmarshal(r.Data, &v)
			keys := []string{}
			for k := range v.SignUp {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			return strings.Join(keys, ",")
		}
		if shape(taken) != shape(fresh) {
			t.Fatalf("the answers differ in shape: %s vs %s", taken.Data, fresh.Data)
		}
		if !strings.Contains(string(taken.Data), `"email":"ana@example.com"`) {
			t.Fatalf("taken: %s", taken.Data)
		}
		notice, ok := env.Mail.Last("ana@example.com", nil)
		if !ok || !strings.Contains(notice.Body, "You already have an account") || strings.Contains(notice.Body, "Your code is") {
			t.Fatalf("the owner's notice: %+v", notice)
		}
		// Ben's request made no account yet: only his code does.
		if users() != before {
			t.Fatal("a sign-up made an account before its code came back")
		}
		for _, code := range []string{"000000", "123456", "999999"} {
			if r := env.Do("", verifyQ, map[string]any{"in": map[string]any{"email": "ana@example.com", "code": code}}); r.Code() != "BAD_USER_INPUT" {
				t.Fatalf("a code for the registered address: %+v", r.Errors)
			}
		}
		var ben struct {
			VerifyEmail struct{ AccessToken string }
		}
		env.Must("", verifyQ, map[string]any{"in": map[string]any{"email": "ben@example.com", "code": env.MailedCode("ben@example.com")}}, &ben)
		if ben.VerifyEmail.AccessToken == "" {
			t.Fatal("Ben's code made no session")
		}
		if r := env.Do("", verifyQ, map[string]any{"in": map[string]any{"email": "ben@example.com", "code": env.MailedCode("ben@example.com")}}); r.Code() != "BAD_USER_INPUT" {
			t.Fatalf("a code used twice: %+v", r.Errors)
		}
	})
}

// TestSignUpCodesCannotBeGuessed: five wrong tries spend a code, even the
// right one after them; a code lasts 30 minutes; the latest sign-up's code
// is the one that counts.
func TestSignUpCodesCannotBeGuessed(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env := servertest.Start(t, db)
		verify := func(email, code string) servertest.Response {
			return env.Do("", verifyQ, map[string]any{"in": map[string]any{"email": email, "code": code}})
		}
		env.Must("", signUpQ, signUpVars("cem@example.com"), &struct{}{})
		code := env.MailedCode("cem@example.com")
		wrong := "000000"
		if code == wrong {
			wrong = "000001"
		}
		for range 5 {
			if r := verify("cem@example.com", wrong); r.Code() != "BAD_USER_INPUT" || r.Fields()[0] != "code" {
				t.Fatalf("a wrong code: %+v", r.Errors)
			}
		}
		if r := verify("cem@example.com", code); r.Code() != "BAD_USER_INPUT" {
			t.Fatalf("the right code after five wrong ones: %+v", r.Errors)
		}

		env.Must("", signUpQ, signUpVars("dee@example.com"), &struct{}{})
		stale := env.MailedCode("dee@example.com")
		env.Clock.Advance(31 * time.Minute)
		if r := verify("dee@example.com", stale); r.Code() != "BAD_USER_INPUT" {
			t.Fatalf("a 31-minute-old code: %+v", r.Errors)
		}
		env.Must("", signUpQ, signUpVars("dee@example.com"), &struct{}{})
		if fresh := env.MailedCode("dee@example.com"); fresh != stale {
			env.Must("", verifyQ, map[string]any{"in": map[string]any{"email": "dee@example.com", "code": fresh}}, &struct{}{})
		}
		for _, in := range []map[string]any{{"email": "dee@example.com", "code": "12345"}, {"email": "dee@example.com", "code": "abcdef"}} {
			if r := env.Do("", verifyQ, map[string]any{"in": in}); r.Code() != "BAD_USER_INPUT" {
				t.Fatalf("a malformed code: %+v", r.Errors)
			}
		}
	})
}

// TestEasyPasswordsAreRefused: length alone is not enough.
func TestEasyPasswordsAreRefused(t *testing.T) {
	env := servertest.Start(t, entdbtest.Open(t, "sqlite3"))
	for _, pw := range []string{"1234567890", "Password2024!", "qwertyuiop", "eveline-eveline"} {
		r := env.Do("", signUpQ, map[string]any{"in": map[string]any{"email": "eveline@example.com", "password": pw, "displayName": "Eve"}})
		if r.Code() != "BAD_USER_INPUT" || r.Fields()[0] != "password" {
			t.Fatalf("password %q: %+v", pw, r.Errors)
		}
	}
	if _, ok := env.Mail.Last("eveline@example.com", nil); ok {
		t.Fatal("a refused sign-up sent mail")
	}
}
