package market_test

import (
	"context"
	"testing"
	"time"

	"flexwork/ent/creditevent"
	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/timesheet"
	"flexwork/market"
	"flexwork/money"
)

// paidCredits counts the payment credit events of a timesheet.
func paidCredits(t *testing.T, db *entdb.DB, timesheetID string) int {
	t.Helper()
	n, err := db.CreditEvent.Query().Where(creditevent.SourceID(timesheetID),
		creditevent.KindIn(creditevent.KindWAGE_PAID_ON_TIME, creditevent.KindWAGE_PAID_LATE)).Count(sys)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestAPaymentCountsOnceWhenTheWorkerConfirms: dispute, approve again and
// mark paid again as often as you like — one timesheet earns payment credit
// once, when the worker confirms (or a week passes without an answer); the
// worker can say the money did not arrive; a confirmed payment is final.
func TestAPaymentCountsOnceWhenTheWorkerConfirms(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		s := w.shift(10*time.Hour, 4, 3)
		ana := w.worker("Ana")
		ts := w.work(ana, s, w.hire(ana, s))
		if _, err := w.m.ApproveTimesheet(w.manager, market.ApproveInput{TimesheetID: ts.ID}); err != nil {
			t.Fatal(err)
		}
		// The loop that farmed "paid on time": mark, dispute, approve again,
		// mark again — three times within the dispute window.
		for i := range 3 {
			if _, err := w.m.MarkPaid(w.manager, ts.ID, "SEPA-"+string(rune('A'+i))); err != nil {
				t.Fatalf("round %d, marking paid: %v", i, err)
			}
			if _, err := w.m.DisputeTimesheet(ana, ts.ID, "the hours are wrong"); err != nil {
				t.Fatalf("round %d, disputing: %v", i, err)
			}
			less, why := 230-i, "a break was longer"
			got, err := w.m.ApproveTimesheet(w.manager, market.ApproveInput{TimesheetID: ts.ID, ApprovedMinutes: &less, Reason: &why})
			if err != nil {
				t.Fatalf("round %d, approving again: %v", i, err)
			}
			if got.Timesheet.PaymentStatus != timesheet.PaymentStatusUNPAID || !got.Timesheet.PaymentDueAt.Equal(*db.Timesheet.GetX(sys, ts.ID).PaymentDueAt) {
				t.Fatalf("round %d: another amount is owed: %s", i, got.Timesheet.PaymentStatus)
			}
			w.now = w.now.Add(time.Hour)
		}
		if n := paidCredits(t, db, ts.ID); n != 0 {
			t.Fatalf("%d payment credits before anything was confirmed", n)
		}
		// Marked paid; the worker says it did not arrive; marked again.
		if _, err := w.m.MarkPaid(w.manager, ts.ID, "SEPA-D"); err != nil {
			t.Fatal(err)
		}
		got, err := w.m.PaymentNotReceived(ana, ts.ID, "nothing on my account")
		if err != nil || got.Timesheet.PaymentStatus != timesheet.PaymentStatusNOT_RECEIVED {
			t.Fatalf("not received: %v", err)
		}
		if _, err := w.m.ConfirmPayment(ana, ts.ID); code(err) != "PAYMENT_NOT_MARKED" {
			t.Fatalf("confirming a payment not received: %v", err)
		}
		if _, err := w.m.MarkPaid(w.manager, ts.ID, "SEPA-E"); err != nil {
			t.Fatal(err)
		}
		if _, err := w.m.ConfirmPayment(ana, ts.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := w.m.ConfirmPayment(ana, ts.ID); err != nil {
			t.Fatalf("confirming twice (a retry): %v", err)
		}
		if n := paidCredits(t, db, ts.ID); n != 1 {
			t.Fatalf("%d payment credits, want 1", n)
		}
		if e := db.Employer.GetX(sys, w.emp); e.PaidOnTime+e.PaidLate != 1 {
			t.Fatalf("pay record: %d on time, %d late", e.PaidOnTime, e.PaidLate)
		}
		// Final: no dispute, no approval, no marking moves it.
		if _, err := w.m.DisputeTimesheet(ana, ts.ID, "more hours"); code(err) != "PAYMENT_FINAL" {
			t.Fatalf("disputing a confirmed payment: %v", err)
		}
		if _, err := w.m.MarkPaid(w.manager, ts.ID, "SEPA-F"); code(err) != "PAYMENT_FINAL" {
			t.Fatalf("marking a confirmed payment: %v", err)
		}
		if got := db.Timesheet.GetX(sys, ts.ID); got.PaymentStatus != timesheet.PaymentStatusCONFIRMED {
			t.Fatalf("a confirmed payment became %s", got.PaymentStatus)
		}

		// A worker who never answers: a week after the marking it counts.
		s2 := w.shift(30*time.Hour, 4, 3)
		ts2 := w.work(ana, s2, w.hire(ana, s2))
		if _, err := w.m.ApproveTimesheet(w.manager, market.ApproveInput{TimesheetID: ts2.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.m.MarkPaid(w.manager, ts2.ID, "SEPA-G"); err != nil {
			t.Fatal(err)
		}
		w.now = w.now.Add(market.ConfirmWindow - time.Minute)
		if n, _ := w.m.ConfirmUnansweredPayments(context.Background()); n != 0 || paidCredits(t, db, ts2.ID) != 0 {
			t.Fatal("confirmed before the week was out")
		}
		w.now = w.now.Add(time.Minute)
		if n, err := w.m.ConfirmUnansweredPayments(context.Background()); n != 1 || err != nil {
			t.Fatalf("confirmed %d (%v)", n, err)
		}
		if got := db.Timesheet.GetX(sys, ts2.ID); got.PaymentStatus != timesheet.PaymentStatusCONFIRMED || !got.PaymentAutoConfirmed ||
			paidCredits(t, db, ts2.ID) != 1 {
			t.Fatalf("after a silent week: %s", got.PaymentStatus)
		}

		// Overdue counts against the employer once, however often the
		// payment falls overdue again.
		s3 := w.shift(60*time.Hour, 4, 3)
		ts3 := w.work(ana, s3, w.hire(ana, s3))
		if _, err := w.m.ApproveTimesheet(w.manager, market.ApproveInput{TimesheetID: ts3.ID}); err != nil {
			t.Fatal(err)
		}
		w.now = w.now.Add(market.PaymentTerm + time.Hour)
		overdue := func() int {
			if _, err := w.m.FlagOverduePayments(context.Background()); err != nil {
				t.Fatal(err)
			}
			return db.CreditEvent.Query().Where(creditevent.SourceID(ts3.ID), creditevent.KindEQ(creditevent.KindWAGE_OVERDUE)).CountX(sys)
		}
		if n := overdue(); n != 1 {
			t.Fatalf("%d overdue credits", n)
		}
		// On the deadline the guarantee fund paid Ana, and the employer owes
		// it: nothing is left to mark, and a second sweep moves nothing.
		sheet := db.Timesheet.GetX(sys, ts3.ID)
		if sheet.PaymentStatus != timesheet.PaymentStatusRELEASED || sheet.ReleasedAmount != *sheet.AmountOwed || sheet.OverdueAt == nil {
			t.Fatalf("an overdue wage: %s, released %d of %d", sheet.PaymentStatus, sheet.ReleasedAmount, *sheet.AmountOwed)
		}
		balance, _ := money.Balance(sys, db.Client, money.Account{Kind: money.WorkerBalance, Owner: sheet.WorkerID, Currency: sheet.Currency})
		debt, _ := money.Balance(sys, db.Client, money.Account{Kind: money.EmployerDebt, Owner: w.emp, Currency: sheet.Currency})
		if balance != *sheet.AmountOwed || debt != -*sheet.AmountOwed {
			t.Fatalf("after the guarantee: Ana holds %d, the employer owes %d; want %d each", balance, -debt, *sheet.AmountOwed)
		}
		if _, err := w.m.MarkPaid(w.manager, ts3.ID, "SEPA-H"); code(err) != "PAYMENT_ALREADY_MARKED" {
			t.Fatalf("marking a guaranteed wage paid: %v", err)
		}
		if n := overdue(); n != 1 {
			t.Fatalf("overdue again: %d overdue credits", n)
		}
		if again, _ := money.Balance(sys, db.Client, money.Account{Kind: money.WorkerBalance, Owner: sheet.WorkerID, Currency: sheet.Currency}); again != balance {
			t.Fatalf("a second sweep paid Ana again: %d", again)
		}
		if r, err := money.Verify(sys, db.Client); err != nil || len(r.Problems) > 0 {
			t.Fatalf("money verify: %+v %v", r, err)
		}
		if n, err := w.m.VerifyLedger(context.Background()); err != nil {
			t.Fatalf("ledger after %d entries: %v", n, err)
		}
	})
}
