package market

import (
	"testing"
	"time"
)

// TestARankingComputedDuringAnUnrelatedChangeIsKept: a ranking whose
// computation overlapped changes is kept unless one of them may have moved
// it — its shift, employer, applications or applicants — or the log of
// changes no longer reaches back to when it began.
func TestARankingComputedDuringAnUnrelatedChangeIsKept(t *testing.T) {
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	k := func() *ranking {
		return &ranking{at: now, employerID: "emp1", people: map[string]bool{"wrk1": true}, apps: []string{"app1", "app2"}}
	}
	for _, tc := range []struct {
		name    string
		changes []rankingChange
		kept    bool
	}{
		{"no change", nil, true},
		{"another worker", []rankingChange{{people: []string{"wrk2"}}}, true},
		{"another shift, organisation and application", []rankingChange{{shifts: []string{"shf2"}}, {employers: []string{"emp2"}}, {apps: []string{"app9"}}}, true},
		{"an applicant", []rankingChange{{people: []string{"wrk2"}}, {people: []string{"wrk1"}}}, false},
		{"an application", []rankingChange{{apps: []string{"app2"}}}, false},
		{"the shift", []rankingChange{{shifts: []string{"shf1"}}}, false},
		{"the organisation", []rankingChange{{employers: []string{"emp1"}}}, false},
		{"everything", []rankingChange{{all: true}}, false},
		{"more changes than the log keeps", make([]rankingChange, keptChanges+1), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRankings()
			for range 3 { // changes before the computation began matter not
				r.invalidate(rankingChange{shifts: []string{"shf1"}})
			}
			_, gen := r.get("shf1", now)
			for _, ch := range tc.changes {
				if !ch.all && ch.shifts == nil && ch.apps == nil && ch.people == nil && ch.employers == nil {
					ch.shifts = []string{"shf-elsewhere"}
				}
				r.invalidate(ch)
			}
			r.put("shf1", k(), gen)
			if got, _ := r.get("shf1", now); (got != nil) != tc.kept {
				t.Fatalf("kept = %v, want %v", got != nil, tc.kept)
			}
		})
	}
}
