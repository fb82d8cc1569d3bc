package market

import (
	"context"
	"sort"
	"time"

	"flexwork/ent"
	"flexwork/ent/rule"
	"flexwork/ent/timesheet"
)

// Invoice is what an employer (or agency, or contractor) paid its workers
// through flexwork in one month, per currency: the statement its books
// and its workers' tax filings start from. A payment counts in the month
// of its date on the shift's clock.
type Invoice struct {
	Year  int            `json:"year"`
	Month int            `json:"month"`
	Lines []*InvoiceLine `json:"lines"`
}

// InvoiceLine is one currency's part of an invoice, in minor units.
type InvoiceLine struct {
	Currency         string `json:"currency"`
	Wages            int64  `json:"wages"`            // released for work
	CancellationFees int64  `json:"cancellationFees"` // released for hires cancelled late
	Withheld         int64  `json:"withheld"`         // of those, tax withheld for the payer to remit
	Payments         int    `json:"payments"`
}

// EmployerInvoice is an employer's invoice for a month, for its members
// and staff; nil for anyone else.
func (m *Market) EmployerInvoice(ctx context.Context, e *ent.Employer, year, month int) (*Invoice, error) {
	v, err := signedIn(ctx)
	if err != nil || !seesEmployer(v, e.ID) {
		return nil, nil
	}
	if year < 2000 || year > 9999 {
		return nil, BadInput("year", "give a year such as 2026")
	}
	if month < 1 || month > 12 {
		return nil, BadInput("month", "give a month from 1 to 12")
	}
	from := time.Date(year, time.Month(month), 1, 0, 0, 0, 0, time.UTC)
	sheets, err := m.client(ctx).Timesheet.Query().Where(timesheet.ReleasedAmountGT(0),
		timesheet.Or(timesheet.AgencyID(e.ID), timesheet.And(timesheet.EmployerID(e.ID), timesheet.AgencyIDIsNil())),
		timesheet.PaidAtGTE(from.Add(-24*time.Hour)), timesheet.PaidAtLT(from.AddDate(0, 1, 0).Add(24*time.Hour))).
		WithAssignment(func(q *ent.AssignmentQuery) { q.WithShift() }).All(rule.System(ctx))
	if err != nil {
		return nil, err
	}
	out := &Invoice{Year: year, Month: month, Lines: []*InvoiceLine{}}
	lines := map[string]*InvoiceLine{}
	for _, t := range sheets {
		local := t.PaidAt.In(shiftLocation(t.Edges.Assignment.Edges.Shift))
		if local.Year() != year || int(local.Month()) != month {
			continue
		}
		l := lines[t.Currency]
		if l == nil {
			l = &InvoiceLine{Currency: t.Currency}
			lines[t.Currency] = l
			out.Lines = append(out.Lines, l)
		}
		if t.Source == timesheet.SourceCANCELLATION_FEE {
			l.CancellationFees += t.ReleasedAmount
		} else {
			l.Wages += t.ReleasedAmount
		}
		l.Withheld += t.WithheldAmount
		l.Payments++
	}
	sort.Slice(out.Lines, func(i, j int) bool { return out.Lines[i].Currency < out.Lines[j].Currency })
	return out, nil
}
