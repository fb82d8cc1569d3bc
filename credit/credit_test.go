package credit

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

var june = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func daysAgo(d float64) time.Time { return june.Add(-time.Duration(d * 24 * float64(time.Hour))) }

func factorNamed(r Report, name string) Factor {
	for _, f := range r.Factors {
		if f.Name == name {
			return f
		}
	}
	return Factor{}
}

// TestGoldenScenarios fixes the model: each score is worked out by hand
// from the formula in the package comment.
func TestGoldenScenarios(t *testing.T) {
	var reliable []Event
	for i := range 10 {
		reliable = append(reliable, Event{ID: fmt.Sprintf("done%d", i), Kind: ShiftCompleted, At: daysAgo(float64(i))})
	}
	cases := []struct {
		name        string
		events      []Event
		score       int
		band        Band
		provisional bool
	}{
		{"newcomer", nil, 600, Good, true},
		{"one completed shift today", []Event{{ID: "a", Kind: ShiftCompleted, At: june}}, 612, Good, true},
		{"a no-show one half-life ago", []Event{{ID: "n", Kind: NoShow, At: daysAgo(180)}}, 570, Good, true},
		{"a no-show two half-lives ago", []Event{{ID: "n", Kind: NoShow, At: daysAgo(360)}}, 585, Good, true},
		// The package comment's worked example: +118 (12 × Σᵢ 0.5^(i/180) for
		// i = 0…9 = 117.9), −30 (the no-show at half weight), +25 (ratings).
		{"the worked example", append(slices.Clone(reliable),
			Event{ID: "n", Kind: NoShow, At: daysAgo(180)},
			Event{ID: "r1", Kind: ReviewRevealed, At: june, Rating: 5},
			Event{ID: "r2", Kind: ReviewRevealed, At: june, Rating: 5},
			Event{ID: "r3", Kind: ReviewRevealed, At: june, Rating: 4},
		), 713, VeryGood, false},
		{"three 5-star reviews", stars(3, 5), 638, Good, true},
		{"fifty 4.8-star reviews", stars(50, 4.8), 673, Good, false},
		{"an employer who pays late", []Event{
			{ID: "p1", Kind: WagePaidLate, At: june}, {ID: "p2", Kind: WagePaidLate, At: june}, {ID: "o", Kind: WageOverdue, At: june},
		}, 510, Fair, true},
		{"a no-show reversed on appeal", []Event{
			{ID: "n", Kind: NoShow, At: june}, {ID: "x", Kind: EventReversed, At: june, Reverses: "n"},
		}, 600, Good, true},
		{"cannot go below zero", repeat(20, NoShow), 0, Poor, false},
		{"cannot go above a thousand", repeat(100, ShiftCompleted), 1000, Excellent, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Compute(c.events, june)
			if r.Score != c.score || r.Band != c.band || r.Provisional != c.provisional {
				t.Fatalf("score %d %s provisional %v; want %d %s %v (factors %+v)", r.Score, r.Band, r.Provisional, c.score, c.band, c.provisional, r.Factors)
			}
			if r.Score > 0 && r.Score < 1000 {
				sum := Baseline
				for _, f := range r.Factors {
					sum += f.Points
				}
				if sum != r.Score {
					t.Fatalf("factors add up to %d, score is %d", sum, r.Score)
				}
			}
		})
	}
}

func TestFactorsNameTheirEvents(t *testing.T) {
	r := Compute([]Event{
		{ID: "a", Kind: ShiftCompleted, At: june}, {ID: "b", Kind: ShiftCompleted, At: june},
		{ID: "n", Kind: NoShow, At: june}, {ID: "r", Kind: ReviewRevealed, At: june, Rating: 5},
	}, june)
	if f := factorNamed(r, "completed shifts"); f.Points != 24 || !slices.Equal(f.Events, []string{"a", "b"}) {
		t.Fatalf("completed shifts: %+v", f)
	}
	if f := factorNamed(r, "no-shows"); f.Points != -60 || !slices.Equal(f.Events, []string{"n"}) {
		t.Fatalf("no-shows: %+v", f)
	}
	if f := factorNamed(r, "ratings"); f.Points != 17 || !slices.Equal(f.Events, []string{"r"}) { // (20+5)/6 = 4.1667 → +16.7
		t.Fatalf("ratings: %+v", f)
	}
	if r.Factors[0].Name != "no-shows" {
		t.Fatalf("the largest effect should come first: %+v", r.Factors)
	}
}

