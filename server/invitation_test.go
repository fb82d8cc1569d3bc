package server_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
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

// TestMembersComeAndGo: owners change roles and remove members, managers
// remove managers and viewers, anyone leaves — and an employer keeps an
// owner, even when its two owners remove each other at the same moment.
func TestMembersComeAndGo(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env := servertest.Start(t, db)
		olga, otto, max, vic := env.SignUp("olga@example.com", "Olga"), env.SignUp("otto@example.com", "Otto"),
			env.SignUp("max@example.com", "Max"), env.SignUp("vic@example.com", "Vic")
		emp := createEmployer(t, env, olga, "Spree Logistics")
		addMember(t, env, olga, emp, otto, "OWNER")
		addMember(t, env, olga, emp, max, "MANAGER")
		addMember(t, env, olga, emp, vic, "VIEWER")
		membershipOf := func(who servertest.Account) string {
			var out struct {
				Node struct {
					Memberships []struct {
						ID   string
						User struct{ ID string }
					}
				}
			}
			env.Must(olga.Token, `query($id: ID!) { node(id: $id) { ... on Employer { memberships { id user { id } } } } }`, map[string]any{"id": emp}, &out)
			for _, m := range out.Node.Memberships {
				if m.User.ID == who.ID {
					return m.ID
				}
			}
			return ""
		}
		change := func(by servertest.Account, of servertest.Account, role string) servertest.Response {
			return env.Op(by.Token, "ChangeMemberRole", input(map[string]any{"membershipID": membershipOf(of), "role": role}))
		}
		remove := func(by, of servertest.Account) servertest.Response {
			return env.Op(by.Token, "RemoveMember", input(map[string]any{"membershipID": membershipOf(of)}))
		}
		if r := change(max, vic, "MANAGER"); r.Code() != "FORBIDDEN" {
			t.Fatalf("a manager changing roles: %+v", r.Errors)
		}
		if r := remove(max, otto); r.Code() != "FORBIDDEN" {
			t.Fatalf("a manager removing an owner: %+v", r.Errors)
		}
		if r := remove(vic, max); r.Code() != "FORBIDDEN" {
			t.Fatalf("a viewer removing a manager: %+v", r.Errors)
		}
		if r := change(olga, vic, "MANAGER"); r.Code() != "" {
			t.Fatal(r.Errors)
		}
		if !inboxHas(t, env, vic, "Your role at Spree Logistics changed") {
			t.Fatal("Vic was not told of her new role")
		}
		if r := remove(max, vic); r.Code() != "" {
			t.Fatal(r.Errors)
		}
		if !inboxHas(t, env, vic, "You no longer act for Spree Logistics") {
			t.Fatal("Vic was not told she was removed")
		}
		env.MustOp(max.Token, "LeaveEmployer", input(map[string]any{"employerID": emp}), &struct{}{})
		if !inboxHas(t, env, olga, "A member left Spree Logistics") {
			t.Fatal("the owners were not told Max left")
		}
		// The two owners remove each other at once: one stays.
		before := []string{membershipOf(olga), membershipOf(otto)}
		errs := make([]servertest.Response, 2)
		var wg sync.WaitGroup
		for i, pair := range [][2]servertest.Account{{olga, otto}, {otto, olga}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = env.Op(pair[0].Token, "RemoveMember", input(map[string]any{"membershipID": before[1-i]}))
			}()
		}
		wg.Wait()
		codes := []string{errs[0].Code(), errs[1].Code()}
		slices.Sort(codes)
		if codes[0] != "" || (codes[1] != "LAST_OWNER" && codes[1] != "NOT_FOUND") {
			t.Fatalf("two owners removing each other: %v", codes)
		}
		var owners struct {
			Node struct{ Memberships []struct{ Role string } }
		}
		survivor := olga // who removed the other first
		if errs[0].Code() != "" {
			survivor = otto
		}
		env.Must(survivor.Token, `query($id: ID!) { node(id: $id) { ... on Employer { memberships { role } } } }`, map[string]any{"id": emp}, &owners)
		if len(owners.Node.Memberships) != 1 || owners.Node.Memberships[0].Role != "OWNER" {
			t.Fatalf("after the race the employer has %+v", owners.Node.Memberships)
		}
		if r := env.Op(survivor.Token, "LeaveEmployer", input(map[string]any{"employerID": emp})); r.Code() != "LAST_OWNER" {
			t.Fatalf("the last owner leaving: %+v", r.Errors)
		}
	})
}
