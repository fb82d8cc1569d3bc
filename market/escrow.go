package market

import (
	"context"
	"errors"
	"strconv"
	"time"

	"flexwork/ent"
	"flexwork/ent/assignment"
	"flexwork/ent/employer"
	"flexwork/ent/rule"
	"flexwork/ent/timesheet"
	"flexwork/market/jurisdiction"
	"flexwork/money"
)

// The wage's way through the money ledger. A prefunded payer's hire
// reserves the scheduled wage from its funds into an escrow account of the
// assignment (reserveWage, in the hiring transaction: no funds, no hire).
// Approval releases the approved amount from escrow into the worker's
// balance at once (release) and returns what is left to the payer; a hire
// that ends unworked returns it all (returnEscrow), after paying a late
// cancellation's fee from it. A dispute holds the disputed part from the
// payer's funds until the timesheet is approved again or decided.
//
// The payer is the organisation whose funds pay: the agency or contractor
// that employs the worker where the hire has one, else the employer.

func fundsOf(org, currency string) money.Account {
	return money.Account{Kind: money.EmployerFunds, Owner: org, Currency: currency}
}

func escrowOf(assignmentID, currency string) money.Account {
	return money.Account{Kind: money.Escrow, Owner: assignmentID, Currency: currency}
}

// hirePayer is the organisation whose funds pay a hire's wage.
func hirePayer(a *ent.Assignment) string { return paying(a.EmployerID, a.AgencyID) }

// scheduledWage is the pay for a shift's scheduled time, its unpaid break
// left out: what a hire reserves.
func scheduledWage(s *ent.Shift) int64 {
	minutes := int(s.EndsAt.Sub(s.StartsAt).Minutes()) - s.UnpaidBreakMinutes
	return wageFor(s, max(minutes, 0))
}

// prefunded says whether org pays on prefunded terms.
func prefunded(ctx context.Context, c *ent.Client, org string) (bool, error) {
	terms, err := c.Employer.Query().Where(employer.ID(org)).Select(employer.FieldFundingTerms).String(rule.System(ctx))
	return terms == employer.FundingTermsPREFUNDED.String(), err
}

// fundsShort is the refusal of a hire the payer's funds do not cover.
func fundsShort(wage, held int64, currency string) error {
	return State(CodeFundsInsufficient, "this hire's wage (%s) is held in escrow before work starts, and the employer's funds hold %s; add funds first",
		FormatMoney(wage, currency), FormatMoney(held, currency))
}

// checkFunds refuses an offer its payer could not hire on: a prefunded
// payer's funds do not cover the wage now, or the hire would take a payer
// on credit terms past its limit (acceptance checks again, and reserves).
func (m *Market) checkFunds(ctx context.Context, c *ent.Client, s *ent.Shift) error {
	org, wage := shiftPayer(s), scheduledWage(termsOf(s, &ent.Assignment{Boost: s.Boost}))
	if ok, err := prefunded(ctx, c, org); err != nil || !ok {
		if err != nil {
			return err
		}
		return m.checkCredit(ctx, c, org, s.Currency, wage, false)
	}
	held, err := money.Balance(ctx, c, fundsOf(org, s.Currency))
	if err != nil {
		return err
	}
	if held < wage {
		return fundsShort(wage, held, s.Currency)
	}
	return nil
}

// reserveWage holds a new hire's scheduled wage in escrow when its payer
// is prefunded (FUNDS_INSUFFICIENT when the funds do not cover it), and
// checks a payer on credit terms stays within its limit.
func (m *Market) reserveWage(ctx context.Context, c *ent.Client, s *ent.Shift, a *ent.Assignment) error {
	org := hirePayer(a)
	if ok, err := prefunded(ctx, c, org); err != nil || !ok {
		if err != nil {
			return err
		}
		return m.checkCredit(ctx, c, org, s.Currency, 0, true)
	}
	wage := scheduledWage(termsOf(s, a))
	if wage == 0 {
		return nil
	}
	_, err := m.postMoney(ctx, c, money.Transaction{Key: "reserve:" + a.ID, Kind: "RESERVE", Currency: s.Currency,
		Memo: "wage held for " + s.Title, Postings: []money.Posting{
			{Account: fundsOf(org, s.Currency), Amount: -wage},
			{Account: escrowOf(a.ID, s.Currency), Amount: wage},
		}}, a.ID)
	if errors.Is(err, money.ErrInsufficient) {
		held, berr := money.Balance(ctx, c, fundsOf(org, s.Currency))
		if berr != nil {
			return berr
		}
		return fundsShort(wage, held, s.Currency)
	}
	return err
}

