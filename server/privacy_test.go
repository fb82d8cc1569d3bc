package server_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/membership"
	"flexwork/ent/rule"
	"flexwork/ent/schema/enum"
	"flexwork/server/servertest"
)

// cast is a small world: Ana and Bob work; Olga owns Linde, where Max
// manages and Vic only views; Eve owns another employer.
type cast struct {
	env                  *servertest.Env
	ana, bob, olga, max  servertest.Account
	vic, eve             servertest.Account
	anaWorker, linde     string
	lindeDraft, otherEmp string
}

func newCast(t *testing.T, db *entdb.DB) *cast {
	env := servertest.Start(t, db)
	c := &cast{env: env,
		ana: env.SignUp("ana@example.com", "Ana"), bob: env.SignUp("bob@example.com", "Bob"),
		olga: env.SignUp("olga@example.com", "Olga"), max: env.SignUp("max@example.com", "Max"),
		vic: env.SignUp("vic@example.com", "Vic"), eve: env.SignUp("eve@example.com", "Eve"),
	}
	var p struct {
		UpdateWorkerProfile struct{ WorkerProfile struct{ ID string } }
	}
	env.Must(c.ana.Token, `mutation { updateWorkerProfile(input: {headline: "Barista", homeLocation: {lat: 52.5, lng: 13.4},
		travelRadiusKm: 12, minHourlyRate: {amount: 1500, currency: "EUR"}}) { workerProfile { id } } }`, nil, &p)
	c.anaWorker = p.UpdateWorkerProfile.WorkerProfile.ID
	c.linde = createEmployer(t, env, c.olga, "Café Linde")
	c.otherEmp = createEmployer(t, env, c.eve, "Eve's Bistro")
	addMember(t, env, c.olga, c.linde, c.max, "MANAGER")
	addMember(t, env, c.olga, c.linde, c.vic, "VIEWER")
	// A draft shift, written straight to the database: posting shifts is
	// the marketplace's business, not this test's.
	s, err := db.Shift.Create().SetEmployerID(c.linde).SetCreatedByID(c.olga.ID).SetTitle("Barista").
		SetEngagementType(enum.PartTime).SetAddress("Lindenstr. 1").SetLat(52.5).SetLng(13.4).
		SetStartsAt(time.Now().Add(48 * time.Hour)).SetEndsAt(time.Now().Add(52 * time.Hour)).
		SetTimeZone("Europe/Berlin").SetPayRate(1500).SetCurrency("EUR").SetPayUnit("HOUR").SetSlots(2).
		Save(rule.System(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	c.lindeDraft = s.ID
	return c
}

func createEmployer(t testing.TB, env *servertest.Env, a servertest.Account, name string) string {
	var out struct {
		CreateEmployer struct {
			Employer   struct{ ID string }
			Membership struct{ Role string }
		}
	}
	env.MustOp(a.Token, "CreateEmployer", input(map[string]any{"name": name}), &out)
	if out.CreateEmployer.Membership.Role != "OWNER" {
		t.Fatalf("creating an employer made its creator %q, want OWNER", out.CreateEmployer.Membership.Role)
	}
	return out.CreateEmployer.Employer.ID
}

// invite invites an address to a role in an employer.
func invite(env *servertest.Env, by servertest.Account, employer, email, role string) servertest.Response {
	return env.Op(by.Token, "AddEmployerMember", input(map[string]any{"employerID": employer, "email": email, "role": role}))
}

// answerInvitation runs the apps' operation (AcceptEmployerInvitation,
// DeclineEmployerInvitation or RevokeEmployerInvitation) on an invitation.
func answerInvitation(env *servertest.Env, who servertest.Account, op, invitation string) servertest.Response {
	return env.Op(who.Token, op, input(map[string]any{"invitationID": invitation}))
}

// addMember invites who to a role, and who accepts; it returns the
// membership's ID.
func addMember(t *testing.T, env *servertest.Env, by servertest.Account, employer string, who servertest.Account, role string) string {
	t.Helper()
	var out struct {
		AddEmployerMember struct{ Invitation struct{ ID string } }
	}
	invite(env, by, employer, who.Email, role).Decode(t, &out)
	var joined struct {
		AcceptEmployerInvitation struct{ Membership struct{ ID string } }
	}
	answerInvitation(env, who, "AcceptEmployerInvitation", out.AddEmployerMember.Invitation.ID).Decode(t, &joined)
	return joined.AcceptEmployerInvitation.Membership.ID
}

func TestStrangersSeeOnlyPublicFields(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		c := newCast(t, db)
		const userQ = `query($id: ID!) { node(id: $id) { ... on User { displayName email } } }`
		var u struct {
			Node struct {
				DisplayName string
				Email       *string
			}
		}
		c.env.Must(c.bob.Token, userQ, map[string]any{"id": c.ana.ID}, &u)
		if u.Node.DisplayName != "Ana" || u.Node.Email != nil {
			t.Fatalf("Bob sees Ana as %+v; want her name and no email", u.Node)
		}
		c.env.Must(c.ana.Token, userQ, map[string]any{"id": c.ana.ID}, &u)
		if u.Node.Email == nil || *u.Node.Email != "ana@example.com" {
			t.Fatalf("Ana cannot see her own email: %+v", u.Node)
		}

		const workerQ = `query($id: ID!) { node(id: $id) { ... on WorkerProfile { headline homeLocation { lat } travelRadiusKm minHourlyRate { amount } } } }`
		type worker struct {
			Headline       string
			HomeLocation   *struct{ Lat float64 }
			TravelRadiusKm *int
			MinHourlyRate  *struct{ Amount int }
		}
		var w struct{ Node worker }
		c.env.Must(c.olga.Token, workerQ, map[string]any{"id": c.anaWorker}, &w)
		if w.Node.Headline != "Barista" || w.Node.HomeLocation != nil || w.Node.TravelRadiusKm != nil || w.Node.MinHourlyRate != nil {
			t.Fatalf("an employer sees Ana's private profile fields: %+v", w.Node)
		}
		c.env.Must(c.ana.Token, workerQ, map[string]any{"id": c.anaWorker}, &w)
		if w.Node.HomeLocation == nil || *w.Node.TravelRadiusKm != 12 || w.Node.MinHourlyRate.Amount != 1500 {
			t.Fatalf("Ana cannot see her own profile: %+v", w.Node)
		}
	})
}

