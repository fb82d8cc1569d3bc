package server_test

import (
	"testing"

	"flexwork/ent/entdb/entdbtest"
	"flexwork/notifications/smtpfake"
	"flexwork/server/servertest"
)

// TestAForgottenPasswordIsReset: the same answer for any address, a code
// only to an account's; five wrong codes spend it; a reset or a change of
// password signs every other session out; a weak or wrong password is
// named by its field.
func TestAForgottenPasswordIsReset(t *testing.T) {
	env := servertest.Start(t, entdbtest.Open(t, "sqlite3"))
	ana := env.SignUp("ana@example.com", "Ana")
	ask := func(email string) servertest.Response {
		return env.Op("", "RequestPasswordReset", input(map[string]any{"email": email}))
	}
	var known, unknown struct {
		RequestPasswordReset struct{ Email string }
	}
	ask("nobody@example.com").Decode(t, &unknown)
	if _, mailed := env.Mail.Last("nobody@example.com", func(smtpfake.Message) bool { return true }); mailed {
		t.Fatal("an address without an account got mail")
	}
	ask("Ana@Example.com ").Decode(t, &known)
	if known.RequestPasswordReset.Email != "ana@example.com" || unknown.RequestPasswordReset.Email != "nobody@example.com" {
		t.Fatalf("answers: %+v %+v", known, unknown)
	}
	code := env.MailedCode("ana@example.com")
	reset := func(code, password string) servertest.Response {
		return env.Op("", "ResetPassword", input(map[string]any{"email": "ana@example.com", "code": code, "newPassword": password}))
	}
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	if r := reset(code, "password123"); r.Code() != "BAD_USER_INPUT" || r.Fields()[0] != "newPassword" {
		t.Fatalf("a guessable new password: %+v", r.Errors)
	}
	for range 4 { // the weak password above was the first try
		if r := reset(wrong, "violet harbour kettle 42"); r.Code() != "BAD_USER_INPUT" || r.Fields()[0] != "code" {
			t.Fatalf("a wrong code: %+v", r.Errors)
		}
	}
	if r := reset(code, "violet harbour kettle 42"); r.Code() != "BAD_USER_INPUT" {
		t.Fatalf("the right code after five tries: %+v", r.Errors)
	}
	ask("ana@example.com")
	var fresh struct {
		ResetPassword struct{ AccessToken, RefreshToken string }
	}
	reset(env.MailedCode("ana@example.com"), "violet harbour kettle 42").Decode(t, &fresh)
	refresh := func(token string) servertest.Response {
		return env.Op("", "RefreshSession", input(map[string]any{"refreshToken": token}))
	}
	if r := refresh(ana.Refresh); r.Code() != "UNAUTHENTICATED" {
		t.Fatalf("the session from before the reset still refreshes: %+v", r.Errors)
	}
	signIn := func(password string) servertest.Response {
		return env.Op("", "SignIn", input(map[string]any{"email": "ana@example.com", "password": password}))
	}
	if r := signIn("correct horse battery"); r.Code() != "UNAUTHENTICATED" {
		t.Fatalf("the old password still signs in: %+v", r.Errors)
	}
	if r := signIn("violet harbour kettle 42"); r.Code() != "" {
		t.Fatalf("the new password: %+v", r.Errors)
	}

	change := func(current, next string) servertest.Response {
		return env.Op(fresh.ResetPassword.AccessToken, "ChangePassword", input(map[string]any{"currentPassword": current, "newPassword": next}))
	}
	if r := change("not my password", "quiet copper lantern 17"); r.Code() != "BAD_USER_INPUT" || r.Fields()[0] != "currentPassword" {
		t.Fatalf("a wrong current password: %+v", r.Errors)
	}
	var changed struct {
		ChangePassword struct{ RefreshToken string }
	}
	change("violet harbour kettle 42", "quiet copper lantern 17").Decode(t, &changed)
	if r := refresh(fresh.ResetPassword.RefreshToken); r.Code() != "UNAUTHENTICATED" {
		t.Fatalf("a session from before the change still refreshes: %+v", r.Errors)
	}
	env.MustOp(fresh.ResetPassword.AccessToken, "SignOutEverywhere", nil, &struct{}{})
	if r := refresh(changed.ChangePassword.RefreshToken); r.Code() != "UNAUTHENTICATED" {
		t.Fatalf("a session after signing out everywhere still refreshes: %+v", r.Errors)
	}
	if r := env.Op("", "SignOutEverywhere", nil); r.Code() != "UNAUTHENTICATED" {
		t.Fatalf("signing out everywhere without a session: %+v", r.Errors)
	}
}
