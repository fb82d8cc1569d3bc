package server_test

import (
	"strings"
	"testing"
	"time"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/ledgerentry"
	"flexwork/ent/rule"
	"flexwork/server/servertest"
)

type sheetView struct {
	ID, Status, PaymentStatus, EscalatedBy, DecisionNote string
	ApprovedMinutes, ProposedMinutes                     *int
	AmountOwed                                           *int64
}

func timesheetOf(t *testing.T, env *servertest.Env, who servertest.Account, id string) sheetView {
	t.Helper()
	var out struct{ Node sheetView }
	env.MustOp(who.Token, "TimesheetDetail", map[string]any{"id": id}, &out)
	return out.Node
}

// TestATimesheetDisputeReachesStaff: the worker proposes other minutes
// before approval and the employer takes them; after approval she disputes
// the break, the employer holds to it, she takes it to staff; the employer
// can no longer change it, strangers cannot see staff's queue, and staff's
// decision is final, on the ledger, owed and told to both.
func TestATimesheetDisputeReachesStaff(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env := servertest.Start(t, db)
		olga, eve := env.SignUp("olga@example.com", "Olga"), env.SignUp("eve@example.com", "Eve")
		emp := createEmployer(t, env, olga, "Spree Logistics")
		ana := newWorker(t, env, "ana@example.com", "Ana")
		staff := makeStaff(t, env, db, "sam@example.com")
		c := newChain(t, env, olga, ana, apply(env, ana, postShift(t, env, olga, emp, nil)))
		c.workAndApprove()
		worked := 8*60 - 30
		if s := timesheetOf(t, env, ana, c.timesheet); s.Status != "APPROVED" || *s.ApprovedMinutes != worked {
			t.Fatalf("approved: %+v", s)
		}
		// A correction is for before approval.
		correct := func(minutes int) servertest.Response {
			return env.Op(ana.Token, "ProposeTimesheetCorrection", input(map[string]any{"timesheetID": c.timesheet, "minutes": minutes, "note": "I worked through my break"}))
		}
		if r := correct(worked + 30); r.Code() != "TIMESHEET_NOT_OPEN" {
			t.Fatalf("a correction after approval: %+v", r.Errors)
		}
		escalate := func(who servertest.Account) servertest.Response {
			return env.Op(who.Token, "EscalateTimesheetDispute", input(map[string]any{"timesheetID": c.timesheet,
				"statement": "The site lead saw me work through the break; ask her."}))
		}
		if r := escalate(ana); r.Code() != "TIMESHEET_NOT_OPEN" {
			t.Fatalf("escalating an undisputed timesheet: %+v", r.Errors)
		}
		env.MustOp(ana.Token, "DisputeTimesheet", input(map[string]any{"timesheetID": c.timesheet, "reason": "I took no break: 480 minutes"}), &struct{}{})
		env.MustOp(olga.Token, "ApproveTimesheet", input(map[string]any{"timesheetID": c.timesheet}), &struct{}{}) // holds to 450

		before := env.Fingerprint(t)
		for who, want := range map[servertest.Account]string{eve: "NOT_FOUND", staff: "FORBIDDEN"} {
			if r := escalate(who); r.Code() != want {
				t.Fatalf("%s escalating: %+v, want %s", who.Email, r.Errors, want)
			}
		}
		if r := env.Op(olga.Token, "EscalatedTimesheets", map[string]any{"first": 10}); r.Code() != "FORBIDDEN" {
			t.Fatalf("the employer reading staff's queue: %+v", r.Errors)
		}
		if env.Fingerprint(t) != before {
			t.Fatal("a refusal changed the database")
		}
		if r := escalate(ana); r.Code() != "" {
			t.Fatal(r.Errors)
		}
		if r := escalate(ana); r.Code() != "" {
			t.Fatalf("a retry of the escalation: %+v", r.Errors)
		}
		if r := env.Op(olga.Token, "ApproveTimesheet", input(map[string]any{"timesheetID": c.timesheet, "approvedMinutes": worked + 30, "reason": "fine then"})); r.Code() != "TIMESHEET_ESCALATED" {
			t.Fatalf("the employer approving an escalated timesheet: %+v", r.Errors)
		}
		for who, want := range map[servertest.Account]string{staff: "A timesheet dispute needs a decision", olga: "A timesheet dispute went to staff"} {
			if !inboxHas(t, env, who, want) {
				t.Fatalf("%s was not told %q", who.Email, want)
			}
		}
		if inboxHas(t, env, ana, "A timesheet dispute went to staff") {
			t.Fatal("the worker who escalated was told of her own escalation")
		}
		var queue struct {
			EscalatedTimesheets struct {
				Edges []struct {
					Node struct {
						ID, DisputeReason, AdjustmentReason, EscalationNote string
						Assignment                                          struct{ CheckedInAt, CheckedOutAt *time.Time }
					}
				}
			}
		}
		env.MustOp(staff.Token, "EscalatedTimesheets", map[string]any{"first": 10}, &queue)
		if q := queue.EscalatedTimesheets.Edges; len(q) != 1 || q[0].Node.ID != c.timesheet || q[0].Node.DisputeReason == "" ||
			q[0].Node.EscalationNote == "" || q[0].Node.Assignment.CheckedInAt == nil {
			t.Fatalf("staff's queue: %+v", q)
		}
		decide := input(map[string]any{"timesheetID": c.timesheet, "approvedMinutes": worked + 30, "note": "The site lead confirms no break was taken."})
		if r := env.Op(olga.Token, "DecideTimesheetDispute", decide); r.Code() != "FORBIDDEN" {
			t.Fatalf("the employer deciding: %+v", r.Errors)
		}
		env.MustOp(staff.Token, "DecideTimesheetDispute", decide, &struct{}{})
		s := timesheetOf(t, env, ana, c.timesheet)
		if s.Status != "RESOLVED" || *s.ApprovedMinutes != worked+30 || *s.AmountOwed != 12000 || s.PaymentStatus != "UNPAID" {
			t.Fatalf("decided: %+v; want RESOLVED, 480 minutes, 120.00 EUR owed", s)
		}
		for _, who := range []servertest.Account{ana, olga} {
			if !inboxHas(t, env, who, "Staff decided the timesheet of Warehouse picker") {
				t.Fatalf("%s was not told of the decision", who.Email)
			}
		}
		if n := db.LedgerEntry.Query().Where(ledgerentry.Kind("TIMESHEET_DECIDED"), ledgerentry.SubjectID(c.timesheet)).CountX(rule.System(t.Context())); n != 1 {
			t.Fatalf("%d ledger entries of the decision", n)
		}
		// Final: no more disputes, and the money moves as always.
		if r := env.Op(ana.Token, "DisputeTimesheet", input(map[string]any{"timesheetID": c.timesheet, "reason": "again"})); r.Code() != "TIMESHEET_ESCALATED" {
			t.Fatalf("disputing a decided timesheet: %+v", r.Errors)
		}
		env.MustOp(olga.Token, "MarkPaid", input(map[string]any{"timesheetID": c.timesheet, "reference": "SEPA-42"}), &struct{}{})
		env.MustOp(ana.Token, "ConfirmPayment", input(map[string]any{"timesheetID": c.timesheet}), &struct{}{})
	})
}

