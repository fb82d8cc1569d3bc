package pricing

import (
	"fmt"
	"strings"
	"testing"
)

func explain(s Suggestion) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d =", s.HourlyRate)
	for _, f := range s.Factors {
		fmt.Fprintf(&b, " %s %+d", f.Code, f.Change)
		if f.Ratio != 0 {
			fmt.Fprintf(&b, " (%.2f)", f.Ratio)
		}
	}
	return b.String()
}

// TestGolden: the model's answers for cases a reader can check by hand.
func TestGolden(t *testing.T) {
	filled := func(rates ...int64) []Past {
		var ps []Past
		for _, r := range rates {
			ps = append(ps, Past{HourlyRate: r, Filled: true})
		}
		return ps
	}
	for name, c := range map[string]struct {
		f    Facts
		want string
	}{
		"balanced: one worker per slot, history of 15.00": {
			Facts{Asked: 1400, Slots: 2, Supply: 2, History: filled(1500, 1500, 1600)},
			"1500 = BASE_HISTORY +1500 SCARCITY +0 (1.00)"},
		"scarce: eight wanted for two workers": {
			Facts{Asked: 1400, Slots: 2, Demand: 6, Supply: 2, History: filled(1500, 1500, 1600)},
			"1950 = BASE_HISTORY +1500 SCARCITY +450 (4.00)"},
		"plenty: ten workers for two slots": {
			Facts{Asked: 1400, Slots: 2, Supply: 10, History: filled(1500, 1500, 1600)},
			"1280 = BASE_HISTORY +1500 SCARCITY -220 (0.20)"},
		"nobody yet: the most the model offers": {
			Facts{Asked: 1400, Slots: 1, Supply: 0},
			"2100 = BASE_ASKED +1400 SCARCITY +700 (1.00)"},
		"similar shifts went unfilled": {
			Facts{Asked: 1400, Slots: 1, Supply: 1, History: []Past{{1200, false}, {1300, false}, {1400, true}}},
			"1540 = BASE_HISTORY +1400 SCARCITY +0 (1.00) FILL_RATE +140 (0.33)"},
		"Shanghai: never below the city's ¥25.00": {
			Facts{Asked: 2200, Slots: 1, Supply: 8, Floor: 2500},
			"2500 = BASE_ASKED +2200 SCARCITY -330 (0.12) MINIMUM_WAGE +630"},
	} {
		if got := explain(Suggest(c.f)); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", name, got, c.want)
		}
	}
}

// TestPriceFollowsScarcity: with all else equal, fewer available workers
// never lower the rate and more never raise it; the steps add up to the
// rate, and the rate is never below the floor.
func TestPriceFollowsScarcity(t *testing.T) {
	hist := []Past{{1500, true}, {1700, true}, {1600, false}}
	for _, floor := range []int64{0, 1600} {
		prev := int64(1 << 62)
		for supply := 0; supply <= 64; supply++ {
			s := Suggest(Facts{Asked: 1500, Slots: 3, Demand: 5, Supply: supply, History: hist, Floor: floor})
			if s.HourlyRate > prev {
				t.Fatalf("floor %d: %d workers pay %d, more than %d for fewer", floor, supply, s.HourlyRate, prev)
			}
			if s.HourlyRate < floor {
				t.Fatalf("below the floor: %s", explain(s))
			}
			if sumChanges(s.Factors) != s.HourlyRate {
				t.Fatalf("the steps do not add up: %s", explain(s))
			}
			prev = s.HourlyRate
		}
		if first, last := Suggest(Facts{Asked: 1500, Slots: 3, Demand: 5, Supply: 1, History: hist, Floor: floor}),
			Suggest(Facts{Asked: 1500, Slots: 3, Demand: 5, Supply: 64, History: hist, Floor: floor}); first.HourlyRate <= last.HourlyRate {
			t.Fatalf("scarcity does not raise the rate: %s vs %s", explain(first), explain(last))
		}
	}
}
