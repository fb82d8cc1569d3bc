package credit

import (
	"math"
	"time"
)

// epoch is the reference time of a Tally's accumulators: weights are kept as
// 2^((t−epoch)/HalfLife) so that a sum of them can be aged to any moment by
// one multiplication.
var epoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// Tally scores a subject incrementally: Add events one at a time, read a
// Report at any moment. It keeps sums, not the events, yet always agrees
// with Compute over the same events — the property the tests check.
type Tally struct {
	points    map[string]float64 // factor → Σ points·2^((t−epoch)/H)
	ids       map[string][]string
	ratingSum float64 // Σ stars·2^((t−epoch)/H)
	ratingW   float64 // Σ 2^((t−epoch)/H)
	evidence  int
	applied   map[string]Event // counted events, so a reversal can take one back
	reversed  map[string]bool  // reversals seen before the event they undo
}

// NewTally returns an empty tally.
func NewTally() *Tally {
	return &Tally{points: map[string]float64{}, ids: map[string][]string{}, applied: map[string]Event{}, reversed: map[string]bool{}}
}

func grow(at time.Time) float64 { return math.Exp2(float64(at.Sub(epoch)) / float64(HalfLife)) }

// Add counts one more event.
func (t *Tally) Add(e Event) {
	if e.Kind == EventReversed {
		if old, ok := t.applied[e.Reverses]; ok {
			t.count(old, -1)
			delete(t.applied, e.Reverses)
		}
		t.reversed[e.Reverses] = true
		return
	}
	if t.reversed[e.ID] {
		return
	}
	if e.Kind != ReviewRevealed {
		if _, ok := factors[e.Kind]; !ok {
			return
		}
	}
	t.applied[e.ID] = e
	t.count(e, +1)
}

// count adds (sign +1) or removes (−1) an event's contribution.
func (t *Tally) count(e Event, sign float64) {
	g := grow(e.At)
	name := ratingsFactor
	if e.Kind == ReviewRevealed {
		t.ratingSum += sign * g * float64(e.Rating)
		t.ratingW += sign * g
	} else {
		f := factors[e.Kind]
		name = f.name
		t.points[name] += sign * g * f.points
	}
	if e.Kind == ReviewRevealed || factors[e.Kind].points != 0 {
		t.evidence += int(sign)
	}
	if sign > 0 {
		t.ids[name] = append(t.ids[name], e.ID)
		return
	}
	kept := t.ids[name][:0]
	for _, id := range t.ids[name] {
		if id != e.ID {
			kept = append(kept, id)
		}
	}
	if len(kept) == 0 {
		delete(t.ids, name)
		delete(t.points, name)
		return
	}
	t.ids[name] = kept
}

// Report ages the sums to asOf and reports. Events must not be later than
// asOf (a Tally cannot weigh future events fully, as Compute does).
func (t *Tally) Report(asOf time.Time) Report {
	shrink := 1 / grow(asOf)
	points := make(map[string]float64, len(t.points)+1)
	for name, p := range t.points {
		points[name] = p * shrink
	}
	ids := make(map[string][]string, len(t.ids))
	for name, l := range t.ids {
		ids[name] = append([]string(nil), l...)
	}
	if w := t.ratingW * shrink; w > 1e-12 {
		avg := (RatingPrior*PriorWeight + t.ratingSum*shrink) / (PriorWeight + w)
		points[ratingsFactor] = (avg - RatingPrior) * RatingPoints
	}
	return report(points, ids, t.evidence, asOf)
}
