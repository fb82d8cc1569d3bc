package market_test

import (
	"testing"
	"time"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/shift"
	"flexwork/market"
)

// TestATemplatePostsTheSameHoursOnAnyDay: a winter 09:00–17:00 shift kept
// as a template posts a draft at 09:00–17:00 Berlin time on a summer day
// too, with everything else it said; another number of slots may be
// asked; the same name replaces the template. A worker may neither keep
// nor use the employer's templates, and a bad day is refused by field.
func TestATemplatePostsTheSameHoursOnAnyDay(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		s := w.shift(48*time.Hour, 8, 3) // Thursday 3 Dec 2026, 10:00–18:00 in Berlin
		saved, err := w.m.SaveShiftTemplate(w.manager, market.SaveShiftTemplateInput{ShiftID: s.ID, Name: "Weekday pickers"})
		if err != nil {
			t.Fatal(err)
		}
		tpl := saved.Template
		if tpl.StartTime != "10:00" || tpl.Minutes != 480 || tpl.Title != "Picker" {
			t.Fatalf("template: %+v", tpl)
		}
		again, err := w.m.SaveShiftTemplate(w.manager, market.SaveShiftTemplateInput{ShiftID: s.ID, Name: "Weekday pickers"})
		if err != nil || again.Template.ID != tpl.ID {
			t.Fatalf("saving under the same name made another template: %v %v", again, err)
		}

		five := 5
		summer := time.Date(2027, 7, 1, 0, 0, 0, 0, time.UTC)
		posted, err := w.m.PostFromTemplate(w.manager, market.PostFromTemplateInput{TemplateID: tpl.ID, Date: summer, Slots: &five})
		if err != nil {
			t.Fatal(err)
		}
		p, berlin := posted.Shift, mustZone(t, "Europe/Berlin")
		if got := p.StartsAt.In(berlin).Format("2006-01-02 15:04"); got != "2027-07-01 10:00" {
			t.Fatalf("posted to start at %s, want 2027-07-01 10:00 in Berlin", got)
		}
		if got := p.EndsAt.In(berlin).Format("15:04"); got != "18:00" {
			t.Fatalf("posted to end at %s", got)
		}
		if p.Status != shift.StatusDRAFT || p.Slots != 5 || p.PayRate != s.PayRate || p.Address != s.Address ||
			len(p.RequiredSkillIds) != 1 || p.RequiredSkillIds[0] != w.picking {
			t.Fatalf("posted %+v, want a draft like %+v with 5 slots", p, s)
		}

		ana := w.worker("Ana")
		if _, err := w.m.SaveShiftTemplate(ana, market.SaveShiftTemplateInput{ShiftID: s.ID, Name: "Mine"}); code(err) != "NOT_FOUND" {
			t.Fatalf("a worker keeping the employer's template: %v", err)
		}
		if _, err := w.m.PostFromTemplate(ana, market.PostFromTemplateInput{TemplateID: tpl.ID, Date: summer}); code(err) != "NOT_FOUND" {
			t.Fatalf("a worker posting from the employer's template: %v", err)
		}
		if _, err := w.m.DeleteShiftTemplate(ana, tpl.ID); code(err) != "NOT_FOUND" {
			t.Fatalf("a worker deleting the employer's template: %v", err)
		}
		past := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		if _, err := w.m.PostFromTemplate(w.manager, market.PostFromTemplateInput{TemplateID: tpl.ID, Date: past}); code(err) != "BAD_USER_INPUT" {
			t.Fatalf("posting on a past day: %v", err)
		}
		if _, err := w.m.DeleteShiftTemplate(w.manager, tpl.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := w.m.PostFromTemplate(w.manager, market.PostFromTemplateInput{TemplateID: tpl.ID, Date: summer}); code(err) != "NOT_FOUND" {
			t.Fatalf("posting from a deleted template: %v", err)
		}
	})
}

func mustZone(t *testing.T, name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
