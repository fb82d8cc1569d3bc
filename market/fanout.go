package market

import (
	"context"
	"math"
	"sort"

	"flexwork/ent"
	"flexwork/ent/application"
	"flexwork/ent/assignment"
	"flexwork/ent/predicate"
	"flexwork/ent/rosterentry"
	"flexwork/ent/rule"
	"flexwork/ent/shift"
	"flexwork/ent/workerprofile"
)

// Recipient is a worker to tell about a new shift.
type Recipient struct {
	WorkerID, UserID string
	Favourite        bool
	Standby          bool // on the shift's standby list
	Score            int
}

// First says whether r is told before the rest: a favourite, or waiting on
// standby.
func (r Recipient) First() bool { return r.Favourite || r.Standby }

// fanOutRadiusKm bounds how far a new shift is announced when it sets no
// distance limit of its own.
const fanOutRadiusKm = 50

// Recipients lists the workers a newly published shift should be pushed to:
// those whose home is within both the shift's distance limit and their own
// travel radius, who pass its screening and are not blocked, and whose
// preferences it suits (available then, paying their least rate, a form of
// work they take: Fit). The employer's
// favourites and the shift's standby list come first, then the rest by
// match score. Workers are screened
// a thousand at a time, so the cost grows with the city, not with queries.
func (m *Market) Recipients(ctx context.Context, shiftID string) ([]Recipient, error) {
	return m.recipients(ctx, shiftID, false)
}

// FirstRecipients lists the head of Recipients — the favourites and the
// standby list (First), screened and ordered the same way — looking only
// at those two lists: the head start's tier runs seconds after a shift is
// published, beside its live broadcast, and screening the whole
// neighbourhood to keep a handful had been a quarter of the server's CPU
// then.
func (m *Market) FirstRecipients(ctx context.Context, shiftID string) ([]Recipient, error) {
	return m.recipients(ctx, shiftID, true)
}

func (m *Market) recipients(ctx context.Context, shiftID string, firstOnly bool) ([]Recipient, error) {
	ctx = rule.System(ctx)
	c := m.client(ctx)
	s, err := c.Shift.Get(ctx, shiftID)
	if err != nil {
		return nil, err
	}
	if s.Status != shift.StatusPUBLISHED {
		return nil, nil
	}
	facts, err := m.shiftFacts(ctx, s)
	if err != nil {
		return nil, err
	}
	radius := float64(fanOutRadiusKm)
	if s.MaxDistanceKm != nil {
		radius = math.Min(radius, float64(*s.MaxDistanceKm))
	}
	dLat := radius / kmPerDegree
	dLng := radius / (kmPerDegree * math.Max(math.Cos(s.Lat*math.Pi/180), 0.01))
	standby := map[string]bool{}
	waiting, err := c.Application.Query().Where(application.ShiftID(s.ID), application.StatusEQ(application.StatusSTANDBY)).
		Select(application.FieldWorkerID).Strings(ctx)
	if err != nil {
		return nil, err
	}
	for _, id := range waiting {
		standby[id] = true
	}
	where := []predicate.WorkerProfile{
		workerprofile.HomeLatGTE(s.Lat - dLat), workerprofile.HomeLatLTE(s.Lat + dLat),
		workerprofile.HomeLngGTE(s.Lng - dLng), workerprofile.HomeLngLTE(s.Lng + dLng),
	}
	if firstOnly {
		where = append(where, workerprofile.Or(workerprofile.IDIn(waiting...), workerprofile.HasRosterEntriesWith(
			rosterentry.EmployerID(s.EmployerID), rosterentry.KindEQ(rosterentry.KindFAVOURITE))))
	}
	near, err := c.WorkerProfile.Query().Where(where...).All(ctx)
	if err != nil {
		return nil, err
	}
	place := GeoPoint{Lat: s.Lat, Lng: s.Lng}
	var inReach []*ent.WorkerProfile
	for _, w := range near {
		d := DistanceKm(GeoPoint{Lat: *w.HomeLat, Lng: *w.HomeLng}, place)
		if d <= radius && d <= float64(w.TravelRadiusKm) {
			inReach = append(inReach, w)
		}
	}
	var out []Recipient
	for start := 0; start < len(inReach); start += 1000 {
		part := inReach[start:min(start+1000, len(inReach))]
		ids := make([]string, len(part))
		for i, w := range part {
			ids[i] = w.ID
		}
		workers, err := m.loadWorkerFacts(ctx, c, ids, facts, false)
		if err != nil {
			return nil, err
		}
		roster, err := onRoster(ctx, c, s.EmployerID, ids)
		if err != nil {
			return nil, err
		}
		past, err := pastShifts(ctx, c, s.EmployerID, ids)
		if err != nil {
			return nil, err
		}
		for _, w := range part {
			f := workers[w.ID]
			if f == nil || !Screen(facts[0], f).Eligible || !FitsAll(Fit(facts[0], f)) {
				continue // not eligible, or the shift is not one they asked for
			}
			fav := roster[w.ID] == rosterentry.KindFAVOURITE
			if firstOnly && !fav && !standby[w.ID] {
				continue
			}
			out = append(out, Recipient{WorkerID: w.ID, UserID: w.UserID, Favourite: fav, Standby: standby[w.ID],
				Score: MatchScore(MatchInput{Shift: facts[0], Worker: f, PastShifts: past[w.ID], Favourite: fav}).Score})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].First() != out[j].First() {
			return out[i].First()
		}
		return out[i].Score > out[j].Score
	})
	return out, nil
}

// RemindAssignment tells a hired worker their shift starts soon, once; a
// job scheduled at the hire runs it two hours before the start.
func (m *Market) RemindAssignment(ctx context.Context, id string) error {
	ctx = rule.System(ctx)
	return m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		n, err := c.Assignment.Update().Where(assignment.ID(id), assignment.StatusEQ(assignment.StatusSCHEDULED),
			assignment.RemindedAtIsNil(), assignment.StartsAtGT(m.Now())).SetRemindedAt(m.Now()).Save(ctx)
		if err != nil || n == 0 {
			return err
		}
		a, err := c.Assignment.Query().Where(assignment.ID(id)).WithShift().Only(ctx)
		if err != nil {
			return err
		}
		return m.emit(ctx, c, Event{Kind: AssignmentReminder, ID: id, ShiftID: a.ShiftID, WorkerID: a.WorkerID,
			EmployerID: a.EmployerID, Title: a.Edges.Shift.Title, When: a.StartsAt})
	})
}

// Sweep runs the market's timed transitions once; a periodic job calls it.
func (m *Market) Sweep(ctx context.Context) error {
	for _, step := range []func(context.Context) (int, error){
		m.ExpireOffers, m.AdvanceBackfills, m.AutoBoosts, m.AdvanceShifts, m.CloseForgottenCheckIns, m.AutoApproveTimesheets, m.FlagOverduePayments, m.ConfirmUnansweredPayments, m.RevealDueReviews,
		m.ExpireCertifications, m.CleanUpUploads, m.ForgetIdempotencyKeys, m.EnforceRetention, m.RefreshRightsScores,
	} {
		if _, err := step(ctx); err != nil {
			return err
		}
	}
	return nil
}
