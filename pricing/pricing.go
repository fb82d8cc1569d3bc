// Package pricing suggests an hourly rate for a shift that is about to be
// posted, and says why: a plain function from the facts the market gathers
// (supply of eligible workers at that place and time, competing open slots,
// what similar shifts paid and whether they filled, the local minimum) to a
// rate and the factors that make it up. No learning, no hidden state: the
// same facts give the same answer, and each step is a factor the employer
// reads.
package pricing

import (
	"math"
	"slices"
)

// Facts are what the market knows about a draft's place and time.
type Facts struct {
	// Asked is the draft's own hourly rate, in minor units: the base when
	// no similar shift has been seen.
	Asked int64
	// Slots is how many workers the draft needs.
	Slots int
	// Supply is how many workers could take it: they have its skills, live
	// within reach of the place and work nothing else at that time.
	Supply int
	// Demand is the open slots of other published shifts near the place at
	// an overlapping time: the competition for the same workers.
	Demand int
	// History is similar past shifts (same skills, near the place).
	History []Past
	// Floor is the local minimum hourly rate in minor units; 0 for none.
	Floor int64
}

// Past is a similar shift that has started: what it paid, and whether
// every slot was taken.
type Past struct {
	HourlyRate int64
	Filled     bool
}

// Factor codes: language-free; the apps and i18n (pricing.<CODE>) word them.
const (
	BaseHistory = "BASE_HISTORY" // the median rate of similar shifts that filled
	BaseAsked   = "BASE_ASKED"   // no filled similar shift: the draft's own rate
	Scarcity    = "SCARCITY"     // slots wanted (yours and the competition's) per available worker
	FillRate    = "FILL_RATE"    // similar shifts often went unfilled
	Minimum     = "MINIMUM_WAGE" // raised to the local minimum
)

// Factor is one step from the base to the suggestion.
type Factor struct {
	Code string
	// Change is what the step adds (or takes away), in minor units per hour.
	Change int64
	// Ratio is the step's measure: wanted slots per worker for SCARCITY,
	// the share of similar shifts filled for FILL_RATE; 0 otherwise.
	Ratio float64
}

// Suggestion is the rate and its explanation.
type Suggestion struct {
	HourlyRate int64
	Factors    []Factor
}

// The model's constants: a doubling of wanted slots per available worker
// moves the rate by scarcityStep, within [minScarcity, maxScarcity]; when
// fewer than half of similar shifts filled, the rate rises by unfilledRaise.
const (
	scarcityStep  = 0.15
	minScarcity   = 0.85
	maxScarcity   = 1.5
	unfilledRaise = 0.10
	roundTo       = 10 // minor units: suggestions end in 0
)

// Suggest is the model.
func Suggest(f Facts) Suggestion {
	var s Suggestion
	rate, filled := float64(f.Asked), 0
	var paid []int64
	for _, p := range f.History {
		if p.Filled {
			filled++
			paid = append(paid, p.HourlyRate)
		}
	}
	if len(paid) > 0 {
		rate = float64(median(paid))
		s.Factors = append(s.Factors, Factor{Code: BaseHistory, Change: int64(rate)})
	} else {
		s.Factors = append(s.Factors, Factor{Code: BaseAsked, Change: f.Asked})
	}

	wanted := float64(max(f.Slots, 1) + max(f.Demand, 0))
	ratio := wanted / float64(max(f.Supply, 1))
	mult := math.Min(maxScarcity, math.Max(minScarcity, 1+scarcityStep*math.Log2(ratio)))
	if f.Supply == 0 {
		mult = maxScarcity // nobody can take it yet: the most the model offers
	}
	next := rate * mult
	s.Factors = append(s.Factors, Factor{Code: Scarcity, Change: int64(math.Round(next - rate)), Ratio: ratio})
	rate = next

	if n := len(f.History); n > 0 && filled*2 < n {
		next := rate * (1 + unfilledRaise)
		s.Factors = append(s.Factors, Factor{Code: FillRate, Change: int64(math.Round(next - rate)), Ratio: float64(filled) / float64(n)})
		rate = next
	}

	out := int64(math.Round(rate/roundTo)) * roundTo
	// The rounding goes into the last step, so that the steps add up.
	s.Factors[len(s.Factors)-1].Change += out - int64(math.Round(rate))
	if sum := sumChanges(s.Factors); sum != out {
		s.Factors[len(s.Factors)-1].Change += out - sum
	}
	if f.Floor > 0 && out < f.Floor {
		s.Factors = append(s.Factors, Factor{Code: Minimum, Change: f.Floor - out})
		out = f.Floor
	}
	s.HourlyRate = out
	return s
}

func sumChanges(fs []Factor) int64 {
	var n int64
	for _, f := range fs {
		n += f.Change
	}
	return n
}

// median of rates (the lower middle for an even count: never above what
// half of them paid).
func median(xs []int64) int64 {
	ys := slices.Clone(xs)
	slices.Sort(ys)
	return ys[(len(ys)-1)/2]
}
