package market

import (
	"fmt"
	"math"

	"flexwork/credit"
)

// MatchFactor is one part of a candidate's match score, with its reason.
type MatchFactor struct {
	Name   string `json:"name"`
	Points int    `json:"points"`
	Max    int    `json:"max"`
	Detail string `json:"detail"`
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
//	skills 30     share of the required skills held (all 30 when none are required)
//	distance 15   15 within 2 km, falling to 0 at 30 km (0 when the home is unknown),
//	              from the distance rounded to 0.5 km, as the employer sees it
//	credit 25     credit score / 1000 × 25
//	rating 15     Bayesian average rating (prior 4.0 ★ × 5) mapped from 1–5 ★
//	past work 10  2 per shift completed for this employer, up to 5 shifts
//	roster 5      on the employer's favourites
func MatchScore(in MatchInput) Match {
	w, s := in.Worker, in.Shift
	var f []MatchFactor

	skills := MatchFactor{Name: "skills", Max: 30}
	if len(s.RequiredSkills) == 0 {
		skills.Points, skills.Detail = 30, "no skills required"
	} else {
		have := 0
		for _, sk := range s.RequiredSkills {
			if _, ok := w.Skills[sk.ID]; ok {
				have++
			}
		}
		skills.Points = int(math.Round(30 * float64(have) / float64(len(s.RequiredSkills))))
		skills.Detail = fmt.Sprintf("%d of %d required skills", have, len(s.RequiredSkills))
	}
	f = append(f, skills)

	dist := MatchFactor{Name: "distance", Max: 15, Detail: "home location unknown"}
	if w.Home != nil {
		d := CoarseKm(DistanceKm(*w.Home, s.Place)) // the employer reads it
		dist.Points = int(math.Round(15 * clamp((30-d)/28, 0, 1)))
		dist.Detail = fmt.Sprintf("about %.1f km from home", d)
	}
	f = append(f, dist)

	f = append(f, MatchFactor{Name: "credit", Max: 25,
		Points: int(math.Round(25 * clamp(float64(w.CreditScore)/1000, 0, 1))),
		Detail: fmt.Sprintf("credit score %d", w.CreditScore)})

	bayes := credit.BayesRating(w.RatingAvg, w.RatingCount)
	rating := MatchFactor{Name: "rating", Max: 15, Points: int(math.Round(15 * clamp((bayes-1)/4, 0, 1)))}
	if w.RatingCount == 0 {
		rating.Detail = "no reviews yet"
	} else {
		rating.Detail = fmt.Sprintf("%.1f ★ from %d reviews", w.RatingAvg, w.RatingCount)
	}
	f = append(f, rating)

	past := min(in.PastShifts, 5)
	f = append(f, MatchFactor{Name: "past work", Max: 10, Points: 2 * past,
		Detail: fmt.Sprintf("%d shifts completed for you", in.PastShifts)})

	roster := MatchFactor{Name: "roster", Max: 5, Detail: "not on your favourites"}
	if in.Favourite {
		roster.Points, roster.Detail = 5, "one of your favourites"
	}
	f = append(f, roster)

	m := Match{Factors: f}
	for _, x := range f {
		m.Score += x.Points
	}
	return m
}

func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }
