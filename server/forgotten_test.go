package server_test

import (
	"testing"
	"time"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/server/servertest"
)

// TestAForgottenCheckOutStillGetsPaid: a worker who never checks out is
// closed at the shift's end by the sweep, for the employer to review, and
// both hear of it; the worker says when she really left, and the employer
// records the time, which approves it. Refusals say why and change
// nothing.
func TestAForgottenCheckOutStillGetsPaid(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env := servertest.Start(t, db)
		olga, eve := env.SignUp("olga@example.com", "Olga"), env.SignUp("eve@example.com", "Eve")
		emp := createEmployer(t, env, olga, "Spree Logistics")
		ana := newWorker(t, env, "ana@example.com", "Ana")
		shift := postShift(t, env, olga, emp, nil) // starts in 2 hours, 8 hours long, 30 minutes' break
		c := newChain(t, env, olga, ana, apply(env, ana, shift))
		c.hire()
		var s struct {
			Node struct{ StartsAt, EndsAt time.Time }
		}
		env.Must(olga.Token, `query($id: ID!) { node(id: $id) { ... on Shift { startsAt endsAt } } }`, map[string]any{"id": shift}, &s)
		start, end := s.Node.StartsAt, s.Node.EndsAt
		env.Clock.Advance(start.Sub(env.Clock.Now()))
		env.MustOp(ana.Token, "CheckIn", input(map[string]any{"assignmentID": c.assignment, "location": place}), &struct{}{})

		claim := func(at time.Time) servertest.Response {
			return env.Op(ana.Token, "ClaimTime", input(map[string]any{"assignmentID": c.assignment,
				"checkedOutAt": at.Format(time.RFC3339), "note": "my phone died"}))
		}
		record := func(who servertest.Account, in, out time.Time) servertest.Response {
			return env.Op(who.Token, "RecordTime", input(map[string]any{"assignmentID": c.assignment,
				"checkedInAt": in.Format(time.RFC3339), "checkedOutAt": out.Format(time.RFC3339), "reason": "left early, signed off by the site lead"}))
		}
		// While check-out is open, she checks out: no claim.
		env.Clock.Advance(end.Add(time.Hour).Sub(env.Clock.Now()))
		before := env.Fingerprint(t)
		if r := claim(end.Add(-time.Hour)); r.Code() != "CHECK_OUT_STILL_OPEN" {
			t.Fatalf("a claim while check-out is open: %+v", r.Errors)
		}
		// Times that cannot be the shift's are refused, every field at once;
		// strangers and viewers are refused too.
		if r := record(olga, start.Add(-2*time.Hour), start.Add(-3*time.Hour)); r.Code() != "BAD_USER_INPUT" ||
			len(r.Fields()) != 2 || r.Fields()[0] != "checkedInAt" || r.Fields()[1] != "checkedOutAt" {
			t.Fatalf("recording impossible times: %+v", r.Errors)
		}
		if r := record(eve, start, end); r.Code() != "NOT_FOUND" {
			t.Fatalf("a stranger recording time: %+v", r.Errors)
		}
		if env.Fingerprint(t) != before {
			t.Fatal("a refusal changed the database")
		}

		// Past the window the sweep closes her check-in at the shift's end.
		env.Clock.Advance(end.Add(5 * time.Hour).Sub(env.Clock.Now()))
		if n, err := env.Server.Market.CloseForgottenCheckIns(t.Context()); err != nil || n != 1 {
			t.Fatalf("the sweep closed %d check-ins: %v", n, err)
		}
		var sheet struct {
			Node struct {
				Status, CheckedOutAt string
				Timesheet            struct {
					ID, Status, Source string
					WorkedMinutes      int
				}
			}
		}
		env.Must(ana.Token, `query($id: ID!) { node(id: $id) { ... on Assignment { status checkedOutAt timesheet { id status source workedMinutes } } } }`,
			map[string]any{"id": c.assignment}, &sheet)
		if a := sheet.Node; a.Status != "CHECKED_OUT" || a.Timesheet.Source != "CLOSED_AFTER_SHIFT" || a.Timesheet.Status != "SUBMITTED" ||
			a.Timesheet.WorkedMinutes != 8*60-30 {
			t.Fatalf("after the sweep: %+v; want checked out at the end, 450 minutes for review", a)
		}
		for who, want := range map[servertest.Account]string{ana: "You did not check out of Warehouse picker", olga: "A worker did not check out of Warehouse picker"} {
			if !inboxHas(t, env, who, want) {
				t.Fatalf("%s was not told: %q", who.Email, want)
			}
		}
		// She says she left an hour early; Olga hears of it and records it.
		if r := claim(end.Add(-time.Hour)); r.Code() != "" {
			t.Fatal(r.Errors)
		}
		if !inboxHas(t, env, olga, "A worker says when they left Warehouse picker") {
			t.Fatal("the employer was not told of the claim")
		}
		var recorded struct {
			RecordTime struct {
				Assignment struct{ Status string }
				Timesheet  struct {
					Status, Source  string
					ApprovedMinutes int
				}
			}
		}
		record(olga, start, end.Add(-time.Hour)).Decode(t, &recorded)
		if r := recorded.RecordTime; r.Assignment.Status != "APPROVED" || r.Timesheet.Status != "APPROVED" ||
			r.Timesheet.Source != "RECORDED_BY_EMPLOYER" || r.Timesheet.ApprovedMinutes != 7*60-30 {
			t.Fatalf("recorded: %+v; want approved at 390 minutes", r)
		}
		// Once approved, the time is disputed, not recorded again.
		if r := record(olga, start, end); r.Code() != "TIMESHEET_NOT_OPEN" {
			t.Fatalf("recording over an approval: %+v", r.Errors)
		}
	})
}

