package server_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/rule"
	"flexwork/market"
	"flexwork/money"
	"flexwork/server/servertest"
)

// The wage of postShift's shift: 8 hours less a 30-minute break at 15.00 EUR.
const shiftWage = 11250

const earningsQ = `{ viewer { workerProfile { earnings { balance { amount currency } held { amount currency } } } } }`

type earnings struct {
	Viewer struct {
		WorkerProfile struct {
			Earnings *struct{ Balance, Held []market.Money }
		}
	}
}

// sum is the EUR amount of a list of money (0 when there is none).
func sum(ms []market.Money) int64 {
	var n int64
	for _, m := range ms {
		if m.Currency == "EUR" {
			n += m.Amount
		}
	}
	return n
}

// employerMoney reads an employer's funds and reserved wages as a member.
func employerMoney(t *testing.T, env *servertest.Env, who servertest.Account, emp string) (funds, reserved int64) {
	t.Helper()
	var out struct {
		Node struct {
			Funds, Reserved []market.Money
			FundingTerms    string
		}
	}
	env.Must(who.Token, `query($id: ID!) { node(id: $id) { ... on Employer { fundingTerms funds { amount currency } reserved { amount currency } } } }`,
		map[string]any{"id": emp}, &out)
	return sum(out.Node.Funds), sum(out.Node.Reserved)
}

func fund(env *servertest.Env, staff servertest.Account, emp, reference string, cents int) {
	env.Must(staff.Token, `mutation($in: ConfirmFundingInput!) { confirmFunding(input: $in) { employer { id } } }`,
		map[string]any{"in": map[string]any{"employerID": emp, "reference": reference,
			"amount": map[string]any{"amount": cents, "currency": "EUR"}}}, &struct{}{})
}

func booksBalance(t *testing.T, db *entdb.DB) {
	t.Helper()
	if r, err := money.Verify(rule.System(context.Background()), db.Client); err != nil || len(r.Problems) != 0 {
		t.Fatalf("money verify: %+v %v", r, err)
	}
}

// employerWithStaff starts a server with staff (Sam) and Olga's new
// employer, on the terms servertest founds employers on (credit).
func employerWithStaff(t *testing.T, db *entdb.DB, opts ...servertest.Option) (env *servertest.Env, sam, olga servertest.Account, emp string) {
	env = servertest.Start(t, db, opts...)
	sam = makeStaff(t, env, db, "sam@example.com")
	olga = env.SignUp("olga@example.com", "Olga")
	return env, sam, olga, createEmployer(t, env, olga, "Spree Logistics")
}

// prefundedEmployer is employerWithStaff on a server that founds employers
// prefunded; Olga's has no funds yet.
func prefundedEmployer(t *testing.T, db *entdb.DB, opts ...servertest.Option) (env *servertest.Env, sam, olga servertest.Account, emp string) {
	return employerWithStaff(t, db, append(opts, servertest.WithEnv(map[string]string{"FLEXWORK_NEW_EMPLOYER_TERMS": "PREFUNDED"}))...)
}

// TestAPrefundedWageIsHeldAtHireAndPaidOnApproval: a new employer is
// prefunded. Without funds it cannot offer; with them, Ana's acceptance
// holds her wage in escrow (she sees it held, the employer sees it
// reserved), Ben's acceptance that the rest of the funds cannot cover is
// refused and hires nobody, and approving Ana's hours pays her at once,
// on time, with nothing to mark. A late cancellation pays Ben's fee from
// the escrow and returns the rest. Strangers see no earnings, and only
// staff set funding terms. The books verify. Both databases.
func TestAPrefundedWageIsHeldAtHireAndPaidOnApproval(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env, sam, olga, emp := prefundedEmployer(t, db)
		// Both payments fall in one year on Berlin's clock, whenever the
		// test runs: past Christmas, the clock moves into January.
		if now := env.Clock.Now(); now.Month() == time.December && now.Day() > 25 {
			env.Clock.Advance(7 * 24 * time.Hour)
		}
		ana := newWorker(t, env, "ana@example.com", "Ana")
		ben := newWorker(t, env, "ben@example.com", "Ben")
		shift := postShift(t, env, olga, emp, nil)
		anaApp, benApp := apply(env, ana, shift), apply(env, ben, shift)

		var terms struct{ Node struct{ FundingTerms string } }
		env.Must(ana.Token, `query($id: ID!) { node(id: $id) { ... on Employer { fundingTerms } } }`, map[string]any{"id": emp}, &terms)
		if terms.Node.FundingTerms != "PREFUNDED" {
			t.Fatalf("a new employer's terms: %q", terms.Node.FundingTerms)
		}
		r := env.Op(olga.Token, "SendOffer", input(map[string]any{"applicationID": anaApp}))
		if r.Code() != "FUNDS_INSUFFICIENT" {
			t.Fatalf("an offer without funds: %+v", r.Errors)
		}

		fund(env, sam, emp, "SEPA SPREE 0001", shiftWage+3750)
		benOffer := offer(env, olga, benApp)
		c := newChain(t, env, olga, ana, anaApp)
		c.hire()
		if funds, reserved := employerMoney(t, env, olga, emp); funds != 3750 || reserved != shiftWage {
			t.Fatalf("after Ana's hire: funds %d, reserved %d", funds, reserved)
		}
		var mine earnings
		env.Must(ana.Token, earningsQ, nil, &mine)
		if e := mine.Viewer.WorkerProfile.Earnings; e == nil || sum(e.Held) != shiftWage || sum(e.Balance) != 0 {
			t.Fatalf("Ana's earnings while hired: %+v", e)
		}
		if r := env.Op(ben.Token, "AcceptOffer", input(map[string]any{"offerID": benOffer})); r.Code() != "FUNDS_INSUFFICIENT" {
			t.Fatalf("Ben accepting what the funds cannot cover: %+v", r.Errors)
		}
		var filled struct{ Node struct{ Filled int } }
		env.Must(olga.Token, `query($id: ID!) { node(id: $id) { ... on Shift { filled } } }`, map[string]any{"id": shift}, &filled)
		if funds, _ := employerMoney(t, env, olga, emp); filled.Node.Filled != 1 || funds != 3750 {
			t.Fatalf("after Ben's refused acceptance: filled %d, funds %d", filled.Node.Filled, funds)
		}

		// Nobody but Ana and staff reads her earnings; only staff set terms.
		var ada struct {
			Node struct {
				Earnings *struct{ Balance []market.Money }
			}
		}
		var profile struct {
			Viewer struct{ WorkerProfile struct{ ID string } }
		}
		env.Must(ana.Token, `{ viewer { workerProfile { id } } }`, nil, &profile)
		for _, who := range []servertest.Account{ben, olga} {
			env.Must(who.Token, `query($id: ID!) { node(id: $id) { ... on WorkerProfile { earnings { balance { amount } } } } }`,
				map[string]any{"id": profile.Viewer.WorkerProfile.ID}, &ada)
			if ada.Node.Earnings != nil {
				t.Fatalf("a stranger reads Ana's earnings: %+v", ada.Node.Earnings)
			}
		}
		const setTerms = `mutation($in: SetFundingTermsInput!) { setFundingTerms(input: $in) { employer { fundingTerms } } }`
		if r := env.Do(olga.Token, setTerms, map[string]any{"in": map[string]any{"employerID": emp, "terms": "CREDIT"}}); r.Code() != "FORBIDDEN" {
			t.Fatalf("an employer granting itself credit: %+v", r.Errors)
		}

		c.workAndApprove()
		var ts struct {
			Node struct {
				PaymentStatus  string
				ReleasedAmount int64
				AmountOwed     int64
			}
		}
		env.Must(ana.Token, `query($id: ID!) { node(id: $id) { ... on Timesheet { paymentStatus releasedAmount amountOwed } } }`,
			map[string]any{"id": c.timesheet}, &ts)
		if ts.Node.PaymentStatus != "RELEASED" || ts.Node.ReleasedAmount != shiftWage || ts.Node.AmountOwed != shiftWage {
			t.Fatalf("Ana's approved timesheet: %+v", ts.Node)
		}
		env.Must(ana.Token, earningsQ, nil, &mine)
		if e := mine.Viewer.WorkerProfile.Earnings; sum(e.Held) != 0 || sum(e.Balance) != shiftWage {
			t.Fatalf("Ana's earnings once approved: %+v", e)
		}
		var record struct{ Node struct{ PaidOnTime int } }
		env.Must(ana.Token, `query($id: ID!) { node(id: $id) { ... on Employer { paidOnTime } } }`, map[string]any{"id": emp}, &record)
		if funds, reserved := employerMoney(t, env, olga, emp); funds != 3750 || reserved != 0 || record.Node.PaidOnTime != 1 {
			t.Fatalf("after the release: funds %d, reserved %d, paid on time %d", funds, reserved, record.Node.PaidOnTime)
		}
		if r := env.Op(olga.Token, "MarkPaid", input(map[string]any{"timesheetID": c.timesheet, "reference": "SEPA"})); r.Code() != "PAYMENT_ALREADY_MARKED" {
			t.Fatalf("marking a released wage paid: %+v", r.Errors)
		}
		// Ana's payslip says who paid what for which work, through flexwork.
		var slip struct {
			Node struct {
				Payslip struct {
					Payer                            struct{ Name string }
					ShiftTitle, WorkedOn, PaidAt     string
					Minutes                          int
					Rate, Gross                      market.Money
					PayUnit                          string
					ThroughFlexwork, CancellationFee bool
				}
			}
		}
		env.Must(ana.Token, `query($id: ID!) { node(id: $id) { ... on Timesheet { payslip { payer { name } shiftTitle workedOn minutes
			rate { amount currency } payUnit gross { amount currency } paidAt throughFlexwork cancellationFee } } } }`, map[string]any{"id": c.timesheet}, &slip)
		slipPaidAt := slip.Node.Payslip.PaidAt
		if p := slip.Node.Payslip; p.Payer.Name != "Spree Logistics" || p.ShiftTitle != "Warehouse picker" || p.Minutes != 450 ||
			p.Rate.Amount != 1500 || p.PayUnit != "HOUR" || p.Gross.Amount != shiftWage || !p.ThroughFlexwork || p.CancellationFee ||
			len(p.WorkedOn) != len("2026-12-01") {
			t.Fatalf("Ana's payslip: %+v", p)
		}

		// A late cancellation: Ben's fee (half the wage) comes out of the
		// escrow, the other half goes back to the funds.
		fund(env, sam, emp, "SEPA SPREE 0002", 20000)
		later := postShift(t, env, olga, emp, nil)
		var benHire struct {
			AcceptOffer struct{ Assignment struct{ ID string } }
		}
		env.MustOp(ben.Token, "AcceptOffer", input(map[string]any{"offerID": offer(env, olga, apply(env, ben, later))}), &benHire)
		env.MustOp(olga.Token, "CancelAssignment", input(map[string]any{"assignmentID": benHire.AcceptOffer.Assignment.ID,
			"reason": "the delivery was called off"}), &struct{}{})
		env.Must(ben.Token, earningsQ, nil, &mine)
		if e := mine.Viewer.WorkerProfile.Earnings; sum(e.Held) != 0 || sum(e.Balance) != shiftWage/2 {
			t.Fatalf("Ben's earnings after a late cancellation: %+v", e)
		}
		if funds, reserved := employerMoney(t, env, olga, emp); funds != 3750+20000-shiftWage/2 || reserved != 0 {
			t.Fatalf("after the cancellation: funds %d, reserved %d", funds, reserved)
		}
		// The year's income statements: Ana's wage and Ben's fee, each from
		// Spree; only the worker reads theirs.
		const statementQ = `query($year: Int!) { viewer { workerProfile { id incomeStatement(year: $year) {
			year payers { payer { name } gross { amount currency } payments } total { amount currency } } } } }`
		berlin, _ := time.LoadLocation("Europe/Berlin")
		year := env.Clock.Now().In(berlin).Year()
		for who, want := range map[servertest.Account]int64{ana: shiftWage, ben: shiftWage / 2} {
			var st struct {
				Viewer struct {
					WorkerProfile struct {
						ID              string
						IncomeStatement struct {
							Year   int
							Payers []struct {
								Payer    struct{ Name string }
								Gross    []market.Money
								Payments int
							}
							Total []market.Money
						}
					}
				}
			}
			env.Must(who.Token, statementQ, map[string]any{"year": year}, &st)
			s := st.Viewer.WorkerProfile.IncomeStatement
			if len(s.Payers) != 1 || s.Payers[0].Payer.Name != "Spree Logistics" || s.Payers[0].Payments != 1 ||
				sum(s.Payers[0].Gross) != want || sum(s.Total) != want {
				t.Fatalf("income statement for %d: %+v, want %d from Spree", year, s, want)
			}
			var other struct {
				Node struct{ IncomeStatement *struct{ Year int } }
			}
			env.Must(olga.Token, `query($id: ID!, $year: Int!) { node(id: $id) { ... on WorkerProfile { incomeStatement(year: $year) { year } } } }`,
				map[string]any{"id": st.Viewer.WorkerProfile.ID, "year": year}, &other)
			if other.Node.IncomeStatement != nil {
				t.Fatalf("the employer reads a worker's income statement: %+v", other.Node.IncomeStatement)
			}
		}
		if r := env.Do(ana.Token, statementQ, map[string]any{"year": 1999}); r.Code() != "BAD_USER_INPUT" {
			t.Fatalf("a statement for 1999: %+v", r.Errors)
		}
		// Spree's invoices (for the month of each payment, should they
		// straddle two) add up to Ana's wage and Ben's fee; Ben reads none.
		const invoiceQ = `query($id: ID!, $year: Int!, $month: Int!) { node(id: $id) { ... on Employer { invoice(year: $year, month: $month) {
			lines { currency wages cancellationFees withheld payments } } } } }`
		var wages, fees, payments int64
		months := map[time.Month]int{env.Clock.Now().In(berlin).Month(): env.Clock.Now().In(berlin).Year()}
		paid, _ := time.Parse(time.RFC3339, slipPaidAt)
		months[paid.In(berlin).Month()] = paid.In(berlin).Year()
		for month, y := range months {
			var inv struct {
				Node struct {
					Invoice *struct {
						Lines []struct {
							Currency                          string
							Wages, CancellationFees, Withheld int64
							Payments                          int64
						}
					}
				}
			}
			env.Must(olga.Token, invoiceQ, map[string]any{"id": emp, "year": y, "month": int(month)}, &inv)
			for _, l := range inv.Node.Invoice.Lines {
				wages, fees, payments = wages+l.Wages, fees+l.CancellationFees, payments+l.Payments
			}
			var stranger struct {
				Node struct{ Invoice *struct{ Lines []any } }
			}
			env.Must(ben.Token, invoiceQ, map[string]any{"id": emp, "year": y, "month": int(month)}, &stranger)
			if stranger.Node.Invoice != nil {
				t.Fatalf("a worker reads the employer's invoice: %+v", stranger.Node.Invoice)
			}
		}
		if wages != shiftWage || fees != shiftWage/2 || payments != 2 {
			t.Fatalf("Spree's invoices: wages %d, fees %d, %d payments", wages, fees, payments)
		}
		booksBalance(t, db)
	})
}

