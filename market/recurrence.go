package market

import (
	"fmt"
	"strings"
	"time"

	"github.com/teambition/rrule-go"
)

// maxOccurrences is the most shifts one series posts.
const maxOccurrences = 100

// Span is one occurrence of a series: when it starts and ends.
type Span struct{ StartsAt, EndsAt time.Time }

// Occurrences expands an RFC 5545 recurrence rule (without DTSTART) from a
// first shift that runs from start to end in zone. Every occurrence starts
// and ends at the first one's local wall-clock times, on its own dates,
// whatever the zone's offset that day: a 07:00 Monday shift stays at 07:00
// across a change to or from summer time. As RFC 5545 says, the first
// shift's own dates count only if the rule matches them.
//
// The rule repeats days, not hours: FREQ is DAILY, WEEKLY, MONTHLY or
// YEARLY, BYHOUR/BYMINUTE/BYSECOND are refused (the times are the shift's),
// and COUNT or UNTIL must end it within maxOccurrences.
func Occurrences(start, end time.Time, zone, rule string) ([]Span, error) {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q", zone)
	}
	rule = strings.TrimPrefix(strings.TrimSpace(rule), "RRULE:")
	if strings.Contains(rule, "DTSTART") || strings.Contains(rule, "\n") {
		return nil, fmt.Errorf("give the rule without DTSTART: the first shift's start is the series' start")
	}
	// The rule runs on a floating clock (the place's wall clock written as
	// UTC), so the library never meets a DST change; each occurrence is
	// then placed in the zone. UNTIL is read on that same wall clock.
	opt, err := rrule.StrToROption(rule)
	if err != nil {
		return nil, fmt.Errorf("not an RFC 5545 recurrence rule: %v", err)
	}
	switch {
	case opt.Freq != rrule.DAILY && opt.Freq != rrule.WEEKLY && opt.Freq != rrule.MONTHLY && opt.Freq != rrule.YEARLY:
		return nil, fmt.Errorf("FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY")
	case len(opt.Byhour) > 0 || len(opt.Byminute) > 0 || len(opt.Bysecond) > 0:
		return nil, fmt.Errorf("BYHOUR, BYMINUTE and BYSECOND are not allowed: every occurrence keeps the shift's times")
	case opt.Count == 0 && opt.Until.IsZero():
		return nil, fmt.Errorf("end the series with COUNT or UNTIL (at most %d shifts)", maxOccurrences)
	}
	ls, le := start.In(loc), end.In(loc)
	days := civilDays(ls, le)
	opt.Dtstart = time.Date(ls.Year(), ls.Month(), ls.Day(), ls.Hour(), ls.Minute(), ls.Second(), 0, time.UTC)
	r, err := rrule.NewRRule(*opt)
	if err != nil {
		return nil, fmt.Errorf("not a usable recurrence rule: %v", err)
	}
	var out []Span
	next := r.Iterator()
	for t, ok := next(); ok; t, ok = next() {
		if len(out) == maxOccurrences {
			return nil, fmt.Errorf("the rule gives more than %d shifts", maxOccurrences)
		}
		out = append(out, Span{
			StartsAt: time.Date(t.Year(), t.Month(), t.Day(), ls.Hour(), ls.Minute(), ls.Second(), 0, loc),
			EndsAt:   time.Date(t.Year(), t.Month(), t.Day()+days, le.Hour(), le.Minute(), le.Second(), 0, loc),
		})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("the rule gives no shift")
	}
	return out, nil
}

// civilDays is how many calendar days b's date is after a's.
func civilDays(a, b time.Time) int {
	da := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC)
	db := time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC)
	return int(db.Sub(da).Hours() / 24)
}
