package market

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"flexwork/ent"
	"flexwork/ent/assignment"
	"flexwork/ent/predicate"
	"flexwork/ent/rule"
	"flexwork/ent/schema/week"
	"flexwork/ent/shift"
	"flexwork/ent/skill"
	"flexwork/ent/workerprofile"
	"flexwork/i18n"
	"flexwork/market/jurisdiction"
	"flexwork/pricing"
)

// Pricing looks this far around a place for workers, competing shifts and
// history (or as far as the draft's maxDistanceKm), and this far back.
const (
	pricingReachKm  = 20
	pricingHistory  = 90 * 24 * time.Hour
	pricingMaxRows  = 5000
	pricingMaxPasts = 500
)

// PaySuggestion is a suggested hourly rate for a draft with the facts it
// rests on.
type PaySuggestion struct {
	HourlyRate Money
	// Factors are the steps from the base to the rate; they add up to it.
	Factors []PayFactor
	// Supply, Demand and SimilarShifts are the counts behind the factors:
	// workers who could take it, open slots of competing shifts, similar
	// shifts of the last 90 days.
	Supply, Demand, SimilarShifts int
	// MinimumWage is the local minimum hourly rate, where one is set.
	MinimumWage *Money
}

// PayFactor is one step of a suggestion (pricing.Factor) in the draft's
// currency.
type PayFactor struct {
	Code   string
	Change Money
	Ratio  float64
}

// Explanation words the step in the reader's language (pricing.<CODE>).
func (f PayFactor) Explanation(ctx context.Context) string {
	return i18n.T(i18n.Language(ctx), "pricing."+f.Code, map[string]any{
		"Change": i18n.Money{Amount: f.Change.Amount, Currency: f.Change.Currency, Digits: currencies[f.Change.Currency]},
		"Ratio":  fmt.Sprintf("%.1f", f.Ratio),
		"Share":  fmt.Sprintf("%.0f", f.Ratio*100),
	})
}

