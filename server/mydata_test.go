package server_test

import (
	"strings"
	"testing"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/ledgerentry"
	"flexwork/ent/rule"
	"flexwork/server/servertest"
)

// TestAPersonTakesTheirDataAndLeaves: a worker downloads everything about
// her, cannot delete her account while a hire is open, then deletes it
// with her password: she can no longer sign in or use her token, her
// name and email are gone, and the employer still has the contract the
// law says to keep. An employer's only owner cannot leave it ownerless.
func TestAPersonTakesTheirDataAndLeaves(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env := servertest.Start(t, db)
		olga := env.SignUp("olga@example.com", "Olga")
		emp := createEmployer(t, env, olga, "Spree Logistics")
		ana := newWorker(t, env, "ana@example.com", "Ana")
		c := newChain(t, env, olga, ana, apply(env, ana, postShift(t, env, olga, emp, nil)))
		c.hire()

		var data struct {
			MyData struct{ JSON string }
		}
		env.MustOp(ana.Token, "MyData", nil, &data)
		for _, want := range []string{`"email": "ana@example.com"`, c.contract, c.assignment, "FLEXIBLE WORK CONTRACT"} {
			if !strings.Contains(data.MyData.JSON, want) {
				t.Fatalf("the export lacks %q", want)
			}
		}
		for _, secret := range []string{"password_hash", "token_hash", "argon2"} {
			if strings.Contains(data.MyData.JSON, secret) {
				t.Fatalf("the export holds %q", secret)
			}
		}

		del := func(who servertest.Account, password string) servertest.Response {
			return env.Op(who.Token, "DeleteMyAccount", input(map[string]any{"password": password}))
		}
		before := env.Fingerprint(t)
		if r := del(ana, "correct horse battery"); r.Code() != "ACCOUNT_IN_USE" {
			t.Fatalf("deleting with a hire open: %+v", r.Errors)
		}
		if r := del(olga, "correct horse battery"); r.Code() != "LAST_OWNER" {
			t.Fatalf("the only owner deleting: %+v", r.Errors)
		}
		if env.Fingerprint(t) != before {
			t.Fatal("a refused deletion changed the database")
		}
		env.MustOp(ana.Token, "CancelAssignment", input(map[string]any{"assignmentID": c.assignment, "reason": "I moved away"}), &struct{}{})
		if r := del(ana, "not my password"); r.Code() != "BAD_USER_INPUT" || r.Fields()[0] != "password" {
			t.Fatalf("deleting with a wrong password: %+v", r.Errors)
		}
		var gone struct{ DeleteMyAccount struct{ Deleted bool } }
		env.MustOp(ana.Token, "DeleteMyAccount", input(map[string]any{"password": "correct horse battery"}), &gone)
		if !gone.DeleteMyAccount.Deleted {
			t.Fatal("not deleted")
		}
		if r := env.Op(ana.Token, "Me", nil); r.Code() != "UNAUTHENTICATED" {
			t.Fatalf("the deleted account's token still works: %+v", r.Errors)
		}
		if r := env.Op("", "SignIn", input(map[string]any{"email": "ana@example.com", "password": "correct horse battery"})); r.Code() != "UNAUTHENTICATED" {
			t.Fatalf("the deleted account still signs in: %+v", r.Errors)
		}
		var k struct {
			Node struct {
				Body       string
				Assignment struct {
					Worker struct{ User struct{ DisplayName string } }
				}
			}
		}
		env.Must(olga.Token, `query($id: ID!) { node(id: $id) { ... on Contract { body assignment { worker { user { displayName } } } } } }`,
			map[string]any{"id": c.contract}, &k)
		if !strings.Contains(k.Node.Body, "Worker: Ana") || k.Node.Assignment.Worker.User.DisplayName != "Former user" {
			t.Fatalf("after the deletion the employer sees %q and a contract %q…", k.Node.Assignment.Worker.User.DisplayName, k.Node.Body[:80])
		}
		sys := rule.System(t.Context())
		if u := db.User.GetX(sys, ana.ID); u.Email != nil || u.DisplayName != "Former user" || u.PasswordHash != "" {
			t.Fatalf("the user row still holds personal data: %+v", u)
		}
		if n := db.LedgerEntry.Query().Where(ledgerentry.Kind("ACCOUNT_ERASED"), ledgerentry.SubjectID(ana.ID)).CountX(sys); n != 1 {
			t.Fatalf("%d ledger entries of the erasure", n)
		}
		// The address is free for a new account.
		env.SignUp("ana@example.com", "Ana again")
	})
}
