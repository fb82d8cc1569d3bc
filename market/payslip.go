package market

import (
	"context"
	"sort"
	"time"

	"flexwork/ent"
	"flexwork/ent/assignment"
	"flexwork/ent/employer"
	"flexwork/ent/predicate"
	"flexwork/ent/rule"
	"flexwork/ent/shift"
	"flexwork/ent/timesheet"
)

// Payslip is one payment of wages (or of a cancellation fee) as the
// worker's record of it: who paid, for what work, at what rate, how much,
// when and how.
type Payslip struct {
	PayerID         string        `json:"payerID"`
	ShiftTitle      string        `json:"shiftTitle"`
	WorkedOn        string        `json:"workedOn"` // the shift's local date, YYYY-MM-DD
	Minutes         int           `json:"minutes"`  // approved; 0 for a cancellation fee
	Rate            Money         `json:"rate"`     // per pay unit, with any boost the hire was made under
	PayUnit         shift.PayUnit `json:"payUnit"`
	Gross           Money         `json:"gross"`
	Withheld        Money         `json:"withheld"`        // tax withheld by flexwork for the payer
	WithholdingRule string        `json:"withholdingRule"` // the rule it was withheld under; "" when none was
	Net             Money         `json:"net"`             // what the worker received
	PaidAt          time.Time     `json:"paidAt"`
	ThroughFlexwork bool          `json:"throughFlexwork"` // released into the flexwork balance (from escrow, funds or the guarantee fund), not paid by the employer directly
	CancellationFee bool          `json:"cancellationFee"`
}

// paid are the payment statuses of a wage the worker has: released by
// flexwork, or paid by the employer and confirmed.
var paid = []timesheet.PaymentStatus{timesheet.PaymentStatusRELEASED, timesheet.PaymentStatusCONFIRMED}

// TimesheetPayslip is a paid timesheet's payslip; nil before it is paid.
// Whoever sees the timesheet sees it.
func (m *Market) TimesheetPayslip(ctx context.Context, t *ent.Timesheet) (*Payslip, error) {
	if t.PaidAt == nil || t.AmountOwed == nil || (t.PaymentStatus != timesheet.PaymentStatusRELEASED && t.PaymentStatus != timesheet.PaymentStatusCONFIRMED) {
		return nil, nil
	}
	a, err := m.client(ctx).Assignment.Query().Where(assignment.ID(t.AssignmentID)).WithShift().Only(rule.System(ctx))
	if err != nil {
		return nil, err
	}
	return payslip(t, a), nil
}

func payslip(t *ent.Timesheet, a *ent.Assignment) *Payslip {
	s := termsOf(a.Edges.Shift, a)
	minutes := 0
	if t.ApprovedMinutes != nil {
		minutes = *t.ApprovedMinutes
	}
	return &Payslip{
		PayerID: payerOf(t), ShiftTitle: s.Title, WorkedOn: s.StartsAt.In(shiftLocation(s)).Format(time.DateOnly),
		Minutes: minutes, Rate: Money{Amount: s.PayRate, Currency: s.Currency}, PayUnit: s.PayUnit,
		Gross: Money{Amount: *t.AmountOwed, Currency: t.Currency}, PaidAt: *t.PaidAt,
		Withheld: Money{Amount: t.WithheldAmount, Currency: t.Currency}, WithholdingRule: t.WithholdingRule,
		Net:             Money{Amount: *t.AmountOwed - t.WithheldAmount, Currency: t.Currency},
		ThroughFlexwork: t.PaymentStatus == timesheet.PaymentStatusRELEASED,
		CancellationFee: t.Source == timesheet.SourceCANCELLATION_FEE,
	}
}

// IncomeStatement is a worker's income of one year, per payer: what an
// annual statement for a tax return reads.
type IncomeStatement struct {
	Year   int                `json:"year"`
	Payers []*IncomeFromPayer `json:"payers"`
	Total  []*Money           `json:"total"`
}

// IncomeFromPayer is what one payer paid a worker in the year.
type IncomeFromPayer struct {
	PayerID  string   `json:"payerID"`
	Gross    []*Money `json:"gross"`
	Payments int      `json:"payments"`
}

