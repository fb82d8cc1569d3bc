package server_test

import (
	"net/http"
	"strings"
	"testing"

	"flexwork/ent/entdb/entdbtest"
	"flexwork/notifications/smtpfake"
	"flexwork/server/servertest"
)

// TestAPersonEditsTheirAccount: name, phone and language change for the
// viewer only; bad values are named by field and change nothing.
func TestAPersonEditsTheirAccount(t *testing.T) {
	env := servertest.Start(t, entdbtest.Open(t, "sqlite3"))
	ana, ben := env.SignUp("ana@example.com", "Ana"), env.SignUp("ben@example.com", "Ben")
	before := env.Fingerprint(t)
	if r := env.Op(ana.Token, "UpdateAccount", input(map[string]any{"phone": "0171 1234", "locale": "fr"})); r.Code() != "BAD_USER_INPUT" ||
		len(r.Fields()) != 2 || r.Fields()[0] != "phone" || r.Fields()[1] != "locale" {
		t.Fatalf("bad phone and locale: %+v", r.Errors)
	}
	if env.Fingerprint(t) != before {
		t.Fatal("a refused edit changed the database")
	}
	var out struct {
		UpdateAccount struct {
			User struct{ ID, DisplayName, Locale string }
		}
	}
	env.MustOp(ana.Token, "UpdateAccount", input(map[string]any{"displayName": " Ana Li ", "locale": "zh-CN"}), &out)
	if u := out.UpdateAccount.User; u.ID != ana.ID || u.DisplayName != "Ana Li" || u.Locale != "zh-CN" {
		t.Fatalf("after the edit: %+v", u)
	}
	var me struct{ Viewer struct{ DisplayName string } }
	env.MustOp(ben.Token, "Me", nil, &me)
	if me.Viewer.DisplayName != "Ben" {
		t.Fatalf("Ben's name changed to %q", me.Viewer.DisplayName)
	}
}

// TestAChineseSignUpReadsChinese: a phone asking for Chinese when its
// owner signs up keeps Chinese as the account's language, and the inbox
// speaks it.
func TestAChineseSignUpReadsChinese(t *testing.T) {
	env := servertest.Start(t, entdbtest.Open(t, "sqlite3"))
	zh := http.Header{"Accept-Language": {"zh-CN,zh;q=0.9,en;q=0.8"}}
	env.DoWith("", `mutation($in: SignUpInput!) { signUp(input: $in) { email } }`, map[string]any{"in": map[string]any{
		"email": "li@example.com", "password": "correct horse battery", "displayName": "李娜"}}, zh).Decode(t, &struct{}{})
	var out struct {
		VerifyEmail struct {
			AccessToken string
			User        struct{ ID, Locale string }
		}
	}
	env.DoWith("", `mutation($in: VerifyEmailInput!) { verifyEmail(input: $in) { accessToken user { id locale } } }`,
		map[string]any{"in": map[string]any{"email": "li@example.com", "code": env.MailedCode("li@example.com")}}, zh).Decode(t, &out)
	if m, ok := env.Mail.Last("li@example.com", func(smtpfake.Message) bool { return true }); !ok ||
		!strings.HasPrefix(m.Subject, "你的 flexwork 验证码") || !strings.Contains(m.Body, "欢迎使用 flexwork，李娜") {
		t.Fatalf("the sign-up mail: %+v", m)
	}
	if out.VerifyEmail.User.Locale != "zh-CN" {
		t.Fatalf("the account's language is %q, want zh-CN", out.VerifyEmail.User.Locale)
	}
	li := servertest.Account{ID: out.VerifyEmail.User.ID, Token: out.VerifyEmail.AccessToken, Email: "li@example.com"}
	olga := env.SignUp("olga@example.com", "Olga")
	emp := createEmployer(t, env, olga, "Spree Logistics")
	membership := addMember(t, env, olga, emp, li, "VIEWER")
	env.MustOp(olga.Token, "ChangeMemberRole", input(map[string]any{"membershipID": membership, "role": "MANAGER"}), &struct{}{})
	if !inboxHas(t, env, li, "你在 Spree Logistics 的角色已变更") {
		t.Fatal("Li was not told in Chinese")
	}
	if !inboxHas(t, env, olga, "A new member joined Spree Logistics") {
		t.Fatal("Olga was not told in English")
	}
}