// TestAForgottenCheckInIsRecorded: a worker who could not check in at all
// gets her time recorded by the employer once the shift has started.
func TestAForgottenCheckInIsRecorded(t *testing.T) {
	env := servertest.Start(t, entdbtest.Open(t, "sqlite3"))
	olga := env.SignUp("olga@example.com", "Olga")
	emp := createEmployer(t, env, olga, "Spree Logistics")
	ana := newWorker(t, env, "ana@example.com", "Ana")
	shift := postShift(t, env, olga, emp, nil)
	c := newChain(t, env, olga, ana, apply(env, ana, shift))
	c.hire()
	var s struct {
		Node struct{ StartsAt, EndsAt time.Time }
	}
	env.Must(olga.Token, `query($id: ID!) { node(id: $id) { ... on Shift { startsAt endsAt } } }`, map[string]any{"id": shift}, &s)
	rec := input(map[string]any{"assignmentID": c.assignment, "checkedInAt": s.Node.StartsAt.Format(time.RFC3339),
		"checkedOutAt": s.Node.EndsAt.Format(time.RFC3339), "reason": "her phone was broken"})
	if r := env.Op(olga.Token, "RecordTime", rec); r.Code() != "CHECK_IN_NOT_OPEN" {
		t.Fatalf("recording before the start: %+v", r.Errors)
	}
	env.Clock.Advance(s.Node.EndsAt.Add(time.Hour).Sub(env.Clock.Now()))
	var out struct {
		RecordTime struct{ Timesheet struct{ ApprovedMinutes int } }
	}
	env.MustOp(olga.Token, "RecordTime", rec, &out)
	if out.RecordTime.Timesheet.ApprovedMinutes != 8*60-30 {
		t.Fatalf("recorded %d minutes, want 450", out.RecordTime.Timesheet.ApprovedMinutes)
	}
	if !inboxHas(t, env, ana, "Timesheet approved") {
		t.Fatal("the worker was not told her time was recorded and approved")
	}
}

// inboxHas reports whether who has a notification with this title.
func inboxHas(t *testing.T, env *servertest.Env, who servertest.Account, title string) bool {
	t.Helper()
	var inbox struct {
		Notifications struct {
			Edges []struct{ Node struct{ Title string } }
		}
	}
	env.Must(who.Token, `{ notifications(first: 50) { edges { node { title } } } }`, nil, &inbox)
	for _, e := range inbox.Notifications.Edges {
		if e.Node.Title == title {
			return true
		}
	}
	return false
}