// TestAProposedCorrectionIsApprovedAsProposed: the employer approves the
// worker's proposed minutes without a reason of their own; other minutes
// still need one.
func TestAProposedCorrectionIsApprovedAsProposed(t *testing.T) {
	env := servertest.Start(t, entdbtest.Open(t, "sqlite3"))
	olga := env.SignUp("olga@example.com", "Olga")
	emp := createEmployer(t, env, olga, "Spree Logistics")
	ana, ben := newWorker(t, env, "ana@example.com", "Ana"), newWorker(t, env, "ben@example.com", "Ben")
	c := newChain(t, env, olga, ana, apply(env, ana, postShift(t, env, olga, emp, nil)))
	c.hire()
	var s struct {
		Node struct {
			StartsAt, EndsAt time.Time
		}
	}
	env.Must(ana.Token, `query($id: ID!) { node(id: $id) { ... on Shift { startsAt endsAt } } }`, map[string]any{"id": c.shift}, &s)
	env.Clock.Advance(s.Node.StartsAt.Sub(env.Clock.Now()))
	env.MustOp(ana.Token, "CheckIn", input(map[string]any{"assignmentID": c.assignment, "location": place}), &struct{}{})
	env.Clock.Advance(s.Node.EndsAt.Add(20 * time.Minute).Sub(env.Clock.Now()))
	var out struct {
		CheckOut struct{ Timesheet struct{ ID string } }
	}
	env.MustOp(ana.Token, "CheckOut", input(map[string]any{"assignmentID": c.assignment, "location": place}), &out)
	id := out.CheckOut.Timesheet.ID
	proposal := input(map[string]any{"timesheetID": id, "minutes": 450, "note": "I pressed check-out 20 minutes late"})
	if r := env.Op(ben.Token, "ProposeTimesheetCorrection", proposal); r.Code() != "NOT_FOUND" {
		t.Fatalf("a stranger proposing: %+v", r.Errors)
	}
	env.MustOp(ana.Token, "ProposeTimesheetCorrection", proposal, &struct{}{})
	if !inboxHas(t, env, olga, "A worker proposes other hours") {
		t.Fatal("the employer was not told of the proposal")
	}
	if r := env.Op(olga.Token, "ApproveTimesheet", input(map[string]any{"timesheetID": id, "approvedMinutes": 400})); r.Code() != "BAD_USER_INPUT" {
		t.Fatalf("other minutes without a reason: %+v", r.Errors)
	}
	env.MustOp(olga.Token, "ApproveTimesheet", input(map[string]any{"timesheetID": id, "approvedMinutes": 450}), &struct{}{})
	if got := timesheetOf(t, env, ana, id); *got.ApprovedMinutes != 450 || *got.ProposedMinutes != 450 || *got.AmountOwed != 11250 {
		t.Fatalf("approved as proposed: %+v", got)
	}
}

