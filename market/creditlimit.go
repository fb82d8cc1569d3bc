package market

import (
	"context"

	"entgo.io/ent/dialect/sql"

	"flexwork/ent"
	"flexwork/ent/assignment"
	"flexwork/ent/employer"
	"flexwork/ent/rule"
	"flexwork/ent/timesheet"
	"flexwork/money"
)

// owing are the payment statuses of an approved wage the payer still owes.
var owing = []timesheet.PaymentStatus{timesheet.PaymentStatusUNPAID, timesheet.PaymentStatusNOT_RECEIVED, timesheet.PaymentStatusOVERDUE}

// checkCredit refuses what would take a payer on credit terms with a limit
// past it: extra more on top of what it owes now — the wages of its open
// hires (scheduled to checked out), the approved wages it has not paid,
// and its debt to the guarantee fund. At acceptance the new hire is open
// already (extra 0); the payer's row is locked first, so that two hires at
// once count each other.
func (m *Market) checkCredit(ctx context.Context, c *ent.Client, org, currency string, extra int64, lock bool) error {
	sys := rule.System(ctx)
	if lock {
		if err := c.Employer.UpdateOneID(org).SetUpdatedAt(m.Now()).Exec(sys); err != nil {
			return err
		}
	}
	e, err := c.Employer.Query().Where(employer.ID(org)).Only(sys)
	if err != nil || e.FundingTerms != employer.FundingTermsCREDIT || e.CreditLimit == nil {
		return err
	}
	paidBy := func(empField, agencyField string) func(*sql.Selector) {
		return func(s *sql.Selector) {
			s.Where(sql.Or(sql.EQ(s.C(agencyField), org), sql.And(sql.EQ(s.C(empField), org), sql.IsNull(s.C(agencyField)))))
		}
	}
	open, err := c.Assignment.Query().Where(paidBy(assignment.FieldEmployerID, assignment.FieldAgencyID),
		assignment.StatusIn(assignment.StatusSCHEDULED, assignment.StatusCHECKED_IN, assignment.StatusCHECKED_OUT)).
		WithShift().All(sys)
	if err != nil {
		return err
	}
	owed := extra
	for _, a := range open {
		owed += scheduledWage(termsOf(a.Edges.Shift, a))
	}
	unpaid, err := c.Timesheet.Query().Where(paidBy(timesheet.FieldEmployerID, timesheet.FieldAgencyID),
		timesheet.PaymentStatusIn(owing...)).All(sys)
	if err != nil {
		return err
	}
	for _, t := range unpaid {
		if t.AmountOwed != nil {
			owed += *t.AmountOwed - t.ReleasedAmount
		}
	}
	debt, err := money.Balance(ctx, c, money.Account{Kind: money.EmployerDebt, Owner: org, Currency: currency})
	if err != nil {
		return err
	}
	if owed -= debt; owed > *e.CreditLimit {
		return State(CodeCreditLimitReached, "with this hire the employer would owe %s, over its credit limit of %s; it pays what it owes, or adds funds and hires prefunded, first",
			FormatMoney(owed, currency), FormatMoney(*e.CreditLimit, currency))
	}
	return nil
}
