package market

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"entgo.io/ent/dialect/sql"

	"flexwork/credit"
	"flexwork/ent"
	"flexwork/ent/application"
	"flexwork/ent/creditevent"
	"flexwork/ent/employer"
	"flexwork/ent/ledgerentry"
	"flexwork/ent/rosterentry"
	"flexwork/ent/rule"
	"flexwork/ent/schema/pulid"
	"flexwork/ent/workerprofile"
	"flexwork/i18n"
)

// CreditReport is a subject's credit as a viewer may see it.
type CreditReport struct {
	SubjectID   string         `json:"subjectID"`
	Score       int            `json:"score"`
	Band        credit.Band    `json:"band"`
	Provisional bool           `json:"provisional"`
	AsOf        time.Time      `json:"asOf"`
	Factors     []CreditFactor `json:"factors"`
}

// CreditFactor is a factor with, for the subject and staff only, the events
// behind it.
type CreditFactor struct {
	// key names the factor in i18n's messages: credit.factor.<key>.
	key    string
	Points int                `json:"points"`
	Events []*ent.CreditEvent `json:"events"`
}

// Name is the factor's name in the language of the request.
func (f CreditFactor) Name(ctx context.Context) string {
	return i18n.T(i18n.Language(ctx), "credit.factor."+f.key, nil)
}

// factorKey is the message key of a credit factor named in English by
// package credit: "no-shows" → no_shows.
func factorKey(name string) string { return strings.NewReplacer(" ", "_", "-", "_").Replace(name) }

var errNoReport = Forbidden("you may not see this credit report")

// CreditReport explains a worker's or an employer's score. The subject and
// staff see everything, the events included; an employer sees the score,
// band and factors of a worker who applied to one of its shifts; any
// worker sees an employer's; everyone else is refused.
func (m *Market) CreditReport(ctx context.Context, subjectID string) (*CreditReport, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	sys := rule.System(ctx)
	c := m.client(ctx)
	var (
		full  bool
		asOf  *time.Time
		score int
	)
	switch pulid.Prefix(subjectID) {
	case "wkr":
		p, err := c.WorkerProfile.Query().Where(workerprofile.ID(subjectID)).Only(sys)
		if ent.IsNotFound(err) {
			return nil, NotFound("worker")
		}
		if err != nil {
			return nil, err
		}
		full = v.Staff || v.WorkerID == subjectID
		if !full {
			applied, err := c.Application.Query().Where(application.WorkerID(subjectID),
				application.EmployerIDIn(v.MemberOf()...)).Exist(sys)
			if err != nil {
				return nil, err
			}
			if !applied {
				// An agency or contractor reads the record of the workers
				// it employs, as their employer.
				applied, err = c.RosterEntry.Query().Where(rosterentry.WorkerID(subjectID),
					rosterentry.EmployerIDIn(v.MemberOf()...), rosterentry.KindEQ(rosterentry.KindEMPLOYED)).Exist(sys)
				if err != nil {
					return nil, err
				}
			}
			if !applied {
				return nil, errNoReport
			}
		}
		asOf, score = p.CreditAsOf, p.CreditScore
	case "emp":
		e, err := c.Employer.Query().Where(employer.ID(subjectID)).Only(sys)
		if ent.IsNotFound(err) {
			return nil, NotFound("employer")
		}
		if err != nil {
			return nil, err
		}
		full = v.Staff || v.IsMember(subjectID)
		if !full && v.WorkerID == "" {
			return nil, errNoReport
		}
		asOf, score = e.CreditAsOf, e.CreditScore
	default:
		return nil, BadInput("subjectID", "is not a worker or an employer")
	}
	at := m.Now()
	if asOf != nil {
		at = *asOf // the moment the stored score was computed for
	}
	r, err := m.creditReport(sys, c, subjectID, at)
	if err != nil {
		return nil, err
	}
	if asOf != nil && r.Score != score {
		return nil, fmt.Errorf("credit of %s: stored %d, recomputed %d", subjectID, score, r.Score)
	}
	out := &CreditReport{SubjectID: subjectID, Score: r.Score, Band: r.Band, Provisional: r.Provisional, AsOf: at}
	var events map[string]*ent.CreditEvent
	if full {
		var ids []string
		for _, f := range r.Factors {
			ids = append(ids, f.Events...)
		}
		rows, err := c.CreditEvent.Query().Where(creditevent.IDIn(ids...)).All(sys)
		if err != nil {
			return nil, err
		}
		events = make(map[string]*ent.CreditEvent, len(rows))
		for _, e := range rows {
			events[e.ID] = e
		}
	}
	for _, f := range r.Factors {
		cf := CreditFactor{key: factorKey(f.Name), Points: f.Points}
		if full {
			cf.Events = make([]*ent.CreditEvent, 0, len(f.Events))
			for _, id := range f.Events {
				cf.Events = append(cf.Events, events[id])
			}
		}
		out.Factors = append(out.Factors, cf)
	}
	return out, nil
}

