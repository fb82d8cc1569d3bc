package market_test

import (
	"context"
	"testing"
	"time"

	"flexwork/ent"
	"flexwork/ent/application"
	"flexwork/ent/assignment"
	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/offer"
	"flexwork/ent/rosterentry"
	"flexwork/ent/rule"
	"flexwork/ent/shift"
	"flexwork/ent/timesheet"
	"flexwork/ent/viewer"
	"flexwork/market"
)

var sys = rule.System(context.Background())

// hire takes a worker from application to a signed contract.
func (w *world) hire(workerCtx context.Context, s *ent.Shift) *ent.Assignment {
	a, err := w.m.AcceptOffer(workerCtx, w.offer(workerCtx, s).ID)
	if err != nil {
		w.t.Fatalf("accept: %v", err)
	}
	if a.Contract == nil || a.Contract.AssignmentID != a.Assignment.ID {
		w.t.Fatalf("accepting did not answer with the hire's contract: %+v", a.Contract)
	}
	for _, who := range []context.Context{workerCtx, w.manager} {
		if _, err := w.m.SignContract(who, a.Contract.ID); err != nil {
			w.t.Fatalf("sign: %v", err)
		}
	}
	return a.Assignment
}

// work checks the worker in at the start and out at the end.
func (w *world) work(workerCtx context.Context, s *ent.Shift, a *ent.Assignment) *ent.Timesheet {
	w.now = s.StartsAt
	if _, err := w.m.CheckIn(workerCtx, market.PresenceInput{AssignmentID: a.ID, Location: place}); err != nil {
		w.t.Fatalf("check in: %v", err)
	}
	w.now = s.EndsAt
	if _, err := w.m.CheckOut(workerCtx, market.PresenceInput{AssignmentID: a.ID, Location: place}); err != nil {
		w.t.Fatalf("check out: %v", err)
	}
	return w.db.Timesheet.Query().Where(timesheet.AssignmentID(a.ID)).OnlyX(sys)
}

func TestOffersExpireOnTime(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		s := w.shift(24*time.Hour, 4, 2)
		o := w.offer(w.worker("Ana"), s)
		w.now = o.ExpiresAt.Add(-time.Second)
		if n, _ := w.m.ExpireOffers(context.Background()); n != 0 {
			t.Fatalf("expired %d offers a second early", n)
		}
		w.now = o.ExpiresAt
		if n, err := w.m.ExpireOffers(context.Background()); n != 1 || err != nil {
			t.Fatalf("expired %d offers on time (%v), want 1", n, err)
		}
		if got := db.Offer.GetX(sys, o.ID); got.Status != offer.StatusEXPIRED {
			t.Fatalf("offer is %s", got.Status)
		}
		if a := db.Application.GetX(sys, *o.ApplicationID); a.Status != application.StatusEXPIRED {
			t.Fatalf("its application is %s, want EXPIRED", a.Status)
		}
	})
}

func TestRosterBlocksAndInvites(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		s := w.shift(24*time.Hour, 4, 2)
		ana, ben := w.worker("Ana"), w.worker("Ben")
		anaID, benID := viewer.FromContext(ana).WorkerID, viewer.FromContext(ben).WorkerID
		if _, err := w.m.SetRoster(w.manager, market.RosterInput{EmployerID: w.emp, WorkerID: benID, Kind: rosterentry.KindBLOCKED}); err != nil {
			t.Fatal(err)
		}
		_, err := w.m.ApplyToShift(ben, market.ApplyInput{ShiftID: s.ID})
		if e, ok := market.AsError(err); !ok || e.Code != market.CodeScreeningFailed || e.Details["failedRules"].([]market.FailedRule)[0].Rule != market.RuleNotBlocked {
			t.Fatalf("a blocked worker applies: %v", err)
		}
		// A favourite is invited without applying, and the invitation hires.
		if _, err := w.m.SetRoster(w.manager, market.RosterInput{EmployerID: w.emp, WorkerID: anaID, Kind: rosterentry.KindFAVOURITE}); err != nil {
			t.Fatal(err)
		}
		o, err := w.m.SendOffer(w.manager, market.SendOfferInput{ShiftID: &s.ID, WorkerID: &anaID})
		if err != nil {
			t.Fatalf("inviting a favourite: %v", err)
		}
		if _, err := w.m.AcceptOffer(ana, o.Offer.ID); err != nil {
			t.Fatalf("accepting an invitation: %v", err)
		}
		// Unblocking lets Ben apply; blocked workers never show as candidates.
		if _, err := w.m.RemoveFromRoster(w.manager, w.emp, benID); err != nil {
			t.Fatal(err)
		}
		if _, err := w.m.ApplyToShift(ben, market.ApplyInput{ShiftID: s.ID}); err != nil {
			t.Fatalf("unblocked worker applies: %v", err)
		}
		if page, _ := w.m.Candidates(w.manager, s.ID, nil, nil, nil); page.TotalCount != 1 {
			t.Fatalf("%d candidates, want Ben", page.TotalCount)
		}
		if _, err := w.m.SetRoster(w.manager, market.RosterInput{EmployerID: w.emp, WorkerID: benID, Kind: rosterentry.KindBLOCKED}); err != nil {
			t.Fatal(err)
		}
		if page, _ := w.m.Candidates(w.manager, s.ID, nil, nil, nil); page.TotalCount != 0 {
			t.Fatalf("a blocked applicant is still a candidate")
		}
	})
}

