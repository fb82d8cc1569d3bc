package market_test

import (
	"strings"
	"testing"
	"time"

	"flexwork/market"
)

// TestAWeeklySeriesKeepsItsLocalTimesAcrossDST: a Berlin café's Saturday
// and Sunday 07:00–15:00 shifts, and a warehouse's 22:00–06:00 Friday
// night, posted for the weeks around the end of summer time (25 October
// 2026), stay at the same local times while their UTC times move by an
// hour.
func TestAWeeklySeriesKeepsItsLocalTimesAcrossDST(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	at := func(d, h int) time.Time { return time.Date(2026, 10, d, h, 0, 0, 0, berlin) }
	spans, err := market.Occurrences(at(17, 7), at(17, 15), "Europe/Berlin", "FREQ=WEEKLY;BYDAY=SA,SU;COUNT=4")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range spans {
		got = append(got, s.StartsAt.UTC().Format("Mon 02 15:04Z")+"–"+s.EndsAt.UTC().Format("15:04Z"))
	}
	want := "Sat 17 05:00Z–13:00Z Sun 18 05:00Z–13:00Z Sat 24 05:00Z–13:00Z Sun 25 06:00Z–14:00Z"
	if strings.Join(got, " ") != want {
		t.Fatalf("occurrences in UTC:\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	for _, s := range spans {
		if l := s.StartsAt.In(berlin); l.Hour() != 7 || s.EndsAt.In(berlin).Hour() != 15 {
			t.Fatalf("%s does not start at 07:00 Berlin time", l)
		}
	}

	// A weekly Friday night shift, 22:00 to 06:00, until the end of October.
	night, err := market.Occurrences(at(16, 22), time.Date(2026, 10, 17, 6, 0, 0, 0, berlin), "Europe/Berlin", "FREQ=WEEKLY;UNTIL=20261030T000000Z")
	if err != nil || len(night) != 2 {
		t.Fatalf("night series: %v %v", night, err)
	}
	if d := night[1].EndsAt.Sub(night[1].StartsAt); night[1].StartsAt.In(berlin).Day() != 23 || d != 8*time.Hour {
		t.Fatalf("the second night: %s for %s", night[1].StartsAt.In(berlin), d)
	}
	// Posted daily from the 23rd, the night the clocks go back runs to
	// 06:00 local all the same, nine hours.
	nights, err := market.Occurrences(at(23, 22), time.Date(2026, 10, 24, 6, 0, 0, 0, berlin), "Europe/Berlin", "FREQ=DAILY;COUNT=3")
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []time.Duration{8 * time.Hour, 9 * time.Hour, 8 * time.Hour} {
		if d := nights[i].EndsAt.Sub(nights[i].StartsAt); d != want || nights[i].EndsAt.In(berlin).Hour() != 6 {
			t.Fatalf("night %d: %s to %s, %s; want %s", i, nights[i].StartsAt, nights[i].EndsAt, d, want)
		}
	}
}

// TestRulesASeriesRefuses: each refusal says what to change.
func TestRulesASeriesRefuses(t *testing.T) {
	start := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	for rule, want := range map[string]string{
		"FREQ=HOURLY;COUNT=3":                          "FREQ must be",
		"FREQ=WEEKLY":                                  "COUNT or UNTIL",
		"FREQ=DAILY;COUNT=101":                         "more than 100",
		"FREQ=DAILY;BYHOUR=9;COUNT=2":                  "BYHOUR",
		"DTSTART:20261207T080000Z\nFREQ=DAILY;COUNT=2": "without DTSTART",
		"every monday":                                 "not an RFC 5545",
	} {
		if _, err := market.Occurrences(start, start.Add(8*time.Hour), "UTC", rule); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", rule, err, want)
		}
	}
}
