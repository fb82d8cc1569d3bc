package market

import (
	"testing"
	"time"

	"flexwork/i18n"
)

// TestDemandFindsThePeaksAndExplainsTheCount: Saturday 18:00 shifts in
// three of four weeks, 4, 6 and 5 slots, one no-show in 14 hires: post
// ceil(5 × 15/14) = 6, explained; Monday 09:00 filled under 80 %, so the
// suggestion says a better rate helps more; a one-off Tuesday is no peak.
func TestDemandFindsThePeaksAndExplainsTheCount(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, berlin) // a Wednesday
	at := func(d string) time.Time {
		x, err := time.ParseInLocation("2006-01-02 15:04", d, berlin)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	past := []PastShift{
		{Start: at("2026-11-28 18:00"), Slots: 4, Hired: 4, NoShows: 1, WeekOfHistory: 0},
		{Start: at("2026-11-21 18:30"), Slots: 6, Hired: 6, WeekOfHistory: 1},
		{Start: at("2026-11-21 18:00"), Slots: 0, Hired: 0, WeekOfHistory: 1}, // same week, same hour: one week
		{Start: at("2026-11-07 18:00"), Slots: 5, Hired: 4, WeekOfHistory: 3},
		{Start: at("2026-11-30 09:00"), Slots: 4, Hired: 2, WeekOfHistory: 0},
		{Start: at("2026-11-23 09:00"), Slots: 4, Hired: 3, WeekOfHistory: 1},
		{Start: at("2026-11-24 14:00"), Slots: 9, Hired: 9, WeekOfHistory: 1},
	}
	for i := range past {
		past[i].Zone = berlin
	}
	v := Demand(past, 4, now)
	if len(v.Buckets) != 3 || v.Buckets[0].Weekday != "MONDAY" || v.Buckets[2].Weekday != "SATURDAY" {
		t.Fatalf("buckets: %+v", v.Buckets)
	}
	sat := v.Buckets[2]
	if sat.Hour != 18 || sat.Shifts != 4 || sat.Slots != 15 || sat.Hired != 14 || sat.NoShows != 1 || sat.Weeks != 3 {
		t.Fatalf("Saturday 18:00: %+v", sat)
	}
	if len(v.Suggestions) != 2 {
		t.Fatalf("suggestions: %+v", v.Suggestions)
	}
	top := v.Suggestions[0]
	if top.Weekday != "SATURDAY" || top.Slots != 6 || top.Date.Format(time.DateOnly) != "2026-12-05" ||
		top.In(i18n.English) != "In 3 weeks with shifts at this time you asked for 5.0 workers on average, and 7 % of those hired did not come: post 6." {
		t.Fatalf("Saturday's suggestion: %+v %q", top, top.In(i18n.English))
	}
	mon := v.Suggestions[1]
	if mon.Weekday != "MONDAY" || mon.Slots != 4 || mon.Date.Format(time.DateOnly) != "2026-12-07" || mon.In(i18n.Chinese) == mon.In(i18n.English) ||
		mon.In(i18n.English) != "In 2 weeks with shifts at this time you asked for 4.0 workers on average, and 0 % of those hired did not come: post 4. Only 62 % of the slots filled: a better rate fills more than more slots do." {
		t.Fatalf("Monday's suggestion: %+v %q", mon, mon.In(i18n.English))
	}
}