// WorkerIncomeStatement is a worker's income statement for year, for them
// and staff; nil for anyone else. A payment counts in the year of its
// payment date on the shift's own clock (a payment on New Year's night in
// Shanghai counts in the new year there).
func (m *Market) WorkerIncomeStatement(ctx context.Context, p *ent.WorkerProfile, year int) (*IncomeStatement, error) {
	if private(ctx, p.UserID, p) == nil {
		return nil, nil
	}
	sheets, err := m.paidInYear(ctx, year, timesheet.WorkerID(p.ID), timesheet.PaymentStatusIn(paid...))
	if err != nil {
		return nil, err
	}
	out := &IncomeStatement{Year: year}
	out.Payers, out.Total, _ = incomeByPayer(sheets)
	return out, nil
}

// incomeByPayer sums paid timesheets per payer (sorted by ID) and per
// currency: gross, and net of tax withheld.
func incomeByPayer(sheets []*ent.Timesheet) (payers []*IncomeFromPayer, gross, net []*Money) {
	payers, gross, net = []*IncomeFromPayer{}, []*Money{}, []*Money{}
	add := func(list *[]*Money, amount int64, currency string) {
		for _, m := range *list {
			if m.Currency == currency {
				m.Amount += amount
				return
			}
		}
		*list = append(*list, &Money{Amount: amount, Currency: currency})
	}
	byPayer := map[string]*IncomeFromPayer{}
	for _, t := range sheets {
		payer := payerOf(t)
		f := byPayer[payer]
		if f == nil {
			f = &IncomeFromPayer{PayerID: payer, Gross: []*Money{}}
			byPayer[payer] = f
			payers = append(payers, f)
		}
		f.Payments++
		add(&f.Gross, *t.AmountOwed, t.Currency)
		add(&gross, *t.AmountOwed, t.Currency)
		add(&net, *t.AmountOwed-t.WithheldAmount, t.Currency)
	}
	sort.Slice(payers, func(i, j int) bool { return payers[i].PayerID < payers[j].PayerID })
	sort.Slice(gross, func(i, j int) bool { return gross[i].Currency < gross[j].Currency })
	sort.Slice(net, func(i, j int) bool { return net[i].Currency < net[j].Currency })
	return payers, gross, net
}

// paidInYear are the timesheets, with their assignment and shift, that
// where selects and that were paid in year on the clock of each payment's
// shift; a year out of range is BAD_USER_INPUT.
func (m *Market) paidInYear(ctx context.Context, year int, where ...predicate.Timesheet) ([]*ent.Timesheet, error) {
	if err := validYear(year); err != nil {
		return nil, err
	}
	return m.paidIn(ctx, year, 0, where...)
}

// paidInMonth is paidInYear for one month of the year, 1 to 12.
func (m *Market) paidInMonth(ctx context.Context, year, month int, where ...predicate.Timesheet) ([]*ent.Timesheet, error) {
	if err := validYear(year); err != nil {
		return nil, err
	}
	if month < 1 || month > 12 {
		return nil, BadInput("month", "give a month from 1 to 12")
	}
	return m.paidIn(ctx, year, month, where...)
}

func validYear(year int) error {
	if year < 2000 || year > 9999 {
		return BadInput("year", "give a year such as 2026")
	}
	return nil
}

// paidIn serves both: month 0 is the whole year.
func (m *Market) paidIn(ctx context.Context, year, month int, where ...predicate.Timesheet) ([]*ent.Timesheet, error) {
	from, to := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(year+1, 1, 1, 0, 0, 0, 0, time.UTC)
	if month > 0 {
		from = time.Date(year, time.Month(month), 1, 0, 0, 0, 0, time.UTC)
		to = from.AddDate(0, 1, 0)
	}
	// Every time zone's dates lie within a day of UTC's.
	sheets, err := m.client(ctx).Timesheet.Query().
		Where(append(where, timesheet.PaidAtGTE(from.Add(-24*time.Hour)), timesheet.PaidAtLT(to.Add(24*time.Hour)))...).
		WithAssignment(func(q *ent.AssignmentQuery) { q.WithShift() }).All(rule.System(ctx))
	if err != nil {
		return nil, err
	}
	out := sheets[:0]
	for _, t := range sheets {
		local := t.PaidAt.In(shiftLocation(t.Edges.Assignment.Edges.Shift))
		if local.Year() == year && (month == 0 || int(local.Month()) == month) {
			out = append(out, t)
		}
	}
	return out, nil
}

// Payer is the organisation a payslip or statement line names.
func (m *Market) Payer(ctx context.Context, id string) (*ent.Employer, error) {
	return m.client(ctx).Employer.Query().Where(employer.ID(id)).Only(ctx)
}