func TestCancellationsLateAndOnTime(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		s := w.shift(48*time.Hour, 4, 1)
		ana := w.worker("Ana")
		a := w.hire(ana, s)
		if got := db.Shift.GetX(sys, s.ID); got.Status != shift.StatusFILLED {
			t.Fatalf("a one-slot shift with a hire is %s", got.Status)
		}
		w.now = s.StartsAt.Add(-30 * time.Hour)
		c, err := w.m.CancelAssignment(ana, a.ID, "family emergency")
		if err != nil || c.Assignment.Status != assignment.StatusCANCELLED_BY_WORKER || c.Assignment.LateCancellation {
			t.Fatalf("cancelling 30 hours ahead: %+v %v", c, err)
		}
		if got := db.Shift.GetX(sys, s.ID); got.Filled != 0 || got.Status != shift.StatusPUBLISHED {
			t.Fatalf("the slot did not reopen: filled %d, %s", got.Filled, got.Status)
		}
		ben := w.worker("Ben")
		b := w.hire(ben, s)
		w.now = s.StartsAt.Add(-3 * time.Hour)
		if c, err := w.m.CancelAssignment(w.manager, b.ID, "client cancelled"); err != nil ||
			c.Assignment.Status != assignment.StatusCANCELLED_BY_EMPLOYER || !c.Assignment.LateCancellation {
			t.Fatalf("cancelling 3 hours ahead: %+v %v; want a late cancellation by the employer", c, err)
		}
	})
}

func TestCancelShiftUnwindsIt(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		s := w.shift(10*time.Hour, 4, 3)
		a := w.hire(w.worker("Ana"), s)
		o := w.offer(w.worker("Ben"), s)
		if _, err := w.m.CancelShift(w.manager, s.ID, "the client cancelled the event"); err != nil {
			t.Fatal(err)
		}
		if got := db.Assignment.GetX(sys, a.ID); got.Status != assignment.StatusCANCELLED_BY_EMPLOYER || !got.LateCancellation {
			t.Fatalf("the hire is %s (late %v)", got.Status, got.LateCancellation)
		}
		if got := db.Offer.GetX(sys, o.ID); got.Status != offer.StatusREVOKED {
			t.Fatalf("the pending offer is %s", got.Status)
		}
		if got := db.Application.GetX(sys, *o.ApplicationID); got.Status != application.StatusREJECTED {
			t.Fatalf("the open application is %s", got.Status)
		}
	})
}

func TestNoShowAfterTheGracePeriod(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		s := w.shift(10*time.Hour, 4, 3)
		a := w.hire(w.worker("Ana"), s)
		w.now = s.StartsAt.Add(29 * time.Minute)
		if _, err := w.m.MarkNoShow(w.manager, a.ID); code(err) != "NO_SHOW_TOO_EARLY" {
			t.Fatalf("no-show 29 minutes in: %v", err)
		}
		w.now = s.StartsAt.Add(30 * time.Minute)
		if got, err := w.m.MarkNoShow(w.manager, a.ID); err != nil || got.Assignment.Status != assignment.StatusNO_SHOW {
			t.Fatalf("no-show 30 minutes in: %v", err)
		}
		if p := db.WorkerProfile.GetX(sys, a.WorkerID); p.NoShows != 1 {
			t.Fatalf("no-shows = %d", p.NoShows)
		}
	})
}

