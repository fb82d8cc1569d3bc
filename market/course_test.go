package market_test

import (
	"strings"
	"testing"
	"time"

	"flexwork/ent/course"
	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/schema/quiz"
	"flexwork/ent/viewer"
	"flexwork/market"
)

// ruleOf is one rule's verdict and message in a screening.
func ruleOf(e *market.Eligibility, rule market.Rule) (bool, string) {
	for _, r := range e.Rules {
		if r.Rule == rule {
			return r.Passed, r.In("en")
		}
	}
	return false, "(no " + string(rule) + ")"
}

// TestACourseGateLiftsAfterPassing: the platform requires a forklift-safe
// picking course of every shift needing picking. Ana's screening names it
// and she cannot apply; a failed quiz changes nothing; a pass lifts the
// gate for shifts within its validity, not beyond, and the employer reads
// the pass in her candidacy. A shift's own course must be the platform's
// or the employer's; a safety briefing waits for her acknowledgement
// before check-in. Both databases.
func TestACourseGateLiftsAfterPassing(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		in := market.CourseInput{SkillID: &w.picking, Kind: course.KindSAFETY, Title: "Safe picking", Content: "Lift with your legs; keep aisles clear.",
			PassMark: 100, ValidityDays: 30, Questions: []quiz.Question{
				{Prompt: "Lift with?", Options: []string{"your back", "your legs"}, Answer: 1},
				{Prompt: "Aisles are kept?", Options: []string{"clear", "stacked"}, Answer: 0},
			}}
		if _, err := w.m.CreateCourse(w.manager, in); code(err) != "FORBIDDEN" {
			t.Fatalf("a manager giving a platform course: %v", err)
		}
		bad := in
		bad.Questions = []quiz.Question{{Prompt: "?", Options: []string{"a", "b"}, Answer: 2}}
		if _, err := w.m.CreateCourse(w.staff(), bad); code(err) != "BAD_USER_INPUT" {
			t.Fatalf("an answer that is no option: %v", err)
		}
		safe, err := w.m.CreateCourse(w.staff(), in)
		if err != nil {
			t.Fatal(err)
		}
		ana := w.worker("Ana")
		soon, late := w.shift(24*time.Hour, 4, 2), w.shift(40*24*time.Hour, 4, 2)
		gate := func(shiftID string) (bool, string) {
			t.Helper()
			e, err := w.m.Eligibility(ana, shiftID)
			if err != nil {
				t.Fatal(err)
			}
			return ruleOf(e, market.RuleRequiredCourses)
		}
		if ok, msg := gate(soon.ID); ok || !strings.Contains(msg, "Safe picking") {
			t.Fatalf("before the course: %v %q", ok, msg)
		}
		if _, err := w.m.ApplyToShift(ana, market.ApplyInput{ShiftID: soon.ID}); err == nil {
			t.Fatal("Ana applied without the course")
		}
		if _, err := w.m.TakeCourse(ana, market.TakeCourseInput{CourseID: safe.ID, Answers: []int{1}}); code(err) != "BAD_USER_INPUT" {
			t.Fatalf("answering one of two questions: %v", err)
		}
		failed, err := w.m.TakeCourse(ana, market.TakeCourseInput{CourseID: safe.ID, Answers: []int{0, 0}})
		if err != nil || failed.Passed || failed.Score != 50 {
			t.Fatalf("a wrong answer: %+v, %v", failed, err)
		}
		if ok, _ := gate(soon.ID); ok {
			t.Fatal("a failed quiz lifted the gate")
		}
		passed, err := w.m.TakeCourse(ana, market.TakeCourseInput{CourseID: safe.ID, Answers: []int{1, 0}})
		if err != nil || !passed.Passed || passed.ExpiresAt == nil || !passed.ExpiresAt.Equal(w.now.AddDate(0, 0, 30)) {
			t.Fatalf("the right answers: %+v, %v", passed, err)
		}
		if ok, msg := gate(soon.ID); !ok {
			t.Fatalf("after passing: %q", msg)
		}
		if n := db.CourseCompletion.Query().CountX(w.worker("Cai")); n != 0 {
			t.Fatalf("another worker reads %d of Ana's attempts", n)
		}
		if mine, err := w.m.MyCourseCompletions(ana, viewer.FromContext(ana).WorkerID); err != nil || len(mine) != 2 {
			t.Fatalf("Ana's attempts: %d, %v", len(mine), err)
		}
		if ok, _ := gate(late.ID); ok {
			t.Fatal("a pass that expires before the shift lifted its gate")
		}
		if _, err := w.m.ApplyToShift(ana, market.ApplyInput{ShiftID: soon.ID}); err != nil {
			t.Fatalf("applying after the course: %v", err)
		}
		page, err := w.m.Candidates(w.manager, soon.ID, nil, nil, nil)
		if err != nil || len(page.Edges) != 1 {
			t.Fatalf("candidates: %+v, %v", page, err)
		}
		if ok, msg := ruleOf(&page.Edges[0].Eligibility, market.RuleRequiredCourses); !ok || msg != "Passed every required course: Safe picking" {
			t.Fatalf("the employer reads Ana's courses: %v %q", ok, msg)
		}
		// A course of the employer's own, named by a shift; another
		// employer's cannot be.
		mine := in
		mine.EmployerID, mine.SkillID, mine.Title = &w.emp, nil, "Spree's site rules"
		if _, err := w.m.CreateCourse(ana, mine); code(err) != "NOT_FOUND" { // a stranger to Spree, as every employer action answers
			t.Fatalf("a worker giving Spree's course: %v", err)
		}
		own, err := w.m.CreateCourse(w.manager, mine)
		if err != nil {
			t.Fatal(err)
		}
		shiftIn := market.CreateShiftInput{EmployerID: w.emp, Title: "Loader", EngagementType: soon.EngagementType, Address: "Lager 1",
			Location: place, StartsAt: w.now.Add(48 * time.Hour), EndsAt: w.now.Add(52 * time.Hour), TimeZone: "Europe/Berlin",
			Pay: market.Money{Amount: 1500, Currency: "EUR"}, PayUnit: soon.PayUnit, Slots: 1, RequiredCourseIDs: []string{"crs_nothing"}}
		if _, err := w.m.CreateShift(w.manager, shiftIn); code(err) != "BAD_USER_INPUT" {
			t.Fatalf("a shift naming no course: %v", err)
		}
		briefing := "Wear safety shoes; the loading dock is a forklift zone."
		shiftIn.RequiredCourseIDs, shiftIn.SafetyBriefing = []string{own.ID}, &briefing
		created, err := w.m.CreateShift(w.manager, shiftIn)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.m.PublishShift(w.manager, created.Shift.ID); err != nil {
			t.Fatal(err)
		}
		if ok, msg := gate(created.Shift.ID); ok || !strings.Contains(msg, "Spree's site rules") {
			t.Fatalf("the shift's own course: %v %q", ok, msg)
		}
		if _, err := w.m.TakeCourse(ana, market.TakeCourseInput{CourseID: own.ID, Answers: []int{1, 0}}); err != nil {
			t.Fatal(err)
		}
		hire := w.hire(ana, created.Shift)
		w.now = created.Shift.StartsAt
		if _, err := w.m.CheckIn(ana, market.PresenceInput{AssignmentID: hire.ID, Location: place}); code(err) != "BRIEFING_NOT_ACKNOWLEDGED" {
			t.Fatalf("check-in before the briefing: %v", err)
		}
		if _, err := w.m.AcknowledgeSafetyBriefing(w.worker("Ben"), hire.ID); code(err) != "FORBIDDEN" && code(err) != "NOT_FOUND" {
			t.Fatalf("another worker acknowledging Ana's briefing: %v", err)
		}
		if _, err := w.m.AcknowledgeSafetyBriefing(ana, hire.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := w.m.CheckIn(ana, market.PresenceInput{AssignmentID: hire.ID, Location: place}); err != nil {
			t.Fatalf("check-in after the briefing: %v", err)
		}
	})
}