// TestALateCancellationOwesTheWorkerAFee: the employer cancelling a hire
// within 24 hours of the start owes half the scheduled pay, paid like
// wages (and not disputable like hours), and it counts on the employer's
// credit; in good time, nothing is owed.
func TestALateCancellationOwesTheWorkerAFee(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env := servertest.Start(t, db)
		olga := env.SignUp("olga@example.com", "Olga")
		emp := createEmployer(t, env, olga, "Spree Logistics")
		ana := newWorker(t, env, "ana@example.com", "Ana")
		c := newChain(t, env, olga, ana, apply(env, ana, postShift(t, env, olga, emp, nil))) // starts in 2 hours
		c.hire()
		var contract struct {
			Node struct{ Body string }
		}
		env.Must(ana.Token, `query($id: ID!) { node(id: $id) { ... on Contract { body } } }`, map[string]any{"id": c.contract}, &contract)
		if !strings.Contains(contract.Node.Body, "cancellation fee of half the pay for the scheduled time (€56.25)") {
			t.Fatalf("the contract does not state the fee:\n%s", contract.Node.Body)
		}
		var cancelled struct {
			CancelAssignment struct{ Assignment struct{ Status string } }
		}
		env.MustOp(olga.Token, "CancelAssignment", input(map[string]any{"assignmentID": c.assignment, "reason": "the delivery was postponed"}), &cancelled)
		var a struct {
			Node struct {
				Status    string
				Timesheet *struct {
					ID, Source, Status, PaymentStatus string
					AmountOwed                        int64
				}
			}
		}
		env.Must(ana.Token, `query($id: ID!) { node(id: $id) { ... on Assignment { status timesheet { id source status paymentStatus amountOwed } } } }`,
			map[string]any{"id": c.assignment}, &a)
		if a.Node.Timesheet == nil || a.Node.Timesheet.Source != "CANCELLATION_FEE" || a.Node.Timesheet.AmountOwed != 5625 ||
			a.Node.Timesheet.PaymentStatus != "UNPAID" || a.Node.Status != "CANCELLED_BY_EMPLOYER" {
			t.Fatalf("after a late cancellation: %+v; want 56.25 EUR owed", a.Node)
		}
		fee := a.Node.Timesheet.ID
		if !inboxHas(t, env, ana, "A cancellation fee is owed to you: Warehouse picker") {
			t.Fatal("the worker was not told of the fee")
		}
		if r := env.Op(ana.Token, "DisputeTimesheet", input(map[string]any{"timesheetID": fee, "reason": "more"})); r.Code() != "NOT_DISPUTABLE" {
			t.Fatalf("disputing a fee: %+v", r.Errors)
		}
		var report struct {
			CreditReport struct {
				Factors []struct {
					Events []struct{ Kind string }
				}
			}
		}
		env.MustOp(olga.Token, "CreditReport", map[string]any{"subjectID": emp}, &report)
		late := 0
		for _, f := range report.CreditReport.Factors {
			for _, e := range f.Events {
				if e.Kind == "SHIFT_CANCELLED_LATE" {
					late++
				}
			}
		}
		if late != 1 {
			t.Fatalf("the employer's credit holds %d late cancellations, want 1: %+v", late, report)
		}
		env.MustOp(olga.Token, "MarkPaid", input(map[string]any{"timesheetID": fee, "reference": "SEPA-7"}), &struct{}{})
		env.MustOp(ana.Token, "ConfirmPayment", input(map[string]any{"timesheetID": fee}), &struct{}{})
		env.Must(ana.Token, `query($id: ID!) { node(id: $id) { ... on Assignment { status timesheet { id source status paymentStatus amountOwed } } } }`,
			map[string]any{"id": c.assignment}, &a)
		if a.Node.Status != "CANCELLED_BY_EMPLOYER" || a.Node.Timesheet.PaymentStatus != "CONFIRMED" {
			t.Fatalf("after the fee is paid: %+v; the hire stays cancelled", a.Node)
		}

		// A cancellation days ahead owes nothing.
		early := postShift(t, env, olga, emp, map[string]any{
			"startsAt": env.Clock.Now().Add(72 * time.Hour).Format(time.RFC3339), "endsAt": env.Clock.Now().Add(80 * time.Hour).Format(time.RFC3339)})
		d := newChain(t, env, olga, ana, apply(env, ana, early))
		d.hire()
		env.MustOp(olga.Token, "CancelAssignment", input(map[string]any{"assignmentID": d.assignment, "reason": "plans changed"}), &struct{}{})
		env.Must(ana.Token, `query($id: ID!) { node(id: $id) { ... on Assignment { status timesheet { id source status paymentStatus amountOwed } } } }`,
			map[string]any{"id": d.assignment}, &a)
		if a.Node.Timesheet != nil {
			t.Fatalf("a cancellation 3 days ahead owes %+v", a.Node.Timesheet)
		}
	})
}
