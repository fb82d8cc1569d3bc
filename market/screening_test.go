package market

import (
	"strings"
	"testing"
	"time"

	"flexwork/ent/schema/enum"
	"flexwork/ent/schema/week"
	"flexwork/i18n"
)

var berlin = GeoPoint{Lat: 52.52, Lng: 13.405}

func testShift() ShiftFacts {
	start := time.Date(2026, 12, 12, 8, 0, 0, 0, time.UTC)
	return ShiftFacts{
		ID: "shf_1", EmployerID: "emp_1", Start: start, End: start.Add(8 * time.Hour), TimeZone: "Europe/Berlin",
		Place: berlin, MinCreditScore: ptr(600), MaxDistanceKm: ptr(10), NewcomersAllowed: false,
		RequiredSkills: []SkillRef{{"skl_fork", "forklift", "Forklift operation"}, {"skl_pack", "packing", "Packing"}},
		RequiredCerts:  []SkillRef{{"skl_fork", "forklift", "Forklift operation"}},
	}
}

func goodWorker() *WorkerFacts {
	return &WorkerFacts{
		WorkerID: "wkr_1", Home: &GeoPoint{Lat: 52.55, Lng: 13.40}, CreditScore: 700, CompletedShifts: 3,
		Skills:    map[string]int{"skl_fork": 2, "skl_pack": 1},
		Certs:     map[string][]*time.Time{"skl_fork": {ptr(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))}},
		BlockedBy: map[string]bool{},
	}
}

func TestScreenPassesAQualifiedWorker(t *testing.T) {
	e := Screen(testShift(), goodWorker())
	if !e.Eligible || len(e.Failed()) != 0 || len(e.Rules) != len(rules) {
		t.Fatalf("qualified worker: %+v", e)
	}
}

func TestScreenReportsEachFailedRule(t *testing.T) {
	s := testShift()
	cases := []struct {
		name    string
		change  func(w *WorkerFacts)
		rule    Rule
		message string
	}{
		{"low credit", func(w *WorkerFacts) { w.CreditScore = 540 }, RuleCreditMinimum, "at least 600; yours is 540"},
		{"missing skill", func(w *WorkerFacts) { delete(w.Skills, "skl_pack") }, RuleRequiredSkills, "Packing"},
		{"expired certificate", func(w *WorkerFacts) {
			w.Certs["skl_fork"] = []*time.Time{ptr(time.Date(2026, 12, 11, 0, 0, 0, 0, time.UTC))}
		}, RuleRequiredCertificates, "valid on Sat 12 Dec 2026"},
		{"no certificate", func(w *WorkerFacts) { w.Certs = nil }, RuleRequiredCertificates, "Forklift operation"},
		{"too far", func(w *WorkerFacts) { w.Home = &GeoPoint{Lat: 52.80, Lng: 13.40} }, RuleDistance, "within 10 km"},
		{"no home", func(w *WorkerFacts) { w.Home = nil }, RuleDistance, "Set your home location"},
		{"overlap", func(w *WorkerFacts) {
			w.Busy = []Interval{{s.Start.Add(-2 * time.Hour), s.Start.Add(time.Hour)}}
		}, RuleNoOverlap, "Sat 12 Dec 07:00–10:00"},
		{"blocked", func(w *WorkerFacts) { w.BlockedBy["emp_1"] = true }, RuleNotBlocked, "not taking you on"},
		{"newcomer", func(w *WorkerFacts) { w.CompletedShifts = 0 }, RuleNewcomers, "at least one shift"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := goodWorker()
			c.change(w)
			e := Screen(s, w)
			failed := e.Failed()
			if e.Eligible || len(failed) != 1 || failed[0].Rule != c.rule || !strings.Contains(failed[0].In(i18n.English), c.message) {
				t.Fatalf("failed = %+v; want only %s mentioning %q", failed, c.rule, c.message)
			}
			if zh := failed[0].In(i18n.Chinese); zh == failed[0].In(i18n.English) || !strings.ContainsFunc(zh, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
				t.Fatalf("in Chinese the verdict reads %q", zh)
			}
			// The employer reads the same verdict about the worker, in
			// words of its own: a message, not its ID.
			toEmployer := e.ForEmployer().Failed()[0]
			if en := toEmployer.In(i18n.English); en == failed[0].In(i18n.English) || strings.HasPrefix(en, "screen.") {
				t.Fatalf("the employer reads %q", en)
			}
		})
	}
}

func TestCertificateValidThroughItsExpiryDay(t *testing.T) {
	end := time.Date(2026, 12, 12, 22, 0, 0, 0, time.UTC)
	if !CertValidOn(ptr(time.Date(2026, 12, 12, 0, 0, 0, 0, time.UTC)), end) {
		t.Fatal("a certificate expiring on the shift's day is valid that day")
	}
	if CertValidOn(ptr(time.Date(2026, 12, 11, 0, 0, 0, 0, time.UTC)), end) {
		t.Fatal("a certificate expiring the day before is not valid")
	}
	if !CertValidOn(nil, end) {
		t.Fatal("a certificate without expiry is valid")
	}
}

func TestAdjacentShiftsDoNotOverlap(t *testing.T) {
	a := Interval{time.Unix(0, 0), time.Unix(3600, 0)}
	if Overlaps(a, Interval{time.Unix(3600, 0), time.Unix(7200, 0)}) {
		t.Fatal("back-to-back shifts overlap")
	}
	if !Overlaps(a, Interval{time.Unix(3599, 0), time.Unix(7200, 0)}) {
		t.Fatal("a one-second overlap is missed")
	}
}