// CreditDiff is a subject whose stored score the ledger does not bear out.
type CreditDiff struct {
	SubjectID          string
	Stored, Recomputed int
}

// RecomputeCredit rebuilds every subject's score from the credit events in
// the ledger — not from the credit events table — as of the
// moment each stored score was computed for, and reports every difference.
// With refresh it then rescores everyone as of now (scores age: the daily
// job does this).
func (m *Market) RecomputeCredit(ctx context.Context, refresh bool) (checked int, diffs []CreditDiff, err error) {
	ctx = rule.System(ctx)
	bySubject := map[string][]credit.Event{}
	// By ID, not seq: the entries the sequencer has not reached yet count.
	var last string
	for {
		entries, err := m.db.LedgerEntry.Query().Where(ledgerentry.KindEQ(LedgerCreditEvent), ledgerentry.IDGT(last)).
			Order(ent.Asc(ledgerentry.FieldID)).Limit(1000).All(ctx)
		if err != nil {
			return 0, nil, err
		}
		for _, e := range entries {
			var p CreditPayload
			if err := json.Unmarshal([]byte(e.Payload), &p); err != nil {
				return 0, nil, fmt.Errorf("ledger entry %s: %w", e.ID, err)
			}
			bySubject[p.Subject] = append(bySubject[p.Subject], credit.Event{ID: p.ID, Kind: credit.Kind(p.Kind),
				At: p.OccurredAt, Rating: p.Rating, Reverses: p.Reverses})
			last = e.ID
		}
		if len(entries) < 1000 {
			break
		}
	}
	check := func(id string, asOf *time.Time, score int) {
		checked++
		at := m.Now()
		if asOf != nil {
			at = *asOf
		}
		var events []credit.Event
		for _, e := range bySubject[id] {
			if !e.At.After(at) {
				events = append(events, e)
			}
		}
		if r := credit.Compute(events, at); r.Score != score {
			diffs = append(diffs, CreditDiff{SubjectID: id, Stored: score, Recomputed: r.Score})
		}
	}
	workers, err := m.db.WorkerProfile.Query().Select(workerprofile.FieldID, workerprofile.FieldCreditScore, workerprofile.FieldCreditAsOf).All(ctx)
	if err != nil {
		return 0, nil, err
	}
	for _, w := range workers {
		check(w.ID, w.CreditAsOf, w.CreditScore)
	}
	employers, err := m.db.Employer.Query().Select(employer.FieldID, employer.FieldCreditScore, employer.FieldCreditAsOf).All(ctx)
	if err != nil {
		return 0, nil, err
	}
	for _, e := range employers {
		check(e.ID, e.CreditAsOf, e.CreditScore)
	}
	if refresh {
		err = m.RefreshCredit(ctx)
	}
	return checked, diffs, err
}

// RefreshCredit rescores every subject with credit events as of now, so that
// old events weigh what their age says; a daily job runs it.
func (m *Market) RefreshCredit(ctx context.Context) error {
	ctx = rule.System(ctx)
	now := m.Now().Truncate(time.Microsecond)
	var subjects []string
	for _, col := range []string{creditevent.FieldWorkerID, creditevent.FieldEmployerID} {
		ids, err := m.db.CreditEvent.Query().Where(func(s *sql.Selector) { s.Where(sql.NotNull(s.C(col))) }).
			Unique(true).Select(col).Strings(ctx)
		if err != nil {
			return err
		}
		subjects = append(subjects, ids...)
	}
	for _, id := range subjects {
		if err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error { return m.rescore(ctx, c, id, now) }); err != nil {
			return err
		}
	}
	return nil
}
