package market

import (
	"testing"
	"time"

	"flexwork/i18n"
)

// Benchmarks of the pure functions on the hot paths: every feed row is
// screened and its distance computed, every candidate scored, every ledger
// append hashed. Run: go test ./market -run '^$' -bench . -benchmem

func BenchmarkScreen(b *testing.B) {
	s, w := testShift(), goodWorker()
	w.Busy = []Interval{{s.Start.Add(-48 * time.Hour), s.Start.Add(-40 * time.Hour)}}
	b.ReportAllocs()
	for b.Loop() {
		if !Screen(s, w).Eligible {
			b.Fatal("a qualified worker failed screening")
		}
	}
}

// BenchmarkScreenFeedPage is what one feed request screens: 20 shifts.
func BenchmarkScreenFeedPage(b *testing.B) {
	shifts := make([]ShiftFacts, 20)
	for i := range shifts {
		shifts[i] = testShift()
		shifts[i].Place.Lat += float64(i) * 0.001
	}
	w := goodWorker()
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range shifts {
			Screen(s, w)
		}
	}
}

func BenchmarkMatchScore(b *testing.B) {
	in := MatchInput{Shift: testShift(), Worker: goodWorker(), PastShifts: 2, Favourite: true}
	b.ReportAllocs()
	for b.Loop() {
		if MatchScore(in).Score == 0 {
			b.Fatal("a good worker scored 0")
		}
	}
}

func BenchmarkDistanceKm(b *testing.B) {
	a, c := berlin, GeoPoint{Lat: 52.40, Lng: 13.60}
	var sum float64
	for b.Loop() {
		sum += DistanceKm(a, c)
	}
	if sum == 0 {
		b.Fatal("no distance")
	}
}

func BenchmarkLedgerHash(b *testing.B) {
	at := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	payload := `{"id":"cev_01JXYZ","subject":"wkr_01JXYZ","kind":"SHIFT_COMPLETED","source":"asg_01JXYZ","occurredAt":"2026-11-28T12:00:00Z"}`
	prev := ""
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		prev = LedgerHash(prev, int64(i), LedgerCreditEvent, "wkr_01JXYZ", "usr_01JXYZ", payload, at)
	}
}

// BenchmarkFailedRuleTexts is what the feed's rows cost to read when the
// viewer misses their skills, a certificate and the credit minimum: each
// failed verdict written in both languages, as a page's worker and an
// employer read them.
func BenchmarkFailedRuleTexts(b *testing.B) {
	w := goodWorker()
	w.Skills, w.Certs, w.CreditScore = map[string]int{}, map[string][]*time.Time{}, 500
	e := Screen(testShift(), w)
	failed := e.Failed()
	if len(failed) < 3 {
		b.Fatalf("%d rules failed, want at least 3", len(failed))
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, r := range failed {
			for _, lang := range i18n.Languages {
				if r.In(lang) == "" {
					b.Fatal("an empty verdict")
				}
			}
		}
	}
}
