package market

import (
	"context"

	"flexwork/ent"
	"flexwork/ent/assignment"
	"flexwork/ent/employer"
	"flexwork/ent/rosterentry"
	"flexwork/ent/rule"
	"flexwork/i18n"
	"flexwork/market/jurisdiction"
)

// packOf is the rule pack of an employer's jurisdiction.
func (m *Market) packOf(ctx context.Context, employerID string) (jurisdiction.Pack, error) {
	es, err := m.employers(rule.System(ctx), []string{employerID})
	if err != nil {
		return jurisdiction.Pack{}, err
	}
	e, ok := es[employerID]
	if !ok {
		return jurisdiction.Pack{}, NotFound("employer")
	}
	return jurisdiction.For(jurisdiction.Code(e.Jurisdiction)), nil
}

// lawShift is what a pack reads of a shift; the agency is loaded whole, as
// the rules read its kind and jurisdiction.
func lawShift(ctx context.Context, c *ent.Client, s *ent.Shift) (jurisdiction.Shift, error) {
	out := jurisdiction.Shift{
		Engagement: s.EngagementType, StartsAt: s.StartsAt, EndsAt: s.EndsAt, Location: shiftLocation(s),
		UnpaidBreakMinutes: s.UnpaidBreakMinutes, HourlyRate: s.HourlyRate, Currency: s.Currency,
		Lat: s.Lat, Lng: s.Lng, PayCycleDays: s.PayCycleDays,
	}
	if s.PostNature != nil {
		out.PostNature = s.PostNature.String()
	}
	if s.PostMonths != nil {
		out.PostMonths = *s.PostMonths
	}
	if s.AgencyID != nil {
		a, err := c.Employer.Get(rule.System(ctx), *s.AgencyID)
		if err != nil {
			return out, err
		}
		out.Agency = jurisdiction.Organisation{ID: a.ID, Kind: a.Kind.String(), Jurisdiction: jurisdiction.Code(a.Jurisdiction)}
	}
	return out, nil
}

// checkPostingLaw refuses a shift, as posted or changed, that breaks its
// employer's jurisdiction. It reads the stored row, inside the transaction
// that wrote it, so a refusal leaves nothing behind; under the generic pack
// it reads nothing more than the employer cache.
func (m *Market) checkPostingLaw(ctx context.Context, c *ent.Client, employerID, id string) error {
	pack, err := m.packOf(ctx, employerID)
	if err != nil || pack.Code == jurisdiction.Generic {
		return err
	}
	s, err := c.Shift.Get(rule.System(ctx), id)
	if err != nil {
		return err
	}
	js, err := lawShift(ctx, c, s)
	if err != nil {
		return err
	}
	// The licence is read from the row, not the employer cache: a
	// verification counts from the moment staff make it.
	e, err := c.Employer.Get(rule.System(ctx), employerID)
	if err != nil {
		return err
	}
	js.Licensed = e.LicenceStatus != nil && *e.LicenceStatus == employer.LicenceStatusVERIFIED
	return lawFailed(ctx, "post", jurisdiction.Failed(pack.Posting(js)))
}

// checkHiringLaw refuses a hire that breaks the shift's jurisdiction: for
// CN part-time, the worker's hours with the employer in the shift's week;
// for dispatch and outsourcing, that the agency employs the worker.
func (m *Market) checkHiringLaw(ctx context.Context, c *ent.Client, s *ent.Shift, workerID string) error {
	pack, err := m.packOf(ctx, s.EmployerID)
	if err != nil || pack.Code == jurisdiction.Generic {
		return err
	}
	sys := rule.System(ctx)
	js, err := lawShift(ctx, c, s)
	if err != nil {
		return err
	}
	h := jurisdiction.Hire{Shift: js}
	if h.RealName, err = realNameVerified(ctx, c, workerID); err != nil {
		return err
	}
	from, to := jurisdiction.WeekOf(s.StartsAt, js.Location)
	held, err := c.Assignment.Query().Where(assignment.WorkerID(workerID), assignment.EmployerID(s.EmployerID),
		assignment.StatusIn(holdingStatuses...), assignment.StartsAtGTE(from), assignment.StartsAtLT(to),
		assignment.ShiftIDNEQ(s.ID)).WithShift().All(sys)
	if err != nil {
		return err
	}
	for _, a := range held {
		h.Others = append(h.Others, jurisdiction.Interval{StartsAt: a.StartsAt, EndsAt: a.EndsAt,
			UnpaidBreakMinutes: a.Edges.Shift.UnpaidBreakMinutes})
	}
	if s.AgencyID != nil {
		h.Employed, err = c.RosterEntry.Query().Where(rosterentry.EmployerID(*s.AgencyID), rosterentry.WorkerID(workerID),
			rosterentry.KindEQ(rosterentry.KindEMPLOYED)).Exist(sys)
		if err != nil {
			return err
		}
	}
	return lawFailed(ctx, "hire", jurisdiction.Failed(pack.Hiring(h)))
}

// lawFailed is the refusal naming the failed rules, each explained in the
// reader's language with the article it applies; nil when none failed.
func lawFailed(ctx context.Context, what string, failed []jurisdiction.Finding) error {
	if len(failed) == 0 {
		return nil
	}
	lang := i18n.Language(ctx)
	rules := make([]FailedRule, len(failed))
	for i, f := range failed {
		rules[i] = FailedRule{Rule: Rule(f.Rule), Message: i18n.T(lang, "law."+f.Key, f.Data)}
	}
	// The law's messages are sentences: a space is their separator.
	return rulesFailed(CodeLawRuleFailed, i18n.T(lang, "law.failed."+what, nil), " ", rules)
}