func stars(n int, avg float64) []Event {
	// n reviews whose stars average avg: whole stars, the rest spread.
	var out []Event
	total := int(avg*float64(n) + 0.5)
	for i := range n {
		s := total / n
		if i < total%n {
			s++
		}
		out = append(out, Event{ID: fmt.Sprintf("r%d", i), Kind: ReviewRevealed, At: june, Rating: s})
	}
	return out
}

func repeat(n int, k Kind) []Event {
	out := make([]Event, n)
	for i := range out {
		out[i] = Event{ID: fmt.Sprintf("%s%d", k, i), Kind: k, At: june}
	}
	return out
}

// TestTallyAgreesWithCompute is the property: for random histories —
// every kind, ratings, reversals before and after the event they undo —
// adding events one by one and reading the report gives exactly what
// computing from all of them gives.
func TestTallyAgreesWithCompute(t *testing.T) {
	kinds := []Kind{ShiftCompleted, NoShow, LateCancellation, EarlyCancellation, LateCheckIn, CertificateVerified, CertificateRejected,
		CertificateExpired, CertificateRevoked, WagePaidOnTime, WagePaidLate, WageOverdue, ShiftCancelledLate,
		TimesheetAutoApproved, ReviewRevealed, ReviewRevealed}
	for seed := range uint64(500) {
		rng := rand.New(rand.NewPCG(seed, 42))
		var events []Event
		for i := range rng.IntN(60) {
			e := Event{ID: fmt.Sprintf("e%d", i), At: daysAgo(rng.Float64() * 900)}
			if len(events) > 0 && rng.IntN(8) == 0 {
				e.Kind, e.Reverses = EventReversed, events[rng.IntN(len(events))].ID
			} else {
				e.Kind = kinds[rng.IntN(len(kinds))]
				e.Rating = 1 + rng.IntN(5)
			}
			events = append(events, e)
		}
		// A reversal may also arrive before the event it undoes.
		rng.Shuffle(len(events), func(i, j int) { events[i], events[j] = events[j], events[i] })
		tally := NewTally()
		for i, e := range events {
			tally.Add(e)
			if got, want := tally.Report(june), Compute(events[:i+1], june); !sameReport(got, want) {
				t.Fatalf("seed %d after %d events: tally %+v, compute %+v", seed, i+1, got, want)
			}
		}
	}
}

func sameReport(a, b Report) bool {
	if a.Score != b.Score || a.Band != b.Band || a.Provisional != b.Provisional || len(a.Factors) != len(b.Factors) {
		return false
	}
	for i := range a.Factors {
		x, y := a.Factors[i], b.Factors[i]
		sx, sy := slices.Clone(x.Events), slices.Clone(y.Events)
		slices.Sort(sx)
		slices.Sort(sy)
		if x.Name != y.Name || x.Points != y.Points || !slices.Equal(sx, sy) {
			return false
		}
	}
	return true
}

func BenchmarkCompute(b *testing.B) {
	events := append(repeat(200, ShiftCompleted), stars(80, 4.6)...)
	b.ReportAllocs()
	for b.Loop() {
		Compute(events, june)
	}
}

func TestBayesRatingFavoursEvidence(t *testing.T) {
	if BayesRating(5, 3) >= BayesRating(4.8, 50) {
		t.Fatalf("three 5-star reviews (%.2f) beat fifty 4.8s (%.2f)", BayesRating(5, 3), BayesRating(4.8, 50))
	}
}