// TestRacingAcceptancesHireOnlyWhatTheFundsHold: funds for two wages, five
// offers accepted at once: two hires, the rest FUNDS_INSUFFICIENT, funds
// exactly spent, and the books balance. Both databases.
func TestRacingAcceptancesHireOnlyWhatTheFundsHold(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env, sam, olga, emp := prefundedEmployer(t, db)
		fund(env, sam, emp, "SEPA SPREE 0001", 2*shiftWage)
		shift := postShift(t, env, olga, emp, map[string]any{"slots": 5})
		var offers []string
		var workers []servertest.Account
		for _, name := range []string{"Ana", "Ben", "Cem", "Dora", "Emil"} {
			w := newWorker(t, env, name+"@example.com", name)
			workers = append(workers, w)
			offers = append(offers, offer(env, olga, apply(env, w, shift)))
		}
		codes := make([]string, len(offers))
		var wg sync.WaitGroup
		for i := range offers {
			wg.Go(func() {
				codes[i] = env.Op(workers[i].Token, "AcceptOffer", input(map[string]any{"offerID": offers[i]})).Code()
			})
		}
		wg.Wait()
		hires := 0
		for _, c := range codes {
			switch c {
			case "":
				hires++
			case "FUNDS_INSUFFICIENT", "CONFLICT":
			default:
				t.Fatalf("racing acceptances: %v", codes)
			}
		}
		funds, reserved := employerMoney(t, env, olga, emp)
		if hires != 2 || funds != 0 || reserved != 2*shiftWage {
			t.Fatalf("%d hired (%v), funds %d, reserved %d; want 2 hired and the funds all reserved", hires, codes, funds, reserved)
		}
		booksBalance(t, db)
	})
}

