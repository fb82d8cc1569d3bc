package market

import (
	"context"
	"time"

	"flexwork/credit"
	"flexwork/ent"
	"flexwork/ent/creditevent"
	"flexwork/ent/employer"
	"flexwork/ent/rule"
	"flexwork/ent/schema/pulid"
	"flexwork/ent/workerprofile"
)

// LedgerCreditEvent is the ledger kind of a credit event: credit is chained
// into the same tamper-evident record as hires and payments, and
// `flexwork credit recompute` rebuilds scores from it.
const LedgerCreditEvent = "CREDIT_EVENT"

// creditFact is a credit-relevant fact about a worker or an employer.
type creditFact struct {
	kind       creditevent.Kind
	workerID   string // the subject is a worker…
	employerID string // … or an employer
	rating     *int
	sourceID   string
	reverses   string
	note       string
}

// CreditPayload is what a credit event's ledger entry holds.
type CreditPayload struct {
	ID         string    `json:"id"`
	Subject    string    `json:"subject"`
	Kind       string    `json:"kind"`
	Rating     int       `json:"rating,omitempty"`
	Source     string    `json:"source,omitempty"`
	Reverses   string    `json:"reverses,omitempty"`
	OccurredAt time.Time `json:"occurredAt"`
}

// recordCredit appends a credit event — to the credit events and to the
// ledger — and rescores its subject, all in the caller's transaction.
func (m *Market) recordCredit(ctx context.Context, c *ent.Client, f creditFact) (*ent.CreditEvent, error) {
	sys := rule.System(ctx)
	now := m.Now().Truncate(time.Microsecond)
	create := c.CreditEvent.Create().SetKind(f.kind).SetOccurredAt(now).SetSourceID(f.sourceID).SetNote(f.note).
		SetNillableRating(f.rating)
	subject := f.workerID
	if f.workerID != "" {
		create.SetSubjectKind(creditevent.SubjectKindWORKER).SetWorkerID(f.workerID)
	} else {
		subject = f.employerID
		create.SetSubjectKind(creditevent.SubjectKindEMPLOYER).SetEmployerID(f.employerID)
	}
	if f.reverses != "" {
		create.SetReversesID(f.reverses)
	}
	ev, err := create.Save(sys)
	if err != nil {
		return nil, err
	}
	p := CreditPayload{ID: ev.ID, Subject: subject, Kind: string(f.kind), Source: f.sourceID, Reverses: f.reverses, OccurredAt: now}
	if f.rating != nil {
		p.Rating = *f.rating
	}
	// The entry's payload names the event's ID: that is the link between
	// them (the entry's seq comes later, from the sequencer).
	if _, err := m.appendLedger(ctx, c, LedgerCreditEvent, subject, actor(ctx), p); err != nil {
		return nil, err
	}
	if err := m.rescore(ctx, c, subject, now); err != nil {
		return nil, err
	}
	return ev, m.emit(ctx, c, Event{Kind: CreditChanged, ID: ev.ID, WorkerID: f.workerID, EmployerID: f.employerID, Detail: string(f.kind)})
}

// rescore recomputes a subject's stored score from its credit events as of
// asOf, and stores asOf with it.
func (m *Market) rescore(ctx context.Context, c *ent.Client, subject string, asOf time.Time) error {
	sys := rule.System(ctx)
	r, err := m.creditReport(sys, c, subject, asOf)
	if err != nil {
		return err
	}
	if isEmployer(subject) {
		return c.Employer.Update().Where(employer.ID(subject)).
			SetCreditScore(r.Score).SetCreditProvisional(r.Provisional).SetCreditAsOf(asOf).Exec(sys)
	}
	return c.WorkerProfile.Update().Where(workerprofile.ID(subject)).
		SetCreditScore(r.Score).SetCreditProvisional(r.Provisional).SetCreditAsOf(asOf).Exec(sys)
}

// creditReport computes a subject's report from its stored credit events.
func (m *Market) creditReport(ctx context.Context, c *ent.Client, subject string, asOf time.Time) (credit.Report, error) {
	q := c.CreditEvent.Query().Where(creditevent.WorkerID(subject))
	if isEmployer(subject) {
		q = c.CreditEvent.Query().Where(creditevent.EmployerID(subject))
	}
	rows, err := q.Where(creditevent.OccurredAtLTE(asOf)).Order(ent.Asc(creditevent.FieldOccurredAt)).All(rule.System(ctx))
	if err != nil {
		return credit.Report{}, err
	}
	return credit.Compute(CreditEvents(rows), asOf), nil
}

// CreditEvents converts stored events for the credit model.
func CreditEvents(rows []*ent.CreditEvent) []credit.Event {
	out := make([]credit.Event, len(rows))
	for i, e := range rows {
		out[i] = credit.Event{ID: e.ID, Kind: credit.Kind(e.Kind), At: e.OccurredAt}
		if e.Rating != nil {
			out[i].Rating = *e.Rating
		}
		if e.ReversesID != nil {
			out[i].Reverses = *e.ReversesID
		}
	}
	return out
}

func isEmployer(id string) bool { return pulid.Prefix(id) == "emp" }

func ptr[T any](v T) *T { return &v }
