package market

import (
	"context"
	"time"

	"flexwork/ent"
	"flexwork/ent/employer"
	"flexwork/ent/rule"
	"flexwork/ent/schema/rights"
)

// The worker-rights score reads the last 90 days, and is refreshed daily
// for up to 200 organisations per sweep: a bounded cost per sweep
// however many organisations there are.
const (
	rightsWindow       = 90 * 24 * time.Hour
	rightsRefreshEvery = 24 * time.Hour
	rightsBatch        = 200
)

// RightsScore is an organisation's worker-rights score, with the figures
// it was built from, as workers see it on shift cards.
type RightsScore struct {
	Score int
	AsOf  time.Time
	rights.Figures
}

// ContractRate is the share of hires with a contract every party signed;
// it and the other rates are nil where nothing was counted.
func (s *RightsScore) ContractRate() *float64 { return rights.Rate(s.Contracted, s.Hires) }

// WagesOnTimeRate is the share of wages due that were paid by the deadline.
func (s *RightsScore) WagesOnTimeRate() *float64 { return rights.Rate(s.WagesOnTime, s.WagesDue) }

// CoverRate is the share of hires that had the cover their jurisdiction asks.
func (s *RightsScore) CoverRate() *float64 { return rights.Rate(s.Covered, s.CoverRequired) }

// EmployerRightsScore is e's score; nil before its first hire in the window.
func EmployerRightsScore(e *ent.Employer) *RightsScore {
	if e.RightsScore == nil || e.RightsAsOf == nil {
		return nil
	}
	return &RightsScore{Score: *e.RightsScore, AsOf: *e.RightsAsOf, Figures: e.RightsFigures}
}

// RefreshRightsScores recounts the scores of the organisations whose score
// is missing or a day old, a batch at a time.
func (m *Market) RefreshRightsScores(ctx context.Context) (int, error) {
	sys, now := rule.System(ctx), m.Now()
	ids, err := m.db.Employer.Query().
		Where(employer.Or(employer.RightsAsOfIsNil(), employer.RightsAsOfLT(now.Add(-rightsRefreshEvery)))).
		Order(ent.Asc(employer.FieldID)).Limit(rightsBatch).IDs(sys)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	figures, err := m.rightsFigures(ctx, hires{from: now.Add(-rightsWindow), to: now, orgs: ids}, now)
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		f := figures[id]
		if f == nil {
			f = &rights.Figures{}
		}
		up := m.db.Employer.UpdateOneID(id).SetRightsFigures(*f).SetRightsAsOf(now)
		if s := f.Score(); s != nil {
			up.SetRightsScore(*s)
		} else {
			up.ClearRightsScore()
		}
		if err := up.Exec(sys); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}
