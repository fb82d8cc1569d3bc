// Package credit turns a subject's credit events into a score from 0 to
// 1000 that explains itself. It is pure: events in, report out, no I/O.
//
// # The formula
//
// A subject starts from a baseline of 600. Each event adds its points,
// weighted by its age: an event's weight halves every 180 days
// (w = 0.5^(age/180d)), so a no-show from two years ago counts a sixteenth
// of one from last week. Points per event:
//
//	worker                          employer
//	shift completed          +12    wage paid on time          +10
//	no-show                  −60    wage paid late             −25
//	late cancellation        −30    wage overdue               −40
//	early cancellation        −5    shift cancelled late       −30
//	late check-in             −8    timesheet auto-approved    −10
//	certificate verified     +15
//	certificate rejected       0
//	certificate expired       −5
//	certificate revoked      −40
//
// Ratings enter as a Bayesian average: every revealed review's stars,
// weighted by age like any event, pulled towards a prior of 4.0 stars worth
// 5 reviews: avg = (4.0·5 + Σ wᵢ·starsᵢ) / (5 + Σ wᵢ). They add
// (avg − 4.0) × 100 points, so three 5-star reviews (+37.5) do not beat fifty
// 4.8-star ones (+72.7), and a newcomer's ratings add nothing.
//
// A reversal on appeal is a new event naming the one it undoes; the undone
// event then counts for nothing, as if it had never happened.
//
// Each factor's points are rounded to whole points, and the score is the
// baseline plus the factors, clamped to 0…1000: the factors always add up to
// what the subject sees. With fewer than 5 events that count, the score is
// provisional.
//
// Worked example — a worker, as of 1 June: 10 shifts completed, one a day
// over the last ten days (12 × Σᵢ 0.5^(i/180) = 117.9 → +118), a no-show 180
// days ago (−60 × 0.5 = −30) and today reviews of 5, 5 and 4 stars
// (avg = (20 + 14)/8 = 4.25 → +25): 600 + 118 − 30 + 25 = 713, "VERY_GOOD".
// The credit tests hold this example.
package credit

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"time"
)

// Kind is the kind of a credit event; the names match ent's CreditEvent kinds.
type Kind string

// Credit event kinds.
const (
	ShiftCompleted        Kind = "SHIFT_COMPLETED"
	NoShow                Kind = "NO_SHOW"
	LateCancellation      Kind = "LATE_CANCELLATION"
	EarlyCancellation     Kind = "EARLY_CANCELLATION"
	LateCheckIn           Kind = "LATE_CHECK_IN"
	CertificateVerified   Kind = "CERTIFICATE_VERIFIED"
	CertificateRejected   Kind = "CERTIFICATE_REJECTED"
	CertificateExpired    Kind = "CERTIFICATE_EXPIRED"
	CertificateRevoked    Kind = "CERTIFICATE_REVOKED"
	WagePaidOnTime        Kind = "WAGE_PAID_ON_TIME"
	WagePaidLate          Kind = "WAGE_PAID_LATE"
	WageOverdue           Kind = "WAGE_OVERDUE"
	ShiftCancelledLate    Kind = "SHIFT_CANCELLED_LATE"
	TimesheetAutoApproved Kind = "TIMESHEET_AUTO_APPROVED"
	ReviewRevealed        Kind = "REVIEW_REVEALED"
	EventReversed         Kind = "EVENT_REVERSED"
)

// The model's constants, as documented above.
const (
	Baseline     = 600
	HalfLife     = 180 * 24 * time.Hour
	RatingPrior  = 4.0
	PriorWeight  = 5.0
	RatingPoints = 100.0 // per star above or below the prior
	MinEvidence  = 5     // events before a score stops being provisional
)

// factor describes how one kind of event counts.
type factor struct {
	name   string
	points float64
}

var factors = map[Kind]factor{
	ShiftCompleted:        {"completed shifts", 12},
	NoShow:                {"no-shows", -60},
	LateCancellation:      {"late cancellations", -30},
	EarlyCancellation:     {"early cancellations", -5},
	LateCheckIn:           {"late check-ins", -8},
	CertificateVerified:   {"verified certificates", 15},
	CertificateRejected:   {"rejected certificates", 0},
	CertificateExpired:    {"expired certificates", -5},
	CertificateRevoked:    {"revoked certificates", -40},
	WagePaidOnTime:        {"wages paid on time", 10},
	WagePaidLate:          {"wages paid late", -25},
	WageOverdue:           {"overdue wages", -40},
	ShiftCancelledLate:    {"shifts cancelled late", -30},
	TimesheetAutoApproved: {"timesheets left unapproved", -10},
}

// ratingsFactor names the ratings factor.
const ratingsFactor = "ratings"

