package server_test

import (
	"strings"
	"testing"
	"time"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/server/servertest"
)

// TestPostingTheWeek: an employer posts a batch of shifts and a weekly
// series through the API. A batch with bad items is refused whole, each bad
// field named by its item's place, and writes nothing; so does a stranger's
// batch and a rule the series cannot use. A series keeps its local times.
func TestPostingTheWeek(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env := servertest.Start(t, db)
		olga := env.SignUp("olga@example.com", "Olga")
		emp := createEmployer(t, env, olga, "Spree Logistics")
		berlin, _ := time.LoadLocation("Europe/Berlin")
		day := env.Clock.Now().In(berlin).AddDate(0, 0, 3)
		at7 := time.Date(day.Year(), day.Month(), day.Day(), 7, 0, 0, 0, berlin)
		draft := func(title string, start time.Time, hours int) map[string]any {
			return map[string]any{
				"employerID": emp, "title": title, "engagementType": "PART_TIME",
				"address": "Lagerstraße 1, Berlin", "location": place,
				"startsAt": start.Format(time.RFC3339), "endsAt": start.Add(time.Duration(hours) * time.Hour).Format(time.RFC3339),
				"timeZone": "Europe/Berlin", "pay": map[string]any{"amount": 1500, "currency": "EUR"}, "payUnit": "HOUR", "slots": 2,
			}
		}
		eve := env.SignUp("eve@example.com", "Eve")
		before := env.Fingerprint(t)

		bad := draft("Late picker", at7, 8)
		bad["endsAt"] = at7.Add(-time.Hour).Format(time.RFC3339)
		unknown := draft("Forklift", at7, 8)
		unknown["requiredSkillIDs"] = []string{"skl_nosuchskill"}
		r := env.Op(olga.Token, "CreateShifts", input(map[string]any{"shifts": []any{draft("Picker", at7, 8), bad, draft("x", at7, 8)}}))
		if r.Code() != "BAD_USER_INPUT" || strings.Join(r.Fields(), ",") != "shifts[1].endsAt,shifts[2].title" {
			t.Fatalf("a batch with two bad items: %s %v", r.Code(), r.Fields())
		}
		// A fault found only in the transaction (an unknown skill) names its item too.
		r = env.Op(olga.Token, "CreateShifts", input(map[string]any{"shifts": []any{draft("Picker", at7, 8), unknown}}))
		if r.Code() != "BAD_USER_INPUT" || strings.Join(r.Fields(), ",") != "shifts[1].requiredSkillIDs[0]" {
			t.Fatalf("a batch with an unknown skill: %s %v", r.Code(), r.Fields())
		}
		if r := env.Op(eve.Token, "CreateShifts", input(map[string]any{"shifts": []any{draft("Picker", at7, 8)}})); r.Code() != "NOT_FOUND" {
			t.Fatalf("a stranger's batch for Olga's employer: %s", r.Code())
		}
		if r := env.Op(olga.Token, "CreateShiftSeries", input(map[string]any{"shift": draft("Picker", at7, 8),
			"recurrence": "FREQ=HOURLY;COUNT=3"})); r.Code() != "BAD_USER_INPUT" || strings.Join(r.Fields(), ",") != "recurrence" {
			t.Fatalf("an hourly series: %s %v", r.Code(), r.Fields())
		}
		if after := env.Fingerprint(t); after != before {
			t.Fatal("a refused batch or series wrote to the database")
		}

		var batch struct {
			CreateShifts struct {
				Shifts []struct{ ID, Title, Status string }
			}
		}
		env.MustOp(olga.Token, "CreateShifts", input(map[string]any{"shifts": []any{
			draft("Picker, early", at7, 8), draft("Picker, late", at7.Add(8*time.Hour), 8)}}), &batch)
		if s := batch.CreateShifts.Shifts; len(s) != 2 || s[0].Title != "Picker, early" || s[1].Status != "DRAFT" {
			t.Fatalf("the batch: %+v", s)
		}

		var series struct {
			CreateShiftSeries struct {
				Shifts []struct {
					ID, SeriesID string
					StartsAt     time.Time
				}
			}
		}
		env.MustOp(olga.Token, "CreateShiftSeries", input(map[string]any{"shift": draft("Morning picker", at7, 8),
			"recurrence": "FREQ=DAILY;INTERVAL=7;COUNT=6"}), &series)
		got := series.CreateShiftSeries.Shifts
		if len(got) != 6 || got[0].SeriesID == "" || got[5].SeriesID != got[0].SeriesID {
			t.Fatalf("the series: %+v", got)
		}
		for i, s := range got {
			if l := s.StartsAt.In(berlin); l.Hour() != 7 || l.Weekday() != at7.Weekday() || !l.Equal(at7.AddDate(0, 0, 7*i)) {
				t.Fatalf("occurrence %d starts %s, want 07:00 on %s", i, l, at7.AddDate(0, 0, 7*i).Format("2006-01-02"))
			}
		}

		// This and following: from the third week on, 08:00 to 16:00.
		third := at7.AddDate(0, 0, 14)
		edit := func(id string, from, to time.Time) servertest.Response {
			return env.Op(olga.Token, "UpdateShiftSeries", input(map[string]any{"shiftID": id,
				"startsAt": from.Format(time.RFC3339), "endsAt": to.Format(time.RFC3339)}))
		}
		before = env.Fingerprint(t)
		if r := edit(got[2].ID, third.Add(time.Hour), third); r.Code() != "BAD_USER_INPUT" || strings.Join(r.Fields(), ",") != "endsAt" {
			t.Fatalf("an edit ending before it starts: %s %v", r.Code(), r.Fields())
		}
		if r := edit(batch.CreateShifts.Shifts[0].ID, at7, at7.Add(time.Hour)); r.Code() != "BAD_USER_INPUT" || strings.Join(r.Fields(), ",") != "shiftID" {
			t.Fatalf("a series edit of a shift posted alone: %s %v", r.Code(), r.Fields())
		}
		if env.Fingerprint(t) != before {
			t.Fatal("a refused series edit wrote to the database")
		}
		var moved struct {
			UpdateShiftSeries struct {
				Shifts []struct {
					ID               string
					StartsAt, EndsAt time.Time
				}
			}
		}
		edit(got[2].ID, third.Add(time.Hour), third.Add(9*time.Hour)).Decode(t, &moved)
		if m := moved.UpdateShiftSeries.Shifts; len(m) != 4 || m[0].ID != got[2].ID {
			t.Fatalf("this and following changed %+v", m)
		}
		for i, s := range moved.UpdateShiftSeries.Shifts {
			if l, e := s.StartsAt.In(berlin), s.EndsAt.In(berlin); l.Hour() != 8 || e.Hour() != 16 || l.YearDay() != third.AddDate(0, 0, 7*i).YearDay() {
				t.Fatalf("week %d after the edit: %s to %s", i+3, l, e)
			}
		}
		var first struct{ Node struct{ StartsAt time.Time } }
		env.Must(olga.Token, `query($id: ID!) { node(id: $id) { ... on Shift { startsAt } } }`, map[string]any{"id": got[1].ID}, &first)
		if l := first.Node.StartsAt.In(berlin); l.Hour() != 7 {
			t.Fatalf("the second week, before the edited one, moved to %s", l)
		}
	})
}
