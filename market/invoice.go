package market

import (
	"context"
	"sort"

	"flexwork/ent"
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
	sheets, err := m.paidInMonth(ctx, year, month, timesheet.ReleasedAmountGT(0),
		timesheet.Or(timesheet.AgencyID(e.ID), timesheet.And(timesheet.EmployerID(e.ID), timesheet.AgencyIDIsNil())))
	if err != nil {
		return nil, err
	}
	out := &Invoice{Year: year, Month: month, Lines: []*InvoiceLine{}}
	lines := map[string]*InvoiceLine{}
	for _, t := range sheets {
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