func TestNoProfileFailsOneRule(t *testing.T) {
	e := Screen(testShift(), nil)
	if e.Eligible || len(e.Rules) != 1 || e.Rules[0].Rule != RuleWorkerProfile {
		t.Fatalf("no profile: %+v", e)
	}
}

func TestMatchScoreIsExplained(t *testing.T) {
	m := MatchScore(MatchInput{Shift: testShift(), Worker: goodWorker(), PastShifts: 2, Favourite: true})
	sum, max := 0, 0
	for _, f := range m.Factors {
		sum += f.Points
		max += f.Max
		en, zh := f.In(i18n.English), f.In(i18n.Chinese)
		if f.Points < 0 || f.Points > f.Max || en == "" || strings.HasPrefix(en, "match.") || zh == en {
			t.Fatalf("factor %+v out of range or unexplained (%q, %q)", f, en, zh)
		}
	}
	if sum != m.Score || max != 100 {
		t.Fatalf("score %d, factors sum %d, maxima %d", m.Score, sum, max)
	}
	// Skills 25, distance 14 (3.4 km: 15 × 26.6/28), credit 14 (700 → 14), rating 11 (prior 4.0 → 11.25),
	// past work 4, roster 5, availability 3 (not said), preferences 4 (none said).
	if past := m.Factors[4].In(i18n.English); past != "2 shifts completed for you" {
		t.Fatalf("past work reads %q", past)
	}
	if one := MatchScore(MatchInput{Shift: testShift(), Worker: goodWorker(), PastShifts: 1}).Factors[4].In(i18n.English); one != "1 shift completed for you" {
		t.Fatalf("one past shift reads %q", one)
	}
	if m.Score != 80 {
		t.Fatalf("score = %d, want 80: %+v", m.Score, m.Factors)
	}
	worse := goodWorker()
	worse.CreditScore = 300
	if MatchScore(MatchInput{Shift: testShift(), Worker: worse}).Score >= m.Score {
		t.Fatal("a lower credit score and no history ranked no lower")
	}
}

func TestMissingSkillsAreNamedInTheReadersLanguage(t *testing.T) {
	w := goodWorker()
	w.Skills, w.Certs = map[string]int{}, nil
	e := Screen(testShift(), w)
	var skills, certs RuleResult
	for _, r := range e.Failed() {
		switch r.Rule {
		case RuleRequiredSkills:
			skills = r
		case RuleRequiredCertificates:
			certs = r
		}
	}
	if en := skills.In(i18n.English); !strings.Contains(en, "Forklift operation, Packing") {
		t.Errorf("in English: %q", en)
	}
	if zh := skills.In(i18n.Chinese); !strings.Contains(zh, "叉车操作、打包") {
		t.Errorf("in Chinese: %q", zh)
	}
	if zh := certs.In(i18n.Chinese); !strings.Contains(zh, "叉车操作") {
		t.Errorf("certificates in Chinese: %q", zh)
	}
}

// TestPreferencesMoveTheMatchScore: the same worker ranks higher for a
// shift inside their stated availability than for one outside it or while
// away, and lower when the pay is under their least rate or the form of
// work is not one they take; each change is explained, the figures never.
func TestPreferencesMoveTheMatchScore(t *testing.T) {
	s := testShift() // Saturday 12 Dec 2026, 09:00–17:00 in Berlin
	s.HourlyRate, s.Currency, s.EngagementType = 1500, "EUR", enum.PartTime
	loc, _ := time.LoadLocation(s.TimeZone)
	s.WeekMinute, s.WeekMinutes = week.Span(s.Start, s.End, loc)
	score := func(change func(p *Preferences)) (int, []MatchFactor) {
		w := goodWorker()
		change(&w.Prefs)
		m := MatchScore(MatchInput{Shift: s, Worker: w})
		return m.Score, m.Factors
	}
	base, _ := score(func(*Preferences) {})
	saturdays := week.Availability{Weekly: []week.Window{{Day: "SATURDAY", From: "08:00", To: "18:00"}}}
	for _, c := range []struct {
		name   string
		change func(p *Preferences)
		delta  int
		reads  string
	}{
		{"available on Saturdays", func(p *Preferences) { p.Availability = saturdays }, +3, "available then"},
		{"available on Mondays only", func(p *Preferences) {
			p.Availability = week.Availability{Weekly: []week.Window{{Day: "MONDAY", From: "08:00", To: "18:00"}}}
		}, -3, "not usually available then"},
		{"away that weekend", func(p *Preferences) {
			p.Availability = saturdays
			p.Availability.Exceptions = []week.Exception{{From: s.Start.Add(-24 * time.Hour), To: s.End.Add(24 * time.Hour)}}
		}, -3, "away then"},
		{"asks more than the pay", func(p *Preferences) { p.MinHourlyRate = &Money{Amount: 1600, Currency: "EUR"} }, -2, "the pay is below what they ask"},
		{"asks exactly the pay", func(p *Preferences) { p.MinHourlyRate = &Money{Amount: 1500, Currency: "EUR"} }, 0, "the pay and the form of work suit them"},
		{"a least rate in another currency", func(p *Preferences) { p.MinHourlyRate = &Money{Amount: 9900, Currency: "CNY"} }, 0, "the pay and the form of work suit them"},
		{"takes only gig work", func(p *Preferences) { p.EngagementTypes = []enum.EngagementType{enum.PlatformGig} }, -2, "not a form of work they take"},
	} {
		got, factors := score(c.change)
		if got-base != c.delta {
			t.Errorf("%s: score %d, base %d, want %+d", c.name, got, base, c.delta)
		}
		found := false
		for _, f := range factors {
			if (f.Name == "availability" || f.Name == "preferences") && f.In(i18n.English) == c.reads {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no factor reads %q: %+v", c.name, c.reads, factors)
		}
	}
}
