package notifications

import (
	"testing"
	"time"

	"flexwork/ent/notification"
	"flexwork/ent/schema/enum"
)

func minutes(h, m int) *int { v := h*60 + m; return &v }

func TestQuietHoursInTheUsersZone(t *testing.T) {
	p := Prefs{TimeZone: "Europe/Berlin", QuietStart: minutes(22, 0), QuietEnd: minutes(7, 0), DailyShiftCap: 3}
	// 21:30 UTC is 22:30 in Berlin in winter: quiet.
	if !InQuietHours(p, time.Date(2026, 12, 1, 21, 30, 0, 0, time.UTC)) {
		t.Fatal("22:30 Berlin time is not quiet")
	}
	// 06:30 UTC is 07:30 in Berlin: awake.
	if InQuietHours(p, time.Date(2026, 12, 1, 6, 30, 0, 0, time.UTC)) {
		t.Fatal("07:30 Berlin time is quiet")
	}
	day := Prefs{TimeZone: "UTC", QuietStart: minutes(13, 0), QuietEnd: minutes(14, 0)}
	if !InQuietHours(day, time.Date(2026, 12, 1, 13, 59, 0, 0, time.UTC)) || InQuietHours(day, time.Date(2026, 12, 1, 14, 0, 0, 0, time.UTC)) {
		t.Fatal("a daytime window is wrong at its edges")
	}
}

func TestPushDecision(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	p := Prefs{TimeZone: "UTC", DailyShiftCap: 2, OptOuts: []enum.NotificationCategory{enum.CategoryReview}}
	cases := []struct {
		cat    enum.NotificationCategory
		device bool
		today  int
		prefs  Prefs
		want   notification.PushStatus
		after  time.Time // pushed not before
	}{
		{enum.CategoryOffer, true, 0, p, notification.PushStatusPENDING, time.Time{}},
		{enum.CategoryReview, true, 0, p, notification.PushStatusSKIPPED_OPT_OUT, time.Time{}},
		{enum.CategoryOffer, false, 0, p, notification.PushStatusSKIPPED_NO_DEVICE, time.Time{}},
		{enum.CategoryShiftPublished, true, 1, p, notification.PushStatusPENDING, time.Time{}},
		{enum.CategoryShiftPublished, true, 2, p, notification.PushStatusSKIPPED_DAILY_CAP, time.Time{}},
		{enum.CategoryOffer, true, 5, p, notification.PushStatusPENDING, time.Time{}}, // the cap is for new shifts only
		// Quiet hours defer the push to their end, today or tomorrow.
		{enum.CategoryOffer, true, 0, Prefs{TimeZone: "UTC", QuietStart: minutes(11, 0), QuietEnd: minutes(13, 0)},
			notification.PushStatusPENDING, time.Date(2026, 12, 1, 13, 0, 0, 0, time.UTC)},
		// 20:00 in Shanghai: pushed at 07:30 there the next morning.
		{enum.CategoryOffer, true, 0, Prefs{TimeZone: "Asia/Shanghai", QuietStart: minutes(19, 0), QuietEnd: minutes(7, 30)},
			notification.PushStatusPENDING, time.Date(2026, 12, 1, 23, 30, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		got, after := PushDecision(c.prefs, c.cat, c.device, c.today, now)
		if got != c.want || !after.Equal(c.after) {
			t.Errorf("%s (device %v, today %d): %s not before %s, want %s not before %s", c.cat, c.device, c.today, got, after, c.want, c.after)
		}
	}
}
