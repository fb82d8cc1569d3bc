package market

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"

	"flexwork/ent/schema/enum"
	"flexwork/ent/schema/week"
	"flexwork/i18n"
)

// defaultTravelRadiusKm is the travel radius of a worker who never set one
// (the schema's default).
const defaultTravelRadiusKm = 15

// Preferences are what a worker said they want: when they can work, the
// least hourly pay, the forms of work and how far they travel. They rank
// rather than refuse: the feed's FIT order puts the shifts that suit them
// first, the match score counts them, and a new shift is pushed only to
// workers it suits. Screening (the employer's rules) never reads them.
type Preferences struct {
	Availability    week.Availability
	MinHourlyRate   *Money
	EngagementTypes []enum.EngagementType
	TravelRadiusKm  int
}

// read fills p from a facts row: availability JSON, currency, least rate,
// travel radius.
func (p *Preferences) read(availability, currency sql.NullString, minRate, radius sql.NullInt64) error {
	if availability.Valid && availability.String != "" && availability.String != "null" {
		if err := json.Unmarshal([]byte(availability.String), &p.Availability); err != nil {
			return err
		}
	}
	if minRate.Valid {
		p.MinHourlyRate = &Money{Amount: minRate.Int64, Currency: currency.String}
	}
	p.TravelRadiusKm = int(radius.Int64)
	return nil
}

// Preference names one of a worker's preferences.
type Preference string

// The preferences, in the order a fit lists them.
const (
	PrefAvailability   Preference = "AVAILABILITY"
	PrefPay            Preference = "PAY"
	PrefEngagementType Preference = "ENGAGEMENT_TYPE"
	PrefTravel         Preference = "TRAVEL"
)

// MarshalGQL implements graphql.Marshaler.
func (p Preference) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(p))) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (p *Preference) UnmarshalGQL(v any) error {
	s, _ := v.(string)
	switch Preference(s) {
	case PrefAvailability, PrefPay, PrefEngagementType, PrefTravel:
		*p = Preference(s)
		return nil
	}
	return fmt.Errorf("%q is not a preference", s)
}

// PreferenceFit is one preference checked against a shift: whether the
// shift suits it, and why, in the reader's language. A preference the
// worker never stated suits every shift.
type PreferenceFit struct {
	Preference Preference `json:"preference"`
	Fits       bool       `json:"fits"`
	reason     text
}

// Detail is the reason in the language of the request.
func (f PreferenceFit) Detail(ctx context.Context) string { return f.In(i18n.Language(ctx)) }

// In is the reason in lang.
func (f PreferenceFit) In(lang string) string { return f.reason.in(lang) }

// Fit checks every preference of w against s. Pure, like Screen.
func Fit(s ShiftFacts, w *WorkerFacts) []PreferenceFit {
	if w == nil {
		return nil
	}
	p := w.Prefs
	out := make([]PreferenceFit, 0, 4)

	avail := PreferenceFit{Preference: PrefAvailability}
	switch p.Availability.Fits(s.Start, s.End, s.WeekMinute, s.WeekMinutes) {
	case week.Unsaid:
		avail.Fits, avail.reason = true, because("fit.availability.unsaid", nil)
	case week.Free:
		avail.Fits, avail.reason = true, because("fit.availability.free", nil)
	case week.Outside:
		avail.reason = because("fit.availability.outside", nil)
	case week.Away:
		avail.reason = because("fit.availability.away", nil)
	}
	out = append(out, avail)

	pay := PreferenceFit{Preference: PrefPay, Fits: true, reason: because("fit.pay.unsaid", nil)}
	if r := p.MinHourlyRate; r != nil && r.Currency == s.Currency {
		pay.Fits = s.HourlyRate >= r.Amount
		pay.reason = because(map[bool]string{true: "fit.pay.enough", false: "fit.pay.less"}[pay.Fits], nil)
	}
	out = append(out, pay)

	kind := PreferenceFit{Preference: PrefEngagementType, Fits: true, reason: because("fit.engagement.unsaid", nil)}
	if len(p.EngagementTypes) > 0 {
		kind.Fits = slices.Contains(p.EngagementTypes, s.EngagementType)
		kind.reason = because(map[bool]string{true: "fit.engagement.yes", false: "fit.engagement.no"}[kind.Fits], nil)
	}
	out = append(out, kind)

	travel := PreferenceFit{Preference: PrefTravel, Fits: true, reason: because("fit.travel.unknown", nil)}
	if w.Home != nil {
		radius := p.TravelRadiusKm
		if radius <= 0 {
			radius = defaultTravelRadiusKm
		}
		d := DistanceKm(*w.Home, s.Place)
		travel.Fits = d <= float64(radius)
		travel.reason = because(map[bool]string{true: "fit.travel.within", false: "fit.travel.beyond"}[travel.Fits],
			map[string]any{"Km": strconv.FormatFloat(CoarseKm(d), 'f', 1, 64), "Radius": radius})
	}
	return append(out, travel)
}

// FitsAll says whether a shift suits every preference.
func FitsAll(fits []PreferenceFit) bool {
	for _, f := range fits {
		if !f.Fits {
			return false
		}
	}
	return true
}