// returnEscrow gives what a hire's escrow still holds back to its payer;
// tag makes the transaction's key (one return per occasion).
func (m *Market) returnEscrow(ctx context.Context, c *ent.Client, a *ent.Assignment, currency, tag string) error {
	held, err := money.Balance(ctx, c, escrowOf(a.ID, currency))
	if err != nil || held == 0 {
		return err
	}
	_, err = m.postMoney(ctx, c, money.Transaction{Key: "return:" + a.ID + ":" + tag, Kind: "RETURN", Currency: currency,
		Memo: "escrow returned: " + tag, Postings: []money.Posting{
			{Account: escrowOf(a.ID, currency), Amount: -held},
			{Account: fundsOf(hirePayer(a), currency), Amount: held},
		}}, a.ID)
	return err
}

// release pays an approved timesheet (t, its assignment loaded, as it now
// stands) into the worker's balance: what its amount owed adds to what was
// released before, from the hire's escrow first, then the payer's funds.
// With guarantee, the worker is paid in full whatever the funds hold: the
// guarantee fund pays the rest and the payer owes it. That is so on
// approval for a prefunded payer, and on the deadline for any (see
// FlagOverduePayments). Without it, a payer on credit whose escrow and
// funds do not cover the wage pays by the deadline (MarkPaid), and nothing
// moves now. Then what the escrow still holds goes back to the payer.
// released says whether the wage is now paid.
func (m *Market) release(ctx context.Context, c *ent.Client, t *ent.Timesheet, guarantee bool) (released bool, err error) {
	a := t.Edges.Assignment
	owed, cur, org := *t.AmountOwed, t.Currency, hirePayer(a)
	if owed < t.ReleasedAmount {
		return false, State(CodePaymentFinal, "%s is in the worker's balance already; an approval cannot take it back",
			FormatMoney(t.ReleasedAmount, cur))
	}
	due := owed - t.ReleasedAmount
	inEscrow, err := money.Balance(ctx, c, escrowOf(a.ID, cur))
	if err != nil {
		return false, err
	}
	// The funds are locked before they are read: two approvals paid from
	// them at once take turns instead of both counting on the same money.
	inFunds, err := money.Lock(ctx, c, fundsOf(org, cur))
	if err != nil {
		return false, err
	}
	fromEscrow := min(inEscrow, due)
	fromFunds := min(inFunds, due-fromEscrow)
	guaranteed := due - fromEscrow - fromFunds
	if guaranteed > 0 && !guarantee {
		return false, m.returnEscrow(ctx, c, a, cur, "unreleased:"+strconv.FormatInt(owed, 10))
	}
	key := t.ID + ":" + strconv.FormatInt(owed, 10)
	withheld := jurisdiction.Withholding{Rule: t.WithholdingRule}
	if due > 0 {
		if withheld, err = m.withholding(ctx, c, t, org, due); err != nil {
			return false, err
		}
		var legs []money.Posting
		for _, l := range []money.Posting{
			{Account: money.Account{Kind: money.WorkerBalance, Owner: t.WorkerID, Currency: cur}, Amount: due - withheld.Amount},
			{Account: money.Account{Kind: money.TaxWithheld, Owner: org, Currency: cur}, Amount: withheld.Amount},
			{Account: escrowOf(a.ID, cur), Amount: -fromEscrow},
			{Account: fundsOf(org, cur), Amount: -fromFunds},
			{Account: money.Account{Kind: money.GuaranteeFund, Currency: cur}, Amount: -guaranteed},
		} {
			if l.Amount != 0 {
				legs = append(legs, l)
			}
		}
		if _, err := m.postMoney(ctx, c, money.Transaction{Key: "release:" + key, Kind: "RELEASE", Currency: cur,
			Memo: "wage for timesheet " + t.ID, Postings: legs}, t.ID); err != nil {
			return false, err
		}
		if guaranteed > 0 { // the fund paid for the payer, who now owes it
			if _, err := m.postMoney(ctx, c, money.Transaction{Key: "guarantee:" + key, Kind: "GUARANTEE_DEBT", Currency: cur,
				Memo: "guarantee fund paid for " + org, Postings: []money.Posting{
					{Account: money.Account{Kind: money.EmployerDebt, Owner: org, Currency: cur}, Amount: -guaranteed},
					{Account: money.Account{Kind: money.GuaranteeFund, Currency: cur}, Amount: guaranteed},
				}}, org); err != nil {
				return false, err
			}
		}
	}
	now := m.Now()
	if err := c.Timesheet.UpdateOneID(t.ID).SetReleasedAmount(owed).AddWithheldAmount(withheld.Amount).SetWithholdingRule(withheld.Rule).
		SetPaymentStatus(timesheet.PaymentStatusRELEASED).
		SetPaidAt(now).SetPaymentReference("flexwork:" + t.ID).Exec(rule.System(ctx)); err != nil {
		return false, err
	}
	if err := m.returnEscrow(ctx, c, a, cur, "released:"+strconv.FormatInt(now.UnixNano(), 10)); err != nil {
		return false, err
	}
	return true, m.creditPayment(ctx, c, t)
}

