package market_test

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"flexwork/ent"
	"flexwork/ent/assignment"
	"flexwork/ent/employer"
	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/payout"
	"flexwork/ent/schema/enum"
	"flexwork/ent/shift"
	"flexwork/ent/timesheet"
	"flexwork/ent/viewer"
	"flexwork/market"
	"flexwork/market/jurisdiction"
	"flexwork/money"
	"flexwork/money/stripefake"
	"flexwork/money/stripepay"
)

// TestRandomMoneyKeepsTheBooks plays random sequences of deposits, hires,
// cancellations by either side, no-shows, approvals (as worked, corrected
// down with a reason), disputes answered by a new approval, and deadlines
// passing, and payouts through Stripe's SDK (some to a closed account) or by staff's bank batch (some sent back), for
// a prefunded employer. After every step the books verify
// (each transaction balances, each balance is the sum of its postings,
// nothing below zero that may not be), and they agree with what the
// market says: every worker's balance is what their timesheets released
// less their payouts not returned,
// every scheduled hire holds its wage in escrow, and every cent deposited
// is in the funds, in escrow or released, less what the guarantee fund
// paid for the employer. Both databases.
func TestRandomMoneyKeepsTheBooks(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		for seed := range uint64(3) {
			t.Run(fmt.Sprint(seed), func(t *testing.T) { playMoney(t, db, seed) })
		}
	})
}