// TestTheGuaranteeFundPaysOnTheDeadline: Olga's employer is on credit
// terms (as servertest founds them) and pays nothing after approving Ana's
// hours. On the deadline the sweep pays Ana from the guarantee fund: her
// timesheet is RELEASED, her balance holds the wage, and the employer owes
// it; its next deposit repays the debt first. The books verify. Both
// databases.
func TestTheGuaranteeFundPaysOnTheDeadline(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env, sam, olga, emp := employerWithStaff(t, db)
		ana := newWorker(t, env, "ana@example.com", "Ana")
		shift := postShift(t, env, olga, emp, nil)
		c := newChain(t, env, olga, ana, apply(env, ana, shift))
		c.workAndApprove()
		status := func() string {
			var ts struct {
				Node struct{ PaymentStatus string }
			}
			env.Must(ana.Token, `query($id: ID!) { node(id: $id) { ... on Timesheet { paymentStatus } } }`, map[string]any{"id": c.timesheet}, &ts)
			return ts.Node.PaymentStatus
		}
		if s := status(); s != "UNPAID" {
			t.Fatalf("an approved wage on credit terms is %s, want UNPAID", s)
		}
		sweep := func() {
			if err := env.Server.Market.Sweep(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		env.Clock.Advance(market.PaymentTerm - time.Minute)
		sweep()
		if s := status(); s != "UNPAID" {
			t.Fatalf("before the deadline the wage is %s", s)
		}
		env.Clock.Advance(2 * time.Minute)
		sweep()
		sweep()
		var mine earnings
		env.Must(ana.Token, earningsQ, nil, &mine)
		if s, e := status(), mine.Viewer.WorkerProfile.Earnings; s != "RELEASED" || sum(e.Balance) != shiftWage {
			t.Fatalf("on the deadline: %s, Ana's balance %+v", s, e.Balance)
		}
		const owedQ = `query($id: ID!) { node(id: $id) { ... on Employer { owed { amount currency } funds { amount currency } } } }`
		var owed struct {
			Node struct{ Owed, Funds []market.Money }
		}
		env.Must(olga.Token, owedQ, map[string]any{"id": emp}, &owed)
		if sum(owed.Node.Owed) != shiftWage {
			t.Fatalf("the employer owes %+v, want the wage", owed.Node.Owed)
		}
		fund(env, sam, emp, "SEPA SPREE 0003", 20000)
		env.Must(olga.Token, owedQ, map[string]any{"id": emp}, &owed)
		if len(owed.Node.Owed) != 0 || sum(owed.Node.Funds) != 20000-shiftWage {
			t.Fatalf("after a deposit: owes %+v, holds %+v", owed.Node.Owed, owed.Node.Funds)
		}
		booksBalance(t, db)
	})
}

