package market

import (
	"context"
	"sort"
	"time"

	"entgo.io/ent/dialect/sql"

	"flexwork/ent"
	"flexwork/ent/assignment"
	"flexwork/ent/moneyaccount"
	"flexwork/ent/rule"
	"flexwork/ent/timesheet"
	"flexwork/money"
)

// Earnings is what a worker has earned through flexwork, per currency:
// Balance is theirs now (released wages); Held is the wage of their hires
// not yet approved, held in escrow by prefunded employers.
type Earnings struct {
	Balance []*Money      `json:"balance"`
	Held    []*Money      `json:"held"`
	Payouts []*ent.Payout `json:"payouts"`

	worker string // whose, for the periods
}

// WorkerEarnings is a worker's earnings, for them and staff; nil for
// anyone else.
func (m *Market) WorkerEarnings(ctx context.Context, p *ent.WorkerProfile) (*Earnings, error) {
	if private(ctx, p.UserID, p) == nil {
		return nil, nil
	}
	accounts, err := m.client(ctx).MoneyAccount.Query().Where(moneyaccount.Kind(string(money.WorkerBalance)),
		moneyaccount.OwnerID(p.ID)).All(rule.System(ctx))
	if err != nil {
		return nil, err
	}
	out := &Earnings{Balance: make([]*Money, len(accounts)), worker: p.ID}
	for i, a := range accounts {
		out.Balance[i] = &Money{Amount: a.Balance, Currency: a.Currency}
	}
	sort.Slice(out.Balance, func(i, j int) bool { return out.Balance[i].Currency < out.Balance[j].Currency })
	out.Held, err = m.escrowHeld(ctx, func(s *sql.Selector) {
		t := sql.Table(assignment.Table)
		s.Where(sql.In(s.C(moneyaccount.FieldOwnerID), sql.Select(t.C(assignment.FieldID)).From(t).Where(
			sql.EQ(t.C(assignment.FieldWorkerID), p.ID))))
	})
	if err != nil {
		return nil, err
	}
	out.Payouts, err = m.WorkerPayouts(ctx, p.ID, 20)
	return out, err
}

// EarningsPeriod is what a worker was paid in one week (Monday first) or
// calendar month, each payment dated on its shift's clock: gross and net
// per currency, and per payer.
type EarningsPeriod struct {
	Starts string             `json:"starts"` // its first day, YYYY-MM-DD
	Gross  []*Money           `json:"gross"`
	Net    []*Money           `json:"net"`
	Payers []*IncomeFromPayer `json:"payers"`
}

// EarningsPeriods are the worker's last weeks or months that had a
// payment, newest first, up to last of them: the current period and the
// last-1 before it.
func (m *Market) EarningsPeriods(ctx context.Context, e *Earnings, weekly bool, last int) ([]*EarningsPeriod, error) {
	if last < 1 || last > 60 {
		return nil, BadInput("last", "give 1 to 60 periods")
	}
	oldest := periodStart(m.Now().UTC(), weekly)
	if weekly {
		oldest = oldest.AddDate(0, 0, -7*(last-1))
	} else {
		oldest = oldest.AddDate(0, -(last - 1), 0)
	}
	// Every time zone's dates lie within a day of UTC's.
	sheets, err := m.client(ctx).Timesheet.Query().Where(timesheet.WorkerID(e.worker), timesheet.PaymentStatusIn(paid...),
		timesheet.PaidAtGTE(oldest.Add(-24*time.Hour))).
		WithAssignment(func(q *ent.AssignmentQuery) { q.WithShift() }).All(rule.System(ctx))
	if err != nil {
		return nil, err
	}
	from := oldest.Format(time.DateOnly)
	in := map[string][]*ent.Timesheet{}
	for _, t := range sheets {
		key := periodStart(t.PaidAt.In(shiftLocation(t.Edges.Assignment.Edges.Shift)), weekly).Format(time.DateOnly)
		if key >= from {
			in[key] = append(in[key], t)
		}
	}
	out := make([]*EarningsPeriod, 0, len(in))
	for key, ts := range in {
		p := &EarningsPeriod{Starts: key}
		p.Payers, p.Gross, p.Net = incomeByPayer(ts)
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Starts > out[j].Starts })
	return out, nil
}

// periodStart is the first day of t's week (a Monday) or month, on t's
// calendar, as a date at midnight UTC.
func periodStart(t time.Time, weekly bool) time.Time {
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	if weekly {
		return day.AddDate(0, 0, -(int(day.Weekday())+6)%7)
	}
	return day.AddDate(0, 0, 1-day.Day())
}