// withholding is the tax the payer's jurisdiction withholds from due, the
// part of t released now: its rule reads what the payer released to the
// worker earlier in the month (on the shift's clock), in the same form of
// work, and what was withheld from it — t's own earlier release included.
func (m *Market) withholding(ctx context.Context, c *ent.Client, t *ent.Timesheet, org string, due int64) (jurisdiction.Withholding, error) {
	sys := rule.System(ctx)
	pack, err := m.packOf(ctx, org)
	if err != nil || pack.Withhold == nil {
		return jurisdiction.Withholding{}, err
	}
	s, err := c.Shift.Get(sys, t.Edges.Assignment.ShiftID)
	if err != nil {
		return jurisdiction.Withholding{}, err
	}
	now := m.Now().In(shiftLocation(s))
	from := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location())
	earlier, err := c.Timesheet.Query().Where(timesheet.WorkerID(t.WorkerID), timesheet.ReleasedAmountGT(0),
		timesheet.PaidAtGTE(from), timesheet.PaidAtLT(from.AddDate(0, 1, 0)), timesheet.Currency(t.Currency)).
		WithAssignment(func(q *ent.AssignmentQuery) { q.WithShift() }).All(sys)
	if err != nil {
		return jurisdiction.Withholding{}, err
	}
	p := jurisdiction.Payment{Engagement: s.EngagementType, Gross: due}
	for _, e := range earlier {
		if payerOf(e) == org && e.Edges.Assignment.Edges.Shift.EngagementType == s.EngagementType {
			p.Earlier += e.ReleasedAmount
			p.WithheldEarlier += e.WithheldAmount
		}
	}
	return pack.Withhold(p), nil
}

// releaseApproved releases the timesheet id as it now stands, just
// approved or decided.
func (m *Market) releaseApproved(ctx context.Context, c *ent.Client, id string) error {
	t, err := c.Timesheet.Query().Where(timesheet.ID(id)).WithAssignment().Only(rule.System(ctx))
	if err != nil {
		return err
	}
	pre, err := prefunded(ctx, c, hirePayer(t.Edges.Assignment))
	if err != nil {
		return err
	}
	_, err = m.release(ctx, c, t, pre)
	return err
}

// holdDisputed sets aside, from a prefunded payer's funds, the part of the
// wage the worker disputes (what their own minutes come to, beyond what
// was released), as far as the funds go: a decision in the worker's favour
// is then paid from it.
func (m *Market) holdDisputed(ctx context.Context, c *ent.Client, t *ent.Timesheet) error {
	a, err := c.Assignment.Query().Where(assignment.ID(t.AssignmentID)).WithShift().Only(rule.System(ctx))
	if err != nil {
		return err
	}
	s := a.Edges.Shift
	org := hirePayer(a)
	if ok, err := prefunded(ctx, c, org); err != nil || !ok {
		return err
	}
	part := wageFor(termsOf(s, a), t.WorkedMinutes) - t.ReleasedAmount
	held, err := money.Lock(ctx, c, fundsOf(org, t.Currency))
	if err != nil || min(part, held) <= 0 {
		return err
	}
	_, err = m.postMoney(ctx, c, money.Transaction{Key: "hold:" + t.ID + ":" + strconv.FormatInt(m.Now().UnixNano(), 10),
		Kind: "HOLD", Currency: t.Currency, Memo: "disputed part of timesheet " + t.ID, Postings: []money.Posting{
			{Account: fundsOf(org, t.Currency), Amount: -min(part, held)},
			{Account: escrowOf(a.ID, t.Currency), Amount: min(part, held)},
		}}, t.ID)
	return err
}

// shiftPayer is the organisation whose funds pay a shift's hires.
func shiftPayer(s *ent.Shift) string { return paying(s.EmployerID, s.AgencyID) }