func TestStrangerCannotReachAnotherEmployersData(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		c := newCast(t, db)
		var members struct {
			Node struct{ Memberships []struct{ ID string } }
		}
		const membersQ = `query($id: ID!) { node(id: $id) { ... on Employer { memberships { id } } } }`
		c.env.Must(c.vic.Token, membersQ, map[string]any{"id": c.linde}, &members)
		if len(members.Node.Memberships) != 3 {
			t.Fatalf("a member sees %d memberships, want 3", len(members.Node.Memberships))
		}
		memberIDs := []string{members.Node.Memberships[0].ID, members.Node.Memberships[1].ID}

		// Eve sees Linde's public profile but none of its members…
		c.env.Must(c.eve.Token, membersQ, map[string]any{"id": c.linde}, &members)
		if len(members.Node.Memberships) != 0 {
			t.Fatalf("a stranger sees %d of Linde's memberships", len(members.Node.Memberships))
		}
		// … not through node, …
		r := c.env.Do(c.eve.Token, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": memberIDs[0]})
		if r.Code() != "NOT_FOUND" {
			t.Fatalf("node(membership) for a stranger: %+v, want NOT_FOUND", r.Errors)
		}
		// … not through nodes, which answers null and NOT_FOUND in their
		// places, exactly as for IDs that never existed, …
		var ns struct{ Nodes []*struct{ ID string } }
		r = c.env.Do(c.eve.Token, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`,
			map[string]any{"ids": []string{memberIDs[0], c.linde, c.lindeDraft, "shf_01JD0000000000000000000000"}})
		if err := jsonUnmarshal(r.Data, &ns); err != nil {
			t.Fatal(err)
		}
		if len(ns.Nodes) != 4 || ns.Nodes[0] != nil || ns.Nodes[1] == nil || ns.Nodes[1].ID != c.linde || ns.Nodes[2] != nil || ns.Nodes[3] != nil {
			t.Fatalf("nodes() = %s; want only the employer's public profile", r.Data)
		}
		if len(r.Errors) != 3 || r.Code() != "NOT_FOUND" {
			t.Fatalf("nodes() errors = %+v; want NOT_FOUND for the three hidden or missing IDs", r.Errors)
		}
		// … and not the draft shift in a list or by node.
		var list struct {
			Shifts struct {
				Edges []struct{ Node struct{ ID string } }
			}
		}
		const shiftsQ = `{ shifts(first: 50) { edges { node { id } } } }`
		c.env.Must(c.eve.Token, shiftsQ, nil, &list)
		if len(list.Shifts.Edges) != 0 {
			t.Fatalf("a stranger lists %d shifts, want none (Linde's only shift is a draft)", len(list.Shifts.Edges))
		}
		if r := c.env.Do(c.eve.Token, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": c.lindeDraft}); r.Code() != "NOT_FOUND" {
			t.Fatalf("node(draft) for a stranger: %+v", r.Errors)
		}
		c.env.Must(c.vic.Token, shiftsQ, nil, &list)
		if len(list.Shifts.Edges) != 1 || list.Shifts.Edges[0].Node.ID != c.lindeDraft {
			t.Fatalf("Linde's viewer lists %+v, want the draft", list.Shifts.Edges)
		}

		// Without a token nothing but the skills is readable.
		if r := c.env.Do("", membersQ, map[string]any{"id": c.linde}); r.Code() != "UNAUTHENTICATED" {
			t.Fatalf("anonymous node(employer): %+v", r.Errors)
		}
		var skills struct{ Skills struct{ TotalCount int } }
		c.env.Must("", `{ skills(first: 1) { totalCount } }`, nil, &skills)
		if skills.Skills.TotalCount < 50 {
			t.Fatalf("the taxonomy has %d skills, want about 60", skills.Skills.TotalCount)
		}
	})
}

func TestEmployerRoles(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		c := newCast(t, db)
		count := func() int {
			n, err := db.Membership.Query().Count(rule.System(context.Background()))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := count()
		// A viewer may look but not invite people.
		if r := invite(c.env, c.vic, c.linde, c.bob.Email, "VIEWER"); r.Code() != "FORBIDDEN" {
			t.Fatalf("viewer invites a member: %+v, want FORBIDDEN", r.Errors)
		}
		// A manager may invite managers and viewers, but not owners.
		if r := invite(c.env, c.max, c.linde, c.bob.Email, "OWNER"); r.Code() != "FORBIDDEN" || r.Errors[0].Message != "only owners can invite owners" {
			t.Fatalf("manager invites an owner: %+v, want FORBIDDEN", r.Errors)
		}
		// A stranger is not told the employer exists.
		if r := invite(c.env, c.eve, c.linde, c.bob.Email, "VIEWER"); r.Code() != "NOT_FOUND" {
			t.Fatalf("stranger invites a member: %+v, want NOT_FOUND", r.Errors)
		}
		if n := count(); n != before {
			t.Fatalf("refused invitations wrote %d memberships", n-before)
		}
		var ok struct {
			AddEmployerMember struct {
				Invitation struct{ ID, Role, Status string }
			}
		}
		invite(c.env, c.max, c.linde, c.bob.Email, "VIEWER").Decode(t, &ok)
		if inv := ok.AddEmployerMember.Invitation; inv.Role != "VIEWER" || inv.Status != "PENDING" {
			t.Fatalf("manager's invitation = %+v", ok)
		}
		if n := count(); n != before {
			t.Fatal("an invitation made a member before it was accepted")
		}
		answer := func(who servertest.Account, op string) servertest.Response {
			return answerInvitation(c.env, who, op, ok.AddEmployerMember.Invitation.ID)
		}
		// Nobody but Bob answers for him, not even the employer's owner.
		for _, who := range []servertest.Account{c.eve, c.olga} {
			if r := answer(who, "AcceptEmployerInvitation"); r.Code() != "NOT_FOUND" {
				t.Fatalf("someone else accepting Bob's invitation: %+v", r.Errors)
			}
		}
		var accepted struct {
			AcceptEmployerInvitation struct {
				Invitation struct{ Status string }
				Membership struct{ Role string }
			}
		}
		answer(c.bob, "AcceptEmployerInvitation").Decode(t, &accepted)
		if a := accepted.AcceptEmployerInvitation; a.Invitation.Status != "ACCEPTED" || a.Membership.Role != "VIEWER" {
			t.Fatalf("accepting: %+v", a)
		}
		if r := answer(c.bob, "DeclineEmployerInvitation"); r.Code() != "INVITATION_NOT_PENDING" {
			t.Fatalf("answering twice: %+v", r.Errors)
		}
		// The new role takes effect on the next request, without a new token.
		var members struct {
			Node struct {
				Memberships []struct{ Role membership.Role }
			}
		}
		c.env.Must(c.bob.Token, `query($id: ID!) { node(id: $id) { ... on Employer { memberships { role } } } }`, map[string]any{"id": c.linde}, &members)
		if len(members.Node.Memberships) != 4 {
			t.Fatalf("Bob, now a viewer, sees %d memberships, want 4", len(members.Node.Memberships))
		}
		roles := []string{}
		for _, m := range members.Node.Memberships {
			roles = append(roles, string(m.Role))
		}
		slices.Sort(roles)
		if !slices.Equal(roles, []string{"MANAGER", "OWNER", "VIEWER", "VIEWER"}) {
			t.Fatalf("roles = %v", roles)
		}
	})
}
