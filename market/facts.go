package market

import (
	"context"
	"time"

	"flexwork/ent"
	"flexwork/ent/assignment"
	"flexwork/ent/certification"
	"flexwork/ent/rosterentry"
	"flexwork/ent/rule"
	"flexwork/ent/workerprofile"
	"flexwork/ent/workerskill"
)

// Facts are loaded in bulk — a fixed number of queries however many shifts
// or workers — and as the system: screening needs to know that a worker is
// blocked or busy elsewhere even though neither the worker nor this employer
// may read those rows. Only the rules' verdicts leave market.

// holdingStatuses are the assignment states that keep a worker's time booked.
var holdingStatuses = []assignment.Status{
	assignment.StatusSCHEDULED, assignment.StatusCHECKED_IN, assignment.StatusCHECKED_OUT,
	assignment.StatusAPPROVED, assignment.StatusPAID,
}

// shiftFacts turns shifts into screening facts; skill names come from the
// taxonomy in memory.
func (m *Market) shiftFacts(ctx context.Context, shifts ...*ent.Shift) ([]ShiftFacts, error) {
	out := make([]ShiftFacts, len(shifts))
	for i, s := range shifts {
		f := ShiftFacts{
			ID: s.ID, EmployerID: s.EmployerID, Start: s.StartsAt, End: s.EndsAt, TimeZone: s.TimeZone,
			Place: GeoPoint{Lat: s.Lat, Lng: s.Lng}, MinCreditScore: s.MinCreditScore, MaxDistanceKm: s.MaxDistanceKm,
			NewcomersAllowed: s.NewcomersAllowed,
		}
		var err error
		if f.RequiredSkills, err = m.skillRefs(ctx, s.RequiredSkillIds); err != nil {
			return nil, err
		}
		if f.RequiredCerts, err = m.skillRefs(ctx, s.RequiredCertificationIds); err != nil {
			return nil, err
		}
		out[i] = f
	}
	return out, nil
}

// loadWorkerFacts loads the facts of many workers for screening against the
// given shifts: five queries in all.
func loadWorkerFacts(ctx context.Context, c *ent.Client, workerIDs []string, shifts []ShiftFacts) (map[string]*WorkerFacts, error) {
	ctx = rule.System(ctx)
	out := make(map[string]*WorkerFacts, len(workerIDs))
	if len(workerIDs) == 0 {
		return out, nil
	}
	profiles, err := c.WorkerProfile.Query().Where(workerprofile.IDIn(workerIDs...)).All(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range profiles {
		w := &WorkerFacts{
			WorkerID: p.ID, CreditScore: p.CreditScore, CompletedShifts: p.CompletedShifts,
			RatingAvg: p.RatingAvg, RatingCount: p.RatingCount,
			Skills: map[string]int{}, Certs: map[string][]*time.Time{}, BlockedBy: map[string]bool{},
		}
		if p.HomeLat != nil && p.HomeLng != nil {
			w.Home = &GeoPoint{Lat: *p.HomeLat, Lng: *p.HomeLng}
		}
		out[p.ID] = w
	}
	skills, err := c.WorkerSkill.Query().Where(workerskill.WorkerIDIn(workerIDs...)).All(ctx)
	if err != nil {
		return nil, err
	}
	for _, s := range skills {
		if w := out[s.WorkerID]; w != nil {
			w.Skills[s.SkillID] = s.Years
		}
	}
	certs, err := c.Certification.Query().
		Where(certification.WorkerIDIn(workerIDs...), certification.StatusEQ(certification.StatusVERIFIED)).All(ctx)
	if err != nil {
		return nil, err
	}
	for _, cert := range certs {
		if w := out[cert.WorkerID]; w != nil {
			w.Certs[cert.SkillID] = append(w.Certs[cert.SkillID], cert.ExpiresOn)
		}
	}
	if len(shifts) == 0 {
		return out, nil
	}
	from, to := shifts[0].Start, shifts[0].End
	employers := map[string]bool{}
	for _, s := range shifts {
		if s.Start.Before(from) {
			from = s.Start
		}
		if s.End.After(to) {
			to = s.End
		}
		employers[s.EmployerID] = true
	}
	busy, err := c.Assignment.Query().Where(
		assignment.WorkerIDIn(workerIDs...),
		assignment.StatusIn(holdingStatuses...),
		assignment.StartsAtLT(to),
		assignment.EndsAtGT(from),
	).All(ctx)
	if err != nil {
		return nil, err
	}
	for _, a := range busy {
		if w := out[a.WorkerID]; w != nil {
			w.Busy = append(w.Busy, Interval{a.StartsAt, a.EndsAt})
		}
	}
	blocked := c.RosterEntry.Query().Where(rosterentry.WorkerIDIn(workerIDs...), rosterentry.KindEQ(rosterentry.KindBLOCKED))
	if len(employers) > 0 && !(len(employers) == 1 && employers[""]) {
		blocked.Where(rosterentry.EmployerIDIn(keys(employers)...))
	} // else: a horizon with no employer (a Screener) needs every block
	blocks, err := blocked.All(ctx)
	if err != nil {
		return nil, err
	}
	for _, b := range blocks {
		if w := out[b.WorkerID]; w != nil {
			w.BlockedBy[b.EmployerID] = true
		}
	}
	return out, nil
}

func keys[K comparable, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