// PaySuggestion prices a draft the viewer could post (pricing.Suggest):
// workers with its skills who live within reach of the place, work nothing
// else then, are free then by their stated availability and take its form
// of work, the open slots of published shifts near it at an
// overlapping time, what similar shifts near it paid in the last 90 days
// and whether they filled, and the local minimum wage where the employer's
// jurisdiction sets one.
func (m *Market) PaySuggestion(ctx context.Context, in CreateShiftInput) (*PaySuggestion, error) {
	if _, err := manager(ctx, in.EmployerID, "price shifts"); err != nil {
		return nil, err
	}
	if err := m.validateShift(&in); err != nil {
		return nil, err
	}
	sys, here, reach := rule.System(ctx), in.Location, float64(pricingReachKm)
	if in.MaxDistanceKm != nil {
		reach = float64(*in.MaxDistanceKm)
	}
	var (
		out      = &PaySuggestion{}
		currency = in.Pay.Currency
	)

	wq := m.db.WorkerProfile.Query().Where(
		workerprofile.HomeLatGTE(here.Lat-reach/111), workerprofile.HomeLatLTE(here.Lat+reach/111),
		workerprofile.HomeLngGTE(here.Lng-reach/lngKm(here.Lat)), workerprofile.HomeLngLTE(here.Lng+reach/lngKm(here.Lat)),
		workerprofile.Not(workerprofile.HasAssignmentsWith(assignment.StatusIn(holdingStatuses...),
			assignment.StartsAtLT(in.EndsAt), assignment.EndsAtGT(in.StartsAt))))
	for _, id := range in.RequiredSkillIDs {
		wq.Where(workerprofile.HasSkillsWith(skill.ID(id)))
	}
	workers, err := wq.Select(workerprofile.FieldHomeLat, workerprofile.FieldHomeLng, workerprofile.FieldTravelRadiusKm,
		workerprofile.FieldAvailability, workerprofile.FieldEngagementTypes).
		Limit(pricingMaxRows).All(sys)
	if err != nil {
		return nil, err
	}
	startMinute, minutes := week.Span(in.StartsAt, in.EndsAt, zone(in.TimeZone))
	for _, w := range workers {
		d := DistanceKm(here, GeoPoint{Lat: *w.HomeLat, Lng: *w.HomeLng})
		// Supply is who would take it: in reach, free then by their own
		// availability, and taking its form of work. (Their least rate is
		// left out: it is the price being worked out.)
		free := w.Availability.Fits(in.StartsAt, in.EndsAt, startMinute, minutes)
		takes := len(w.EngagementTypes) == 0 || slices.Contains(w.EngagementTypes, in.EngagementType)
		if d <= reach && d <= float64(w.TravelRadiusKm) && (free == week.Unsaid || free == week.Free) && takes {
			out.Supply++
		}
	}

	near := func() []predicate.Shift {
		return []predicate.Shift{
			shift.LatGTE(here.Lat - reach/111), shift.LatLTE(here.Lat + reach/111),
			shift.LngGTE(here.Lng - reach/lngKm(here.Lat)), shift.LngLTE(here.Lng + reach/lngKm(here.Lat)),
		}
	}
	competing, err := m.db.Shift.Query().Where(near()...).Where(shift.StatusEQ(shift.StatusPUBLISHED),
		shift.StartsAtLT(in.EndsAt), shift.EndsAtGT(in.StartsAt)).
		Select(shift.FieldLat, shift.FieldLng, shift.FieldSlots, shift.FieldFilled).Limit(pricingMaxRows).All(sys)
	if err != nil {
		return nil, err
	}
	for _, s := range competing {
		if DistanceKm(here, GeoPoint{Lat: s.Lat, Lng: s.Lng}) <= reach {
			out.Demand += max(0, s.Slots-s.Filled)
		}
	}

	now := m.Now()
	hq := m.db.Shift.Query().Where(near()...).Where(shift.StartsAtGT(now.Add(-pricingHistory)), shift.StartsAtLT(now),
		shift.StatusNotIn(shift.StatusDRAFT, shift.StatusCANCELLED), shift.Currency(in.Pay.Currency))
	if len(in.RequiredSkillIDs) > 0 {
		hq.Where(shift.HasRequiredSkillsWith(skill.IDIn(in.RequiredSkillIDs...)))
	}
	past, err := hq.Select(shift.FieldHourlyRate, shift.FieldSlots, shift.FieldFilled).
		Order(ent.Desc(shift.FieldStartsAt)).Limit(pricingMaxPasts).All(sys)
	if err != nil {
		return nil, err
	}
	facts := pricing.Facts{Asked: hourlyRate(in), Slots: in.Slots, Supply: out.Supply, Demand: out.Demand}
	for _, s := range past {
		facts.History = append(facts.History, pricing.Past{HourlyRate: s.HourlyRate, Filled: s.Filled >= s.Slots})
	}
	out.SimilarShifts = len(past)

	pack, err := m.packOf(ctx, in.EmployerID)
	if err != nil {
		return nil, err
	}
	if city, ok := jurisdiction.CityAt(here.Lat, here.Lng); ok && pack.Code == jurisdiction.CN &&
		in.Pay.Currency == pack.Currency && !in.StartsAt.Before(city.Effective) {
		out.MinimumWage, facts.Floor = &Money{Amount: city.HourlyFloor, Currency: currency}, city.HourlyFloor
	}
	s := pricing.Suggest(facts)
	out.HourlyRate = Money{Amount: s.HourlyRate, Currency: currency}
	for _, f := range s.Factors {
		out.Factors = append(out.Factors, PayFactor{Code: f.Code, Change: Money{Amount: f.Change, Currency: currency}, Ratio: f.Ratio})
	}
	return out, nil
}

// lngKm is how many kilometres one degree of longitude spans at lat.
func lngKm(lat float64) float64 {
	return math.Max(1, 111*math.Cos(lat*math.Pi/180))
}
