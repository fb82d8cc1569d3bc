package notifications

import (
	"slices"
	"time"

	"flexwork/ent/notification"
	"flexwork/ent/schema/enum"
)

// Prefs are a user's push preferences.
type Prefs struct {
	TimeZone string
	// Quiet hours, in minutes after local midnight; both nil means none.
	// A window may wrap midnight (22:00–07:00).
	QuietStart, QuietEnd *int
	OptOuts              []enum.NotificationCategory
	DailyShiftCap        int
}

// PushDecision says whether a new notification is pushed, and when, given
// the user's preferences, whether they have a device, and how many
// new-shift pushes they got today (in their time zone). A notification not
// pushed still lands in the inbox; the status says why. One that comes in
// quiet hours is pushed when they end (notBefore): deferred, not dropped.
func PushDecision(p Prefs, cat enum.NotificationCategory, hasDevice bool, shiftPushesToday int, now time.Time) (status notification.PushStatus, notBefore time.Time) {
	switch {
	case slices.Contains(p.OptOuts, cat):
		return notification.PushStatusSKIPPED_OPT_OUT, time.Time{}
	case !hasDevice:
		return notification.PushStatusSKIPPED_NO_DEVICE, time.Time{}
	case cat == enum.CategoryShiftPublished && shiftPushesToday >= p.DailyShiftCap:
		return notification.PushStatusSKIPPED_DAILY_CAP, time.Time{}
	}
	return notification.PushStatusPENDING, QuietUntil(p, now)
}

// QuietUntil is when the quiet hours now falls in end, or zero when now is
// not in quiet hours.
func QuietUntil(p Prefs, now time.Time) time.Time {
	if !InQuietHours(p, now) {
		return time.Time{}
	}
	local := now.In(location(p.TimeZone))
	end := time.Date(local.Year(), local.Month(), local.Day(), *p.QuietEnd/60, *p.QuietEnd%60, 0, 0, local.Location())
	if !end.After(local) {
		end = end.AddDate(0, 0, 1) // 22:00–07:00 at 23:30 ends tomorrow
	}
	return end.UTC()
}

// InQuietHours reports whether now falls in the user's quiet hours.
func InQuietHours(p Prefs, now time.Time) bool {
	if p.QuietStart == nil || p.QuietEnd == nil || *p.QuietStart == *p.QuietEnd {
		return false
	}
	local := now.In(location(p.TimeZone))
	m := local.Hour()*60 + local.Minute()
	start, end := *p.QuietStart, *p.QuietEnd
	if start < end {
		return m >= start && m < end
	}
	return m >= start || m < end // wraps midnight
}

// LocalMidnight is the start of the user's day containing now, in UTC.
func LocalMidnight(tz string, now time.Time) time.Time {
	l := now.In(location(tz))
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, l.Location()).UTC()
}

func location(tz string) *time.Location {
	if loc, err := time.LoadLocation(tz); err == nil {
		return loc
	}
	return time.UTC
}
