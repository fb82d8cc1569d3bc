package week

import (
	"testing"
	"time"
)

func TestAShiftFallsInTheWeekOnItsOwnClock(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	at := func(d string) time.Time {
		x, err := time.ParseInLocation("2006-01-02 15:04", d, berlin)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	a := Availability{Weekly: []Window{
		{Day: "MONDAY", From: "08:00", To: "16:00"},
		{Day: "SATURDAY", From: "18:00", To: "24:00"},
		{Day: "SUNDAY", From: "00:00", To: "24:00"},
		{Day: "MONDAY", From: "00:00", To: "06:00"},
	}, Exceptions: []Exception{
		{From: at("2026-12-21 00:00"), To: at("2026-12-28 00:00")},                  // away over Christmas week
		{From: at("2026-12-02 10:00"), To: at("2026-12-02 20:00"), Available: true}, // free one Wednesday
	}}
	for _, c := range []struct {
		name       string
		start, end string
		want       Fit
	}{
		{"Monday day, inside", "2026-12-07 09:00", "2026-12-07 15:00", Free},
		{"Monday day, running past the window", "2026-12-07 12:00", "2026-12-07 17:00", Outside},
		{"Saturday night through Sunday into Monday morning", "2026-12-05 22:00", "2026-12-07 05:00", Free},
		{"Sunday night into Monday 07:00, past the early window", "2026-12-06 22:00", "2026-12-07 07:00", Outside},
		{"Tuesday, never said", "2026-12-08 09:00", "2026-12-08 12:00", Outside},
		{"Monday in the week away", "2026-12-21 09:00", "2026-12-21 12:00", Away},
		{"the free Wednesday", "2026-12-02 12:00", "2026-12-02 18:00", Free},
		{"the free Wednesday, too long", "2026-12-02 12:00", "2026-12-02 21:00", Outside},
		// The clocks go forward at 02:00 on 29 March 2026: 08:00–16:00 on
		// the Monday after is still eight wall-clock hours inside the window.
		{"Monday after the DST change", "2026-03-30 08:00", "2026-03-30 16:00", Free},
		{"Sunday across the DST change", "2026-03-29 01:00", "2026-03-29 05:00", Free},
	} {
		s, e := at(c.start), at(c.end)
		sm, mins := Span(s.UTC(), e.UTC(), berlin)
		if got := a.Fits(s, e, sm, mins); got != c.want {
			t.Errorf("%s: fit %d, want %d (minute %d, %d long)", c.name, got, c.want, sm, mins)
		}
	}
	if sm, mins := Span(at("2026-03-29 01:00").UTC(), at("2026-03-29 05:00").UTC(), berlin); sm != 6*1440+60 || mins != 240 {
		t.Errorf("Span across the change: minute %d, %d long; want %d, 240 on the clock", sm, mins, 6*1440+60)
	}
	if (Availability{}).Fits(at("2026-12-07 09:00"), at("2026-12-07 10:00"), 0, 60) != Unsaid {
		t.Error("an empty availability says something")
	}
}

func TestAvailabilityRefusesWhatItCannotRead(t *testing.T) {
	for _, c := range []struct {
		a     Availability
		field string
	}{
		{Availability{Weekly: []Window{{Day: "MONDAY", From: "08:00", To: "24:00"}}}, ""},
		{Availability{Weekly: []Window{{Day: "FUNDAY", From: "08:00", To: "09:00"}}}, "weekly[0].day"},
		{Availability{Weekly: []Window{{Day: "MONDAY", From: "8:00", To: "09:00"}}}, "weekly[0].from"},
		{Availability{Weekly: []Window{{Day: "MONDAY", From: "08:00", To: "24:30"}}}, "weekly[0].to"},
		{Availability{Weekly: []Window{{Day: "MONDAY", From: "10:00", To: "09:00"}}}, "weekly[0].to"},
		{Availability{Exceptions: []Exception{{From: time.Unix(10, 0), To: time.Unix(5, 0)}}}, "exceptions[0].to"},
	} {
		if field, _ := c.a.Validate(); field != c.field {
			t.Errorf("%+v: refused at %q, want %q", c.a, field, c.field)
		}
	}
}