// TestACreditLimitBoundsWhatAnEmployerOwes: staff grant Olga's employer
// credit terms with a limit of one and a half wages. Ana's hire fits; while
// her wage is approved and unpaid an offer to Ben does not
// (CREDIT_LIMIT_REACHED); once Olga has paid it, it does, and with Ben's
// hire open a third would not. Only members and staff read the limit, and
// a limit must be credit terms' and in the employer's currency.
func TestACreditLimitBoundsWhatAnEmployerOwes(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env, sam, olga, emp := employerWithStaff(t, db)
		ana := newWorker(t, env, "ana@example.com", "Ana")
		ben := newWorker(t, env, "ben@example.com", "Ben")
		const setTerms = `mutation($in: SetFundingTermsInput!) { setFundingTerms(input: $in) { employer { fundingTerms creditLimit { amount currency } } } }`
		terms := func(kind string, amount int, currency string) map[string]any {
			return map[string]any{"in": map[string]any{"employerID": emp, "terms": kind,
				"creditLimit": map[string]any{"amount": amount, "currency": currency}}}
		}
		if r := env.Do(sam.Token, setTerms, terms("CREDIT", 16875, "CNY")); r.Code() != "BAD_USER_INPUT" {
			t.Fatalf("a limit in another currency: %+v", r.Errors)
		}
		if r := env.Do(sam.Token, setTerms, terms("PREFUNDED", 16875, "EUR")); r.Code() != "BAD_USER_INPUT" {
			t.Fatalf("a limit on prefunded terms: %+v", r.Errors)
		}
		env.Must(sam.Token, setTerms, terms("CREDIT", shiftWage*3/2, "EUR"), &struct{}{})
		const limitQ = `query($id: ID!) { node(id: $id) { ... on Employer { creditLimit { amount } } } }`
		for who, want := range map[servertest.Account]bool{olga: true, ben: false} {
			var seen struct {
				Node struct{ CreditLimit *market.Money }
			}
			env.Must(who.Token, limitQ, map[string]any{"id": emp}, &seen)
			if (seen.Node.CreditLimit != nil) != want || (want && seen.Node.CreditLimit.Amount != shiftWage*3/2) {
				t.Fatalf("the credit limit as seen: %+v", seen.Node.CreditLimit)
			}
		}
		c := newChain(t, env, olga, ana, apply(env, ana, postShift(t, env, olga, emp, nil)))
		c.workAndApprove()
		benApp := apply(env, ben, postShift(t, env, olga, emp, nil))
		if r := env.Op(olga.Token, "SendOffer", input(map[string]any{"applicationID": benApp})); r.Code() != "CREDIT_LIMIT_REACHED" {
			t.Fatalf("an offer past the limit while Ana's wage is unpaid: %+v", r.Errors)
		}
		env.MustOp(olga.Token, "MarkPaid", input(map[string]any{"timesheetID": c.timesheet, "reference": "SEPA 1"}), &struct{}{})
		env.MustOp(ben.Token, "AcceptOffer", input(map[string]any{"offerID": offer(env, olga, benApp)}), &struct{}{})
		// A third hire would owe two wages at once: refused.
		cem := newWorker(t, env, "cem@example.com", "Cem")
		if r := env.Op(olga.Token, "SendOffer", input(map[string]any{"applicationID": apply(env, cem, postShift(t, env, olga, emp, nil))})); r.Code() != "CREDIT_LIMIT_REACHED" {
			t.Fatalf("a second open hire past the limit: %+v", r.Errors)
		}
	})
}