func playMoney(t *testing.T, db *entdb.DB, seed uint64) {
	w := newWorld(t, db)
	rng := rand.New(rand.NewPCG(seed, 42))
	// Payouts go through Stripe's SDK to the fake API; the job's work is
	// done here in line (SendPayout), as the job would.
	stripe := stripefake.Start()
	defer stripe.Close()
	payer := market.New(db, market.WithClock(func() time.Time { return w.now }), dataKey,
		market.WithPayouts(stripepay.New("sk_test_flexwork", stripe.URL, nil)))
	staff := viewer.NewContext(context.Background(), &viewer.Viewer{UserID: "usr_staff", Staff: true})
	if _, err := w.m.SetFundingTerms(staff, market.FundingTermsInput{EmployerID: w.emp, Terms: employer.FundingTermsPREFUNDED}); err != nil {
		t.Fatal(err)
	}
	var deposited int64
	deposit := func(amount int64) {
		ref := fmt.Sprintf("SEPA %d-%d", seed, deposited)
		if _, err := w.m.ConfirmFunding(staff, market.FundingInput{EmployerID: w.emp, Amount: market.Money{Amount: amount, Currency: "EUR"}, Reference: ref}); err != nil {
			t.Fatal(err)
		}
		deposited += amount
	}
	type hire struct {
		who   context.Context
		shift *ent.Shift
		a     *ent.Assignment
		ts    *ent.Timesheet
	}
	var hires []*hire
	scheduled := func() []*hire {
		var out []*hire
		for _, h := range hires {
			if db.Assignment.GetX(sys, h.a.ID).Status == assignment.StatusSCHEDULED {
				out = append(out, h)
			}
		}
		return out
	}
	approved := func() []*hire {
		var out []*hire
		for _, h := range hires {
			if h.ts != nil && db.Timesheet.GetX(sys, h.ts.ID).Status == timesheet.StatusAPPROVED {
				out = append(out, h)
			}
		}
		return out
	}
	deposit(20000)
	tally := map[string]int{}
	defer func() { t.Logf("steps: %v", tally) }()
	for step := range 60 {
		var did string
		switch op := rng.IntN(9); {
		case op == 0:
			deposit(int64(1000 + rng.IntN(20000)))
			did = "deposit"
		case op <= 2: // a hire, if the funds hold its wage
			s := w.shift(time.Duration(20+rng.IntN(60))*time.Hour, 2+rng.IntN(5), 1)
			who := w.worker(fmt.Sprintf("W%d", step))
			app, err := w.m.ApplyToShift(who, market.ApplyInput{ShiftID: s.ID})
			if err != nil {
				t.Fatal(err)
			}
			o, err := w.m.SendOffer(w.manager, market.SendOfferInput{ApplicationID: &app.Application.ID})
			if code(err) == "FUNDS_INSUFFICIENT" {
				did = "hire refused"
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := w.m.AcceptOffer(who, o.Offer.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, signer := range []context.Context{who, w.manager} {
				if _, err := w.m.SignContract(signer, got.Contract.ID); err != nil {
					t.Fatal(err)
				}
			}
			hires = append(hires, &hire{who: who, shift: s, a: got.Assignment})
			did = "hire"
		case op == 3: // a cancellation by either side
			open := scheduled()
			if len(open) == 0 {
				continue
			}
			h, by := open[rng.IntN(len(open))], w.manager
			if rng.IntN(2) == 0 {
				by = h.who
			}
			if _, err := w.m.CancelAssignment(by, h.a.ID, "plans changed"); err != nil && code(err) != "SHIFT_STARTED" {
				t.Fatal(err)
			}
			did = "cancel"
		case op <= 5: // the earliest hire is worked, or missed
			open := scheduled()
			if len(open) == 0 {
				continue
			}
			h := slices.MinFunc(open, func(a, b *hire) int { return a.shift.StartsAt.Compare(b.shift.StartsAt) })
			if h.shift.StartsAt.Before(w.now) || rng.IntN(5) == 0 { // the clock passed it, or nobody came
				if late := h.shift.StartsAt.Add(time.Hour); w.now.Before(late) {
					w.now = late
				}
				if _, err := w.m.MarkNoShow(w.manager, h.a.ID); err != nil {
					t.Fatal(err)
				}
				did = "no-show"
				break
			}
			h.ts = w.work(h.who, h.shift, h.a)
			minutes, why := h.ts.WorkedMinutes, "approved"
			if rng.IntN(3) == 0 {
				minutes -= 30
				why = "left half an hour early"
			}
			if _, err := w.m.ApproveTimesheet(w.manager, market.ApproveInput{TimesheetID: h.ts.ID, ApprovedMinutes: &minutes, Reason: &why}); err != nil {
				t.Fatal(err)
			}
			did = "work and approve"
		case op == 6: // a dispute, answered with the worker's minutes
			open := approved()
			if len(open) == 0 {
				continue
			}
			h := open[rng.IntN(len(open))]
			if _, err := w.m.DisputeTimesheet(h.who, h.ts.ID, "I worked my full time"); code(err) == "DISPUTE_WINDOW_CLOSED" {
				continue
			} else if err != nil {
				t.Fatal(err)
			}
			checkBooks(t, db, w.emp, "EUR", deposited, "dispute")
			if _, err := w.m.ApproveTimesheet(w.manager, market.ApproveInput{TimesheetID: h.ts.ID}); err != nil {
				t.Fatal(err)
			}
			did = "dispute and re-approval"
		case op == 8: // a worker with a balance pays it out, now and then to a closed account
			var who context.Context
			for _, h := range hires {
				held, _ := money.Balance(sys, db.Client, money.Account{Kind: money.WorkerBalance, Owner: viewer.FromContext(h.who).WorkerID, Currency: "EUR"})
				if held > 0 {
					who = h.who
					break
				}
			}
			if who == nil {
				continue
			}
			if rng.IntN(3) == 0 { // by bank transfer, in staff's next batch; now and then the bank sends it back
				if _, err := payer.SetBankAccount(who, market.BankAccountInput{HolderName: "W", BankName: "Sparkasse", AccountNumber: "DE89370400440532013000"}); err != nil {
					t.Fatal(err)
				}
				p, err := payer.RequestPayout(who, market.PayoutInput{Currency: "EUR"})
				if err != nil {
					t.Fatal(err)
				}
				checkBooks(t, db, w.emp, "EUR", deposited, "bank payout requested")
				b, err := payer.BatchPayouts(staff, "EUR")
				if err != nil || b == nil || b.Total != p.Payout.Amount {
					t.Fatalf("the batch %+v, %v; want the payout of %d", b, err, p.Payout.Amount)
				}
				settle := market.SettleBatchInput{BatchID: b.ID}
				if rng.IntN(4) == 0 {
					settle.Returned = []market.ReturnedPayout{{PayoutID: p.Payout.ID, Reason: "account closed"}}
				}
				if _, err := payer.SettlePayoutBatch(staff, settle); err != nil {
					t.Fatal(err)
				}
				did = "bank payout"
				break
			}
			account := fmt.Sprintf("acct_s%dn%d", seed, step)
			if rng.IntN(4) == 0 {
				stripe.CloseAccount(account)
			}
			if _, err := payer.SetPayoutAccount(who, account); err != nil {
				t.Fatal(err)
			}
			p, err := payer.RequestPayout(who, market.PayoutInput{Currency: "EUR"})
			if err != nil {
				t.Fatal(err)
			}
			checkBooks(t, db, w.emp, "EUR", deposited, "payout requested")
			if err := payer.SendPayout(context.Background(), p.Payout.ID); err != nil {
				t.Fatal(err)
			}
			did = "payout"
		default: // time passes; deadlines come
			w.now = w.now.Add(time.Duration(1+rng.IntN(30)) * time.Hour)
			if err := w.m.Sweep(context.Background()); err != nil {
				t.Fatal(err)
			}
			did = "sweep"
		}
		tally[did]++
		checkBooks(t, db, w.emp, "EUR", deposited, fmt.Sprintf("step %d (%s)", step, did))
	}
}

// checkBooks verifies the money ledger and holds it against the market's
// own record of hires and timesheets.
func checkBooks(t *testing.T, db *entdb.DB, emp, currency string, deposited int64, after string) {
	t.Helper()
	r, err := money.Verify(sys, db.Client)
	if err != nil || len(r.Problems) > 0 {
		t.Fatalf("after %s: money verify: %+v %v", after, r, err)
	}
	balance := func(k money.Kind, owner string) int64 {
		b, err := money.Balance(sys, db.Client, money.Account{Kind: k, Owner: owner, Currency: currency})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	released := map[string]int64{} // net of tax withheld, less payouts
	var releasedAll int64
	for _, ts := range db.Timesheet.Query().Where(timesheet.EmployerID(emp)).AllX(sys) {
		released[ts.WorkerID] += ts.ReleasedAmount - ts.WithheldAmount
		releasedAll += ts.ReleasedAmount
	}
	for _, p := range db.Payout.Query().Where(payout.StatusNEQ(payout.StatusRETURNED), payout.WorkerIDIn(slices.Collect(maps.Keys(released))...)).AllX(sys) {
		released[p.WorkerID] -= p.Amount // paid out, or on its way
	}
	for worker, want := range released {
		if got := balance(money.WorkerBalance, worker); got != want {
			t.Fatalf("after %s: worker %s holds %d, their timesheets released %d less payouts", after, worker, got, want)
		}
	}
	var escrow int64
	for _, a := range db.Assignment.Query().Where(assignment.EmployerID(emp)).WithShift().AllX(sys) {
		held := balance(money.Escrow, a.ID)
		escrow += held
		if a.Status == assignment.StatusSCHEDULED {
			s := a.Edges.Shift
			want := (s.PayRate*int64(s.EndsAt.Sub(s.StartsAt).Minutes()-float64(s.UnpaidBreakMinutes)) + 30) / 60
			if held != want {
				t.Fatalf("after %s: a scheduled hire holds %d in escrow, its wage is %d", after, held, want)
			}
		}
	}
	funds, debt := balance(money.EmployerFunds, emp), balance(money.EmployerDebt, emp)
	if funds+escrow+releasedAll+debt != deposited {
		t.Fatalf("after %s: funds %d + escrow %d + released %d - owed %d != deposited %d", after, funds, escrow, releasedAll, -debt, deposited)
	}
}

// TestAPaymentCountsInTheYearOfItsOwnClock: a wage released at 23:30 UTC
// on New Year's Eve is paid at 00:30 on New Year's Day in Berlin, where
// the shift was: Ana's income statement counts it in the new year.
func TestAPaymentCountsInTheYearOfItsOwnClock(t *testing.T) {
	db := entdbtest.Open(t, "sqlite3")
	w := newWorld(t, db)
	staff := viewer.NewContext(context.Background(), &viewer.Viewer{UserID: "usr_staff", Staff: true})
	if _, err := w.m.SetFundingTerms(staff, market.FundingTermsInput{EmployerID: w.emp, Terms: employer.FundingTermsPREFUNDED}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.m.ConfirmFunding(staff, market.FundingInput{EmployerID: w.emp, Amount: market.Money{Amount: 100000, Currency: "EUR"}, Reference: "SEPA 1"}); err != nil {
		t.Fatal(err)
	}
	ana := w.worker("Ana")
	s := w.shift(time.Date(2026, 12, 31, 18, 0, 0, 0, time.UTC).Sub(w.now), 5, 1)
	ts := w.work(ana, s, w.hire(ana, s))
	w.now = time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC)
	if _, err := w.m.ApproveTimesheet(w.manager, market.ApproveInput{TimesheetID: ts.ID}); err != nil {
		t.Fatal(err)
	}
	p := db.WorkerProfile.Query().OnlyX(sys)
	for year, want := range map[int]int64{2026: 0, 2027: 7500} {
		st, err := w.m.WorkerIncomeStatement(ana, p, year)
		if err != nil {
			t.Fatal(err)
		}
		var got int64
		for _, m := range st.Total {
			got += m.Amount
		}
		if got != want {
			t.Fatalf("%d: %+v, want %d", year, st.Total, want)
		}
	}
}

// TestAGigWorkersTaxIsWithheldPerMonth: a Shanghai organisation on
// prefunded terms pays a platform gig worker twice in one month, 500 and
// then 3,500 yuan. Nothing is withheld from the first (the month's income
// is under 800 yuan); from the second, the tax on the month's 4,000 yuan
// (3,200 taxable × 20 % = 640), which goes to the organisation's
// withholding account. Her payslip says so, and the books verify.
func TestAGigWorkersTaxIsWithheldPerMonth(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		shanghai := market.GeoPoint{Lat: 31.23, Lng: 121.47}
		u := db.User.Create().SetDisplayName("Wang").SaveX(sys)
		boss := &viewer.Viewer{UserID: u.ID, Roles: map[string]viewer.Role{}}
		cn := employer.JurisdictionCN
		e, err := w.m.CreateEmployer(viewer.NewContext(context.Background(), boss), market.CreateEmployerInput{Name: "浦江配送", Location: &shanghai, Jurisdiction: &cn})
		if err != nil {
			t.Fatal(err)
		}
		boss.Roles[e.Employer.ID] = viewer.RoleOwner
		manager := viewer.NewContext(context.Background(), boss)
		staff := viewer.NewContext(context.Background(), &viewer.Viewer{UserID: "usr_staff", Staff: true})
		if _, err := w.m.SetFundingTerms(staff, market.FundingTermsInput{EmployerID: e.Employer.ID, Terms: employer.FundingTermsPREFUNDED}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.m.ConfirmFunding(staff, market.FundingInput{EmployerID: e.Employer.ID, Amount: market.Money{Amount: 5_000_000, Currency: "CNY"}, Reference: "CN 1"}); err != nil {
			t.Fatal(err)
		}
		w.licensed(manager, e.Employer.ID)
		li := w.worker("Li")
		w.verified(li)
		gig := []enum.EngagementType{enum.PlatformGig}
		if _, err := w.m.UpdateWorkerProfile(li, market.UpdateWorkerProfileInput{HomeLocation: &shanghai, EngagementTypes: gig}); err != nil {
			t.Fatal(err)
		}
		var sheets []*ent.Timesheet
		for i, rate := range []int64{5000, 35000} { // per hour, 10 hours
			start := w.now.Add(time.Duration(24*(i+1)) * time.Hour)
			s, err := w.m.CreateShift(manager, market.CreateShiftInput{EmployerID: e.Employer.ID, Title: "外卖配送", EngagementType: enum.PlatformGig,
				Address: "浦东", Location: shanghai, StartsAt: start, EndsAt: start.Add(10 * time.Hour), TimeZone: "Asia/Shanghai",
				Pay: market.Money{Amount: rate, Currency: "CNY"}, PayUnit: shift.PayUnitHOUR, Slots: 1})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.m.PublishShift(manager, s.Shift.ID); err != nil {
				t.Fatal(err)
			}
			app, err := w.m.ApplyToShift(li, market.ApplyInput{ShiftID: s.Shift.ID})
			if err != nil {
				t.Fatal(err)
			}
			o, err := w.m.SendOffer(manager, market.SendOfferInput{ApplicationID: &app.Application.ID})
			if err != nil {
				t.Fatal(err)
			}
			hired, err := w.m.AcceptOffer(li, o.Offer.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, who := range []context.Context{li, manager} {
				if _, err := w.m.SignContract(who, hired.Contract.ID); err != nil {
					t.Fatal(err)
				}
			}
			w.covered(staff, hired.Assignment.ID, start, start.Add(10*time.Hour)) // flexwork enrols its gig workers
			w.now = start
			if _, err := w.m.CheckIn(li, market.PresenceInput{AssignmentID: hired.Assignment.ID, Location: shanghai}); err != nil {
				t.Fatal(err)
			}
			w.now = start.Add(10 * time.Hour)
			out, err := w.m.CheckOut(li, market.PresenceInput{AssignmentID: hired.Assignment.ID, Location: shanghai})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.m.ApproveTimesheet(manager, market.ApproveInput{TimesheetID: out.Timesheet.ID}); err != nil {
				t.Fatal(err)
			}
			sheets = append(sheets, db.Timesheet.GetX(sys, out.Timesheet.ID))
		}
		if sheets[0].WithheldAmount != 0 || sheets[1].WithheldAmount != 64000 || sheets[1].WithholdingRule != jurisdiction.RuleCNLabourRemuneration {
			t.Fatalf("withheld %d then %d (%q); want 0 then 64000", sheets[0].WithheldAmount, sheets[1].WithheldAmount, sheets[1].WithholdingRule)
		}
		slip, err := w.m.TimesheetPayslip(li, sheets[1])
		if err != nil || slip.Gross.Amount != 350000 || slip.Withheld.Amount != 64000 || slip.Net.Amount != 286000 {
			t.Fatalf("the payslip: %+v %v", slip, err)
		}
		balance, _ := money.Balance(sys, db.Client, money.Account{Kind: money.WorkerBalance, Owner: sheets[0].WorkerID, Currency: "CNY"})
		tax, _ := money.Balance(sys, db.Client, money.Account{Kind: money.TaxWithheld, Owner: e.Employer.ID, Currency: "CNY"})
		if balance != 400000-64000 || tax != 64000 {
			t.Fatalf("Li holds %d, the withholding account %d", balance, tax)
		}
		checkBooks(t, db, e.Employer.ID, "CNY", 5_000_000, "two gig payments")
		// Staff's file for the month: Li's 4,000 yuan from 浦江配送, 640 withheld.
		report, err := w.m.WithholdingReport(staff, 2026, 12)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(report), "\n")
		if len(lines) != 2 || !strings.HasSuffix(lines[1], ",Li,CN_IIT_LABOUR_REMUNERATION,CNY,4000.00,640.00") || !strings.Contains(lines[1], "浦江配送") {
			t.Fatalf("the withholding report:\n%s", report)
		}
		if _, err := w.m.WithholdingReport(manager, 2026, 12); code(err) != "FORBIDDEN" {
			t.Fatalf("an employer reading the withholding report: %v", err)
		}
	})
}
