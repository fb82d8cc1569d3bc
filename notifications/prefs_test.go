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
	}{
		{enum.CategoryOffer, true, 0, p, notification.PushStatusPENDING},
		{enum.CategoryReview, true, 0, p, notification.PushStatusSKIPPED_OPT_OUT},
		{enum.CategoryOffer, false, 0, p, notification.PushStatusSKIPPED_NO_DEVICE},
		{enum.CategoryShiftPublished, true, 1, p, notification.PushStatusPENDING},
		{enum.CategoryShiftPublished, true, 2, p, notification.PushStatusSKIPPED_DAILY_CAP},
		{enum.CategoryOffer, true, 5, p, notification.PushStatusPENDING}, // the cap is for new shifts only
		{enum.CategoryOffer, true, 0, Prefs{TimeZone: "UTC", QuietStart: minutes(11, 0), QuietEnd: minutes(13, 0)},
			notification.PushStatusSKIPPED_QUIET_HOURS},
	}
	for _, c := range cases {
		if got := PushDecision(c.prefs, c.cat, c.device, c.today, now); got != c.want {
			t.Errorf("%s (device %v, today %d): %s, want %s", c.cat, c.device, c.today, got, c.want)
		}
	}
}
