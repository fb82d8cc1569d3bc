package server_test

import (
	"strings"
	"testing"
	"time"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/server/servertest"
)

// TestAnEmployerEditsAShift: a raise on a published shift with a hire
// re-issues the hire's contract — signed by the employer, waiting for the
// worker, who cannot check in until she signs — and tells her and the
// applicants; the times stay while someone is hired; within 24 hours of the
// start nothing changes; strangers and viewers change nothing; a refused
// edit leaves the database as it was. The shift is then booked again.
func TestAnEmployerEditsAShift(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env := servertest.Start(t, db)
		olga, eve := env.SignUp("olga@example.com", "Olga"), env.SignUp("eve@example.com", "Eve")
		emp := createEmployer(t, env, olga, "Spree Logistics")
		ana, ben := newWorker(t, env, "ana@example.com", "Ana"), newWorker(t, env, "ben@example.com", "Ben")
		start := env.Clock.Now().Add(72 * time.Hour).Truncate(time.Hour)
		shift := postShift(t, env, olga, emp, map[string]any{"startsAt": start.Format(time.RFC3339), "endsAt": start.Add(8 * time.Hour).Format(time.RFC3339)})
		c := newChain(t, env, olga, ana, apply(env, ana, shift))
		c.hire()
		apply(env, ben, shift)

		edit := func(who servertest.Account, fields map[string]any) servertest.Response {
			fields["shiftID"] = shift
			return env.Op(who.Token, "UpdateShift", input(fields))
		}
		before := env.Fingerprint(t)
		if r := edit(eve, map[string]any{"title": "Night picker"}); r.Code() != "NOT_FOUND" && r.Code() != "FORBIDDEN" {
			t.Fatalf("a stranger editing: %+v", r.Errors)
		}
		later := start.Add(24 * time.Hour)
		if r := edit(olga, map[string]any{"startsAt": later.Format(time.RFC3339), "endsAt": later.Add(8 * time.Hour).Format(time.RFC3339)}); r.Code() != "SHIFT_LOCKED" {
			t.Fatalf("moving a shift with a hire: %+v", r.Errors)
		}
		if r := edit(olga, map[string]any{"slots": 0, "unpaidBreakMinutes": 999}); r.Code() != "BAD_USER_INPUT" || len(r.Fields()) != 2 {
			t.Fatalf("bad fields: %+v", r.Errors)
		}
		if env.Fingerprint(t) != before {
			t.Fatal("a refused edit changed the database")
		}

		var edited struct {
			UpdateShift struct{ Shift struct{ HourlyRate int } }
		}
		edit(olga, map[string]any{"pay": map[string]any{"amount": 1700, "currency": "EUR"}, "description": "Bring safety shoes."}).Decode(t, &edited)
		if edited.UpdateShift.Shift.HourlyRate != 1700 {
			t.Fatalf("after the raise: %+v", edited)
		}
		var k struct {
			Node struct {
				Body             string
				Revision         int
				WorkerSignedAt   *time.Time
				EmployerSignedAt *time.Time
			}
		}
		env.MustOp(ana.Token, "ContractDetail", map[string]any{"id": c.contract}, &k)
		if k.Node.Revision != 2 || !strings.Contains(k.Node.Body, "€17.00 per hour") || k.Node.WorkerSignedAt != nil || k.Node.EmployerSignedAt == nil {
			t.Fatalf("the re-issued contract: revision %d, worker signed %v, employer signed %v", k.Node.Revision, k.Node.WorkerSignedAt, k.Node.EmployerSignedAt)
		}
		for _, who := range []servertest.Account{ana, ben} {
			if !inboxHas(t, env, who, "Warehouse picker has changed") {
				t.Fatalf("%s was not told of the change", who.Email)
			}
		}
		env.Clock.Advance(start.Sub(env.Clock.Now()))
		if r := env.Op(ana.Token, "CheckIn", input(map[string]any{"assignmentID": c.assignment, "location": place})); r.Code() != "CONTRACT_NOT_SIGNED" {
			t.Fatalf("checking in before signing the new terms: %+v", r.Errors)
		}
		env.MustOp(ana.Token, "SignContract", input(map[string]any{"contractID": c.contract}), &struct{}{})
		env.MustOp(ana.Token, "CheckIn", input(map[string]any{"assignmentID": c.assignment, "location": place}), &struct{}{})
		if r := edit(olga, map[string]any{"title": "Late change"}); r.Code() != "SHIFT_LOCKED" {
			t.Fatalf("editing a started shift: %+v", r.Errors)
		}

		// Book again, next week.
		var again struct {
			DuplicateShift struct {
				Shift struct {
					ID, Status, Title string
					StartsAt, EndsAt  time.Time
				}
			}
		}
		next := start.AddDate(0, 0, 7)
		env.MustOp(olga.Token, "DuplicateShift", input(map[string]any{"shiftID": shift, "startsAt": next.Format(time.RFC3339)}), &again)
		if d := again.DuplicateShift.Shift; d.Status != "DRAFT" || d.ID == shift || !d.StartsAt.Equal(next) || d.EndsAt.Sub(d.StartsAt) != 8*time.Hour {
			t.Fatalf("booked again: %+v", d)
		}
		if r := env.Op(eve.Token, "DuplicateShift", input(map[string]any{"shiftID": shift, "startsAt": next.Format(time.RFC3339)})); r.Code() == "" {
			t.Fatal("a stranger booked another employer's shift again")
		}
	})
}

// TestAnEmployerEditsItsDetails: owners and managers edit the employer;
// a stranger cannot.
func TestAnEmployerEditsItsDetails(t *testing.T) {
	env := servertest.Start(t, entdbtest.Open(t, "sqlite3"))
	olga, eve := env.SignUp("olga@example.com", "Olga"), env.SignUp("eve@example.com", "Eve")
	emp := createEmployer(t, env, olga, "Spree Logistics")
	in := input(map[string]any{"employerID": emp, "name": "Spree Logistik GmbH", "website": "https://spree.example"})
	if r := env.Op(eve.Token, "UpdateEmployer", in); r.Code() != "NOT_FOUND" && r.Code() != "FORBIDDEN" {
		t.Fatalf("a stranger editing the employer: %+v", r.Errors)
	}
	var out struct {
		UpdateEmployer struct {
			Employer struct{ Name, Website string }
		}
	}
	env.MustOp(olga.Token, "UpdateEmployer", in, &out)
	if e := out.UpdateEmployer.Employer; e.Name != "Spree Logistik GmbH" || e.Website != "https://spree.example" {
		t.Fatalf("after the edit: %+v", e)
	}
	if r := env.Op(olga.Token, "UpdateEmployer", input(map[string]any{"employerID": emp, "website": "not a url"})); r.Code() != "BAD_USER_INPUT" || r.Fields()[0] != "website" {
		t.Fatalf("a bad website: %+v", r.Errors)
	}
}
