package market

import (
	"math"
	"slices"
	"strconv"

	"flexwork/credit"
)

// MatchFactor is one part of a candidate's match score, with its reason.
// Name is a language-free key (skills, distance, credit, rating, past
// work, roster); the reason is read in the employer's language.
type MatchFactor struct {
	Name   string `json:"name"`
	Points int    `json:"points"`
	Max    int    `json:"max"`
	// Detail is the reason in the language of the page the factor is on:
	// Candidates fills it from the ranking's language-free factors.
	Detail string `json:"detail,omitempty"`
	reason text
}

// In is the reason in lang.
func (f MatchFactor) In(lang string) string { return f.reason.in(lang) }

// in is the factors with their reasons in lang, for one page: a ranking is
// kept for every member of the employer, whatever language each reads.
func (m Match) in(lang string) []MatchFactor {
	out := slices.Clone(m.Factors)
	for i := range out {
		out[i].Detail = out[i].In(lang)
	}
	return out
}

// Match is a candidate's score for a shift, 0–100, and how it was made.
type Match struct {
	Score   int           `json:"score"`
	Factors []MatchFactor `json:"factors"`
}

// MatchInput is what ranking a candidate takes.
type MatchInput struct {
	Shift  ShiftFacts
	Worker *WorkerFacts
	// PastShifts counts shifts the worker completed for this employer.
	PastShifts int
	Favourite  bool
}

// MatchScore ranks a candidate for the employer's tablet. Every point is
// explained by a factor; the factors' maxima add up to 100:
//
//	skills 25        share of the required skills held (all 25 when none are required)
//	distance 15      15 within 2 km, falling to 0 at 30 km (0 when the home is unknown),
//	                 from the distance rounded to 0.5 km, as the employer sees it
//	credit 20        credit score / 1000 × 20
//	rating 15        Bayesian average rating (prior 4.0 ★ × 5) mapped from 1–5 ★
//	past work 10     2 per shift completed for this employer, up to 5 shifts
//	roster 5         on the employer's favourites
//	availability 6   6 when the shift is inside the worker's stated availability,
//	                 3 when they stated none, 0 outside it or when away
//	preferences 4    2 when the pay meets their least hourly pay (or they set
//	                 none), 2 when they take the shift's form of work (or said none)
//
// The last two come from the worker's own preferences (Fit); the employer
// reads whether they are met, never the figures.
func MatchScore(in MatchInput) Match {
	w, s := in.Worker, in.Shift
	var f []MatchFactor

	skills := MatchFactor{Name: "skills", Max: 25}
	if len(s.RequiredSkills) == 0 {
		skills.Points, skills.reason = 25, because("match.skills.none", nil)
	} else {
		have := 0
		for _, sk := range s.RequiredSkills {
			if _, ok := w.Skills[sk.ID]; ok {
				have++
			}
		}
		skills.Points = int(math.Round(25 * float64(have) / float64(len(s.RequiredSkills))))
		skills.reason = because("match.skills.some", map[string]any{"Have": have, "Need": len(s.RequiredSkills)})
	}
	f = append(f, skills)

	dist := MatchFactor{Name: "distance", Max: 15, reason: because("match.distance.unknown", nil)}
	if w.Home != nil {
		d := CoarseKm(DistanceKm(*w.Home, s.Place)) // the employer reads it
		dist.Points = int(math.Round(15 * clamp((30-d)/28, 0, 1)))
		dist.reason = because("match.distance.km", map[string]any{"Km": strconv.FormatFloat(d, 'f', 1, 64)})
	}
	f = append(f, dist)

	f = append(f, MatchFactor{Name: "credit", Max: 20,
		Points: int(math.Round(20 * clamp(float64(w.CreditScore)/1000, 0, 1))),
		reason: because("match.credit", map[string]any{"Score": w.CreditScore})})

	bayes := credit.BayesRating(w.RatingAvg, w.RatingCount)
	rating := MatchFactor{Name: "rating", Max: 15, Points: int(math.Round(15 * clamp((bayes-1)/4, 0, 1)))}
	if w.RatingCount == 0 {
		rating.reason = because("match.rating.none", nil)
	} else {
		rating.reason = counted("match.rating.some", w.RatingCount, map[string]any{"Avg": strconv.FormatFloat(w.RatingAvg, 'f', 1, 64)})
	}
	f = append(f, rating)

	past := min(in.PastShifts, 5)
	f = append(f, MatchFactor{Name: "past work", Max: 10, Points: 2 * past,
		reason: counted("match.past", in.PastShifts, nil)})

	roster := MatchFactor{Name: "roster", Max: 5, reason: because("match.roster.no", nil)}
	if in.Favourite {
		roster.Points, roster.reason = 5, because("match.roster.yes", nil)
	}
	f = append(f, roster)
	f = append(f, preferenceFactors(Fit(s, w))...)

	m := Match{Factors: f}
	for _, x := range f {
		m.Score += x.Points
	}
	return m
}

func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }

// preferenceFactors turns a worker's fit to the shift into the match
// score's availability and preferences factors.
func preferenceFactors(fits []PreferenceFit) []MatchFactor {
	byName := map[Preference]PreferenceFit{}
	for _, x := range fits {
		byName[x.Preference] = x
	}
	avail := MatchFactor{Name: "availability", Max: 6}
	switch a := byName[PrefAvailability]; {
	case a.reason.id == "fit.availability.unsaid":
		avail.Points, avail.reason = 3, because("match.availability.unsaid", nil)
	case a.Fits:
		avail.Points, avail.reason = 6, because("match.availability.free", nil)
	case a.reason.id == "fit.availability.away":
		avail.reason = because("match.availability.away", nil)
	default:
		avail.reason = because("match.availability.outside", nil)
	}
	pay, kind := byName[PrefPay].Fits, byName[PrefEngagementType].Fits
	prefs := MatchFactor{Name: "preferences", Max: 4}
	switch {
	case pay && kind:
		prefs.Points, prefs.reason = 4, because("match.preferences.all", nil)
	case kind:
		prefs.Points, prefs.reason = 2, because("match.preferences.pay", nil)
	case pay:
		prefs.Points, prefs.reason = 2, because("match.preferences.engagement", nil)
	default:
		prefs.reason = because("match.preferences.neither", nil)
	}
	return []MatchFactor{avail, prefs}
}