// Event is one credit event of a subject.
type Event struct {
	ID   string
	Kind Kind
	At   time.Time
	// Rating is the stars of a REVIEW_REVEALED event.
	Rating int
	// Reverses is the ID of the event an EVENT_REVERSED undoes.
	Reverses string
}

// Factor is one part of a score: its points and the events behind them.
type Factor struct {
	Name   string   `json:"name"`
	Points int      `json:"points"`
	Events []string `json:"events"`
}

// Report is a subject's credit as of a moment.
type Report struct {
	Score       int       `json:"score"`
	Band        Band      `json:"band"`
	Provisional bool      `json:"provisional"`
	AsOf        time.Time `json:"asOf"`
	Factors     []Factor  `json:"factors"`
}

// Band is a score's band.
type Band string

// Bands, from worst to best.
const (
	Poor      Band = "POOR"      // 0–399
	Fair      Band = "FAIR"      // 400–549
	Good      Band = "GOOD"      // 550–699
	VeryGood  Band = "VERY_GOOD" // 700–849
	Excellent Band = "EXCELLENT" // 850–1000
)

// BandOf returns the band of a score.
func BandOf(score int) Band {
	switch {
	case score >= 850:
		return Excellent
	case score >= 700:
		return VeryGood
	case score >= 550:
		return Good
	case score >= 400:
		return Fair
	}
	return Poor
}

// weight is an event's weight at asOf: it halves every HalfLife. Events
// from the future (clock skew) count fully.
func weight(at, asOf time.Time) float64 {
	age := asOf.Sub(at)
	if age <= 0 {
		return 1
	}
	return math.Pow(0.5, float64(age)/float64(HalfLife))
}

// Compute scores a subject's events as of asOf.
func Compute(events []Event, asOf time.Time) Report {
	reversed := map[string]bool{}
	for _, e := range events {
		if e.Kind == EventReversed && e.Reverses != "" {
			reversed[e.Reverses] = true
		}
	}
	points := map[string]float64{}
	ids := map[string][]string{}
	var ratingSum, ratingWeight float64
	evidence := 0
	for _, e := range events {
		if reversed[e.ID] || e.Kind == EventReversed {
			continue
		}
		w := weight(e.At, asOf)
		if e.Kind == ReviewRevealed {
			ratingSum += w * float64(e.Rating)
			ratingWeight += w
			ids[ratingsFactor] = append(ids[ratingsFactor], e.ID)
			evidence++
			continue
		}
		f, ok := factors[e.Kind]
		if !ok {
			continue
		}
		points[f.name] += w * f.points
		ids[f.name] = append(ids[f.name], e.ID)
		if f.points != 0 { // a rejected upload says nothing about reliability
			evidence++
		}
	}
	if ratingWeight > 0 {
		avg := (RatingPrior*PriorWeight + ratingSum) / (PriorWeight + ratingWeight)
		points[ratingsFactor] = (avg - RatingPrior) * RatingPoints
	}
	return report(points, ids, evidence, asOf)
}

// report rounds the factors and adds them up.
func report(points map[string]float64, ids map[string][]string, evidence int, asOf time.Time) Report {
	r := Report{AsOf: asOf, Provisional: evidence < MinEvidence}
	total := Baseline
	for name, p := range points {
		rounded := int(math.Round(p))
		r.Factors = append(r.Factors, Factor{Name: name, Points: rounded, Events: ids[name]})
		total += rounded
	}
	// Largest effect first, then by name, for a stable explanation.
	sort.Slice(r.Factors, func(i, j int) bool {
		a, b := abs(r.Factors[i].Points), abs(r.Factors[j].Points)
		if a != b {
			return a > b
		}
		return r.Factors[i].Name < r.Factors[j].Name
	})
	r.Score = min(max(total, 0), 1000)
	r.Band = BandOf(r.Score)
	return r
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// BayesRating is the plain (unweighted) Bayesian average of count ratings
// averaging avg: the rating shown beside a worker or employer.
func BayesRating(avg float64, count int) float64 {
	return (RatingPrior*PriorWeight + avg*float64(count)) / (PriorWeight + float64(count))
}

// MarshalGQL implements graphql.Marshaler.
func (b Band) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(b))) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (b *Band) UnmarshalGQL(v any) error {
	s, _ := v.(string)
	for _, x := range []Band{Poor, Fair, Good, VeryGood, Excellent} {
		if string(x) == s {
			*b = x
			return nil
		}
	}
	return fmt.Errorf("%q is not a credit band", s)
}

// FactorNames is the name of every factor a report may hold, the ratings'
// included.
func FactorNames() []string {
	names := []string{ratingsFactor}
	for _, f := range factors {
		names = append(names, f.name)
	}
	return names
}
