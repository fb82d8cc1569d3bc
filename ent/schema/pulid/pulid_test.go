package pulid

import (
	"sort"
	"sync"
	"testing"
)

func TestNewIsPrefixedSortableAndUnique(t *testing.T) {
	const n = 2000
	ids := make([]string, n)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < n; i += 4 {
				ids[i] = New("shf")
			}
		}(w)
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, id := range ids {
		if Prefix(id) != "shf" {
			t.Fatalf("Prefix(%q) = %q, want shf", id, Prefix(id))
		}
		if seen[id] {
			t.Fatalf("duplicate id %q", id)
		}
		seen[id] = true
	}
	a, b := New("usr"), New("usr")
	if !sort.StringsAreSorted([]string{a, b}) {
		t.Fatalf("ids not sortable by creation: %q then %q", a, b)
	}
}

func TestPrefixRejectsMalformed(t *testing.T) {
	for _, id := range []string{"", "shf", "_01JD0000000000000000000000", "shf_short", "shf-01JD0000000000000000000000"} {
		if p := Prefix(id); p != "" {
			t.Errorf("Prefix(%q) = %q, want empty", id, p)
		}
	}
}
