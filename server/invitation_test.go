package server_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/notifications/smtpfake"
	"flexwork/server/servertest"
)

// TestInvitationsDoNotTellWhoHasAnAccount: inviting an address with an
// account and one without answers alike; both are told by mail, the one
// with an account in its inbox too; the other accepts after signing up.
func TestInvitationsDoNotTellWhoHasAnAccount(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env := servertest.Start(t, db, servertest.WithJobs())
		olga := env.SignUp("olga@example.com", "Olga")
		emp := createEmployer(t, env, olga, "Spree Logistics")
		bob := env.SignUp("bob@example.com", "Bob")

		shape := func(r servertest.Response) string {
			t.Helper()
			if len(r.Errors) > 0 {
				t.Fatal(r.Errors)
			}
			var v struct {
				AddEmployerMember struct {
					Invitation struct{ ID, Role, Status string }
				}
			}
			r.Decode(t, &v)
			i := v.AddEmployerMember.Invitation
			return i.Role + "/" + i.Status
		}
		withAccount, without := invite(env, olga, emp, "bob@example.com", "MANAGER"), invite(env, olga, emp, "cai@example.com", "MANAGER")
		if a, b := shape(withAccount), shape(without); a != b {
			t.Fatalf("the answers differ: %s vs %s", a, b)
		}
		invited := func(m smtpfake.Message) bool { return strings.Contains(m.Subject, "invited to join Spree Logistics") }
		for _, to := range []string{"bob@example.com", "cai@example.com"} {
			if _, ok := env.Mail.Wait(to, invited, 10*time.Second); !ok {
				t.Fatalf("no invitation mail to %s", to)
			}
		}
		if inbox := inboxTitles(t, env, bob); !strings.Contains(inbox, "ACCOUNT: Invitation to join Spree Logistics") {
			t.Fatalf("Bob's inbox:\n%s", inbox)
		}

		// Cai signs up later with the address and finds the invitation.
		cai := env.SignUp("cai@example.com", "Cai")
		var mine struct {
			Viewer struct {
				EmployerInvitations []struct {
					ID, Role string
					Employer struct{ Name string }
				}
			}
		}
		env.Must(cai.Token, `{ viewer { employerInvitations { id role employer { name } } } }`, nil, &mine)
		if l := mine.Viewer.EmployerInvitations; len(l) != 1 || l[0].Employer.Name != "Spree Logistics" || l[0].Role != "MANAGER" {
			t.Fatalf("Cai's invitations: %+v", l)
		}
		answerInvitation(env, cai, "AcceptEmployerInvitation", mine.Viewer.EmployerInvitations[0].ID).Decode(t, &struct{}{})
		var roles struct {
			Viewer struct{ Memberships []struct{ Role string } }
		}
		env.Must(cai.Token, `{ viewer { memberships { role } } }`, nil, &roles)
		if len(roles.Viewer.Memberships) != 1 || roles.Viewer.Memberships[0].Role != "MANAGER" {
			t.Fatalf("Cai's memberships after accepting: %+v", roles)
		}
		// Others never see the invitations addressed to someone.
		var others struct {
			Node struct{ EmployerInvitations []struct{ ID string } }
		}
		env.Must(olga.Token, `query($id: ID!) { node(id: $id) { ... on User { employerInvitations { id } } } }`, map[string]any{"id": bob.ID}, &others)
		if len(others.Node.EmployerInvitations) != 0 {
			t.Fatalf("Olga reads Bob's invitations: %+v", others)
		}

		// A week later Bob's invitation has expired.
		var bobs struct {
			AddEmployerMember struct{ Invitation struct{ ID string } }
		}
		withAccount.Decode(t, &bobs)
		env.Clock.Advance(8 * 24 * time.Hour)
		if r := answerInvitation(env, bob, "AcceptEmployerInvitation", bobs.AddEmployerMember.Invitation.ID); r.Code() != "INVITATION_NOT_PENDING" {
			t.Fatalf("accepting an expired invitation: %+v", r.Errors)
		}

		// An employer has at most 20 invitations waiting.
		for i := range 20 {
			shape(invite(env, olga, emp, fmt.Sprintf("person%d@example.com", i), "VIEWER"))
		}
		if r := invite(env, olga, emp, "one-too-many@example.com", "VIEWER"); r.Code() != "TOO_MANY_PENDING_INVITATIONS" {
			t.Fatalf("a 21st invitation: %+v", r.Errors)
		}
	})
}