func TestTimesheetsApprovalDisputeAndPayment(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		s := w.shift(10*time.Hour, 4, 3)
		ana := w.worker("Ana")
		ts := w.work(ana, s, w.hire(ana, s))
		if ts.WorkedMinutes != 240 || ts.Status != timesheet.StatusSUBMITTED {
			t.Fatalf("timesheet = %d min, %s", ts.WorkedMinutes, ts.Status)
		}
		less := 200
		if _, err := w.m.ApproveTimesheet(w.manager, market.ApproveInput{TimesheetID: ts.ID, ApprovedMinutes: &less}); code(err) != "BAD_USER_INPUT" {
			t.Fatalf("changing minutes without a reason: %v", err)
		}
		why := "left 40 minutes early"
		got, err := w.m.ApproveTimesheet(w.manager, market.ApproveInput{TimesheetID: ts.ID, ApprovedMinutes: &less, Reason: &why})
		if err != nil || *got.Timesheet.AmountOwed != 5000 || *got.Timesheet.ApprovedMinutes != 200 || !got.Timesheet.PaymentDueAt.Equal(w.now.Add(7*24*time.Hour)) {
			t.Fatalf("approval: %+v %v; want 200 min × 15.00/h = 50.00 due in 7 days", got, err)
		}
		// The worker disputes within 48 hours; the employer approves again.
		w.now = w.now.Add(47 * time.Hour)
		if _, err := w.m.DisputeTimesheet(ana, ts.ID, "I stayed until the end"); err != nil {
			t.Fatal(err)
		}
		if got, err = w.m.ApproveTimesheet(w.manager, market.ApproveInput{TimesheetID: ts.ID}); err != nil || *got.Timesheet.AmountOwed != 6000 {
			t.Fatalf("re-approval as worked: %+v %v", got, err)
		}
		w.now = w.now.Add(49 * time.Hour)
		if _, err := w.m.DisputeTimesheet(ana, ts.ID, "again"); code(err) != "DISPUTE_WINDOW_CLOSED" {
			t.Fatalf("disputing after 48 hours: %v", err)
		}
		// Before the deadline (a week after the first approval) the employer
		// pays and marks it paid.
		if _, err := w.m.ConfirmPayment(ana, ts.ID); code(err) != "PAYMENT_NOT_MARKED" {
			t.Fatalf("confirming an unpaid payment: %v", err)
		}
		if _, err := w.m.MarkPaid(w.manager, ts.ID, "SEPA-1"); err != nil {
			t.Fatal(err)
		}
		// The same marking again is a retry, answered with the timesheet;
		// another reference is not.
		if got, err := w.m.MarkPaid(w.manager, ts.ID, "SEPA-1"); err != nil || got.Timesheet.PaymentStatus != timesheet.PaymentStatusMARKED_PAID {
			t.Fatalf("marking paid again: %v", err)
		}
		if _, err := w.m.MarkPaid(w.manager, ts.ID, "SEPA-2"); code(err) != "PAYMENT_ALREADY_MARKED" {
			t.Fatalf("paying twice: %v", err)
		}
		// The employer's word alone is not on its record; the worker's is.
		if e := db.Employer.GetX(sys, w.emp); e.PaidLate != 0 || e.PaidOnTime != 0 {
			t.Fatalf("pay record before the worker confirmed: %d on time, %d late", e.PaidOnTime, e.PaidLate)
		}
		if _, err := w.m.ConfirmPayment(ana, ts.ID); err != nil {
			t.Fatal(err)
		}
		if e := db.Employer.GetX(sys, w.emp); e.PaidLate != 0 || e.PaidOnTime != 1 {
			t.Fatalf("pay record: %d on time, %d late", e.PaidOnTime, e.PaidLate)
		}
		if n, err := w.m.VerifyLedger(context.Background()); err != nil {
			t.Fatalf("ledger after %d entries: %v", n, err)
		}
	})
}

func TestSilentEmployersTimesheetIsApprovedAfter72Hours(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		s := w.shift(10*time.Hour, 4, 3)
		ana := w.worker("Ana")
		ts := w.work(ana, s, w.hire(ana, s))
		w.now = ts.SubmittedAt.Add(72*time.Hour - time.Minute)
		if n, _ := w.m.AutoApproveTimesheets(context.Background()); n != 0 {
			t.Fatal("approved before 72 hours")
		}
		w.now = ts.SubmittedAt.Add(72 * time.Hour)
		if n, err := w.m.AutoApproveTimesheets(context.Background()); n != 1 || err != nil {
			t.Fatalf("auto-approved %d (%v)", n, err)
		}
		got := db.Timesheet.GetX(sys, ts.ID)
		if got.Status != timesheet.StatusAPPROVED || !got.AutoApproved || *got.AmountOwed != 6000 {
			t.Fatalf("auto-approval: %+v", got)
		}
		if p := db.WorkerProfile.GetX(sys, viewer.FromContext(ana).WorkerID); p.CompletedShifts != 1 {
			t.Fatalf("completed shifts = %d", p.CompletedShifts)
		}
	})
}

func TestShiftsMoveThroughTime(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		s := w.shift(10*time.Hour, 4, 3)
		w.now = s.StartsAt
		if _, err := w.m.AdvanceShifts(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := db.Shift.GetX(sys, s.ID); got.Status != shift.StatusIN_PROGRESS {
			t.Fatalf("at its start the shift is %s", got.Status)
		}
		w.now = s.EndsAt
		_, _ = w.m.AdvanceShifts(context.Background())
		if got := db.Shift.GetX(sys, s.ID); got.Status != shift.StatusCOMPLETED {
			t.Fatalf("at its end the shift is %s", got.Status)
		}
	})
}
