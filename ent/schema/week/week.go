// Package week is a worker's availability: a weekly pattern of wall-clock
// windows plus dated exceptions, and where a shift falls in it. Windows are
// read on the shift's own clock (a worker works where the shifts are), so
// "Mondays 08:00–16:00" means the same hours on either side of a DST
// change. It lives beside the schema because both a WorkerProfile field and
// the shifts' stored week position are made of it.
package week

import (
	"fmt"
	"slices"
	"time"
)

// Minutes is the length of a week in minutes; minute 0 is Monday 00:00.
const Minutes = 7 * 24 * 60

// Days are the days of the week as the API names them, Monday first.
var Days = []string{"MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"}

// Window is a weekly stretch of wall-clock time the worker is free:
// From and To are "HH:MM", To after From, "24:00" for midnight at the end.
type Window struct {
	Day  string `json:"day"`
	From string `json:"from"`
	To   string `json:"to"`
}

// Exception overrides the pattern between two instants: away (not
// Available) however the pattern reads, or free though it says otherwise.
type Exception struct {
	From      time.Time `json:"from"`
	To        time.Time `json:"to"`
	Available bool      `json:"available"`
}

// Availability is the weekly pattern and its exceptions. Empty, it says
// nothing: every shift fits it as "not said".
type Availability struct {
	Weekly     []Window    `json:"weekly,omitempty"`
	Exceptions []Exception `json:"exceptions,omitempty"`
}

// Fit is how a shift falls in an availability.
type Fit int

// Fits.
const (
	Unsaid  Fit = iota // no pattern, and no exception covers the shift
	Free               // inside the pattern, or inside a free exception
	Outside            // outside the weekly pattern
	Away               // during an exception the worker is away
)

// Span is where a shift falls in its local week: the minute of the week
// its local start is at, and how many wall-clock minutes it lasts (a shift
// across a DST change lasts the minutes its clock shows).
func Span(start, end time.Time, loc *time.Location) (startMinute, minutes int) {
	s, e := start.In(loc), end.In(loc)
	startMinute = minuteOfWeek(s)
	wall := func(t time.Time) time.Time {
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, time.UTC)
	}
	return startMinute, int(wall(e).Sub(wall(s)) / time.Minute)
}

func minuteOfWeek(t time.Time) int { return Day(t)*24*60 + t.Hour()*60 + t.Minute() }

// Day is t's day of the week on its own clock, Monday 0 to Sunday 6: its
// place in Days.
func Day(t time.Time) int { return (int(t.Weekday()) + 6) % 7 }

// Fits says how the shift [start, end) at week position (startMinute,
// minutes) falls in a. Exceptions come first: away beats everything, a
// free exception covering the whole shift beats the pattern.
func (a Availability) Fits(start, end time.Time, startMinute, minutes int) Fit {
	for _, x := range a.Exceptions {
		if !x.Available && x.From.Before(end) && start.Before(x.To) {
			return Away
		}
	}
	for _, x := range a.Exceptions {
		if x.Available && !x.From.After(start) && !x.To.Before(end) {
			return Free
		}
	}
	if len(a.Weekly) == 0 {
		return Unsaid
	}
	if startMinute < 0 {
		return Outside // a shift whose week position is not known yet
	}
	for _, iv := range a.Intervals() {
		for _, s := range []int{startMinute, startMinute + Minutes} {
			if s >= iv[0] && s+minutes <= iv[1] {
				return Free
			}
		}
	}
	return Outside
}

// Intervals is the weekly pattern as sorted, merged [from, to) minutes of
// the week. A stretch running through Sunday midnight into Monday ends past
// Minutes, so that a shift starting late on Sunday fits it: a position s is
// inside [a, b) if s or s+Minutes is.
func (a Availability) Intervals() [][2]int {
	var ivs [][2]int
	for _, w := range a.Weekly {
		d := slices.Index(Days, w.Day)
		from, err1 := clock(w.From)
		to, err2 := clock(w.To)
		if d < 0 || err1 != nil || err2 != nil || to <= from {
			continue // Validate refuses these
		}
		ivs = append(ivs, [2]int{d*1440 + from, d*1440 + to})
	}
	slices.SortFunc(ivs, func(x, y [2]int) int { return x[0] - y[0] })
	var out [][2]int
	for _, iv := range ivs {
		if n := len(out); n > 0 && iv[0] <= out[n-1][1] {
			out[n-1][1] = max(out[n-1][1], iv[1])
			continue
		}
		out = append(out, iv)
	}
	if n := len(out); n > 1 && out[n-1][1] == Minutes && out[0][0] == 0 {
		out[n-1][1] = Minutes + out[0][1] // Sunday night runs on into Monday
	}
	return out
}

// Validate names the first thing wrong with a, as the field it is in.
func (a Availability) Validate() (field, problem string) {
	if len(a.Weekly) > 50 {
		return "weekly", "at most 50 windows"
	}
	if len(a.Exceptions) > 50 {
		return "exceptions", "at most 50 exceptions"
	}
	for i, w := range a.Weekly {
		at := fmt.Sprintf("weekly[%d]", i)
		if !slices.Contains(Days, w.Day) {
			return at + ".day", "is not a day of the week"
		}
		from, err := clock(w.From)
		if err != nil {
			return at + ".from", "is not a time of day as HH:MM"
		}
		to, err := clock(w.To)
		if err != nil {
			return at + ".to", "is not a time of day as HH:MM (24:00 for midnight)"
		}
		if to <= from {
			return at + ".to", "must be after from"
		}
	}
	for i, x := range a.Exceptions {
		if !x.To.After(x.From) {
			return fmt.Sprintf("exceptions[%d].to", i), "must be after from"
		}
		if x.To.Sub(x.From) > 366*24*time.Hour {
			return fmt.Sprintf("exceptions[%d].to", i), "an exception lasts at most a year"
		}
	}
	return "", ""
}

// clock reads "HH:MM" as minutes after midnight; "24:00" is 1440.
func clock(s string) (int, error) {
	var h, m int
	if len(s) != 5 || s[2] != ':' {
		return 0, fmt.Errorf("not HH:MM")
	}
	if _, err := fmt.Sscanf(s, "%02d:%02d", &h, &m); err != nil {
		return 0, err
	}
	if h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("out of range")
	}
	return h*60 + m, nil
}
