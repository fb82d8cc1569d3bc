package market

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"flexwork/ent/schema/enum"
	"flexwork/i18n"
)

// Rule names one screening rule; the apps show each rule's result.
type Rule string

// The screening rules, in the order they are reported.
const (
	RuleWorkerProfile        Rule = "WORKER_PROFILE"
	RuleCreditMinimum        Rule = "CREDIT_MINIMUM"
	RuleRequiredSkills       Rule = "REQUIRED_SKILLS"
	RuleRequiredCertificates Rule = "REQUIRED_CERTIFICATES"
	RuleDistance             Rule = "DISTANCE"
	RuleNoOverlap            Rule = "NO_OVERLAP"
	RuleNotBlocked           Rule = "NOT_BLOCKED"
	RuleNewcomers            Rule = "NEWCOMERS"
	RuleRequiredCourses      Rule = "REQUIRED_COURSES"
)

var rules = []Rule{RuleWorkerProfile, RuleCreditMinimum, RuleRequiredSkills, RuleRequiredCertificates,
	RuleDistance, RuleNoOverlap, RuleNotBlocked, RuleNewcomers, RuleRequiredCourses}

// MarshalGQL implements graphql.Marshaler.
func (r Rule) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(r))) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (r *Rule) UnmarshalGQL(v any) error {
	s, _ := v.(string)
	for _, x := range rules {
		if string(x) == s {
			*r = x
			return nil
		}
	}
	return fmt.Errorf("%q is not a screening rule", s)
}

// RuleResult is one rule's verdict, with a message the worker can read in
// their language.
type RuleResult struct {
	Rule   Rule `json:"rule"`
	Passed bool `json:"passed"`
	say    text
	// toEmployer says the same to the employer, without what is the
	// worker's own business: no home to the metre, no other bookings.
	toEmployer text
}

// Message is the verdict in the language of the request.
func (r RuleResult) Message(ctx context.Context) string { return r.say.in(i18n.Language(ctx)) }

// In is the verdict in lang.
func (r RuleResult) In(lang string) string { return r.say.in(lang) }

// screen is the worker's and the employer's message of a verdict: IDs
// screen.<key>.worker and screen.<key>.employer.
func screen(key string, data map[string]any) (text, text) {
	return text{id: key, data: data, of: "worker"}, text{id: key, data: data, of: "employer"}
}

// verdict is a rule's result with the messages of key.
func verdict(rule Rule, passed bool, key string, data map[string]any) RuleResult {
	w, e := screen(key, data)
	return RuleResult{Rule: rule, Passed: passed, say: w, toEmployer: e}
}

// Eligibility is the outcome of screening a worker for a shift.
type Eligibility struct {
	Eligible bool         `json:"eligible"`
	Rules    []RuleResult `json:"rules"`
}

// ForEmployer is the screening as the employer sees it: the same verdicts,
// with messages about the worker rather than to them.
func (e Eligibility) ForEmployer() Eligibility {
	out := Eligibility{Eligible: e.Eligible, Rules: make([]RuleResult, len(e.Rules))}
	for i, r := range e.Rules {
		out.Rules[i] = RuleResult{Rule: r.Rule, Passed: r.Passed, say: r.toEmployer}
	}
	return out
}

// Failed returns the rules that did not pass. It reads each rule in place:
// a candidates page asks it of fifty applicants of a kept ranking, and copying every
// result out to look at its Passed was most of the time spent here.
func (e Eligibility) Failed() []RuleResult {
	out := []RuleResult{}
	for i := range e.Rules {
		if !e.Rules[i].Passed {
			out = append(out, e.Rules[i])
		}
	}
	return out
}

// SkillRef is a skill with its display name.
type SkillRef struct{ ID, Slug, Name string }

// ShiftFacts is what screening needs to know about a shift.
type ShiftFacts struct {
	ID, EmployerID   string
	Start, End       time.Time
	TimeZone         string
	Place            GeoPoint
	MinCreditScore   *int
	MaxDistanceKm    *int
	NewcomersAllowed bool
	RequiredSkills   []SkillRef
	RequiredCerts    []SkillRef
	RequiredCourses  []CourseRef
	// What the worker's preferences are matched against (preferences.go).
	HourlyRate     int64
	Currency       string
	EngagementType enum.EngagementType
	WeekMinute     int // week.Span of the local start; -1 if unknown
	WeekMinutes    int
}

// Interval is a span of time a worker is already booked.
type Interval struct{ Start, End time.Time }

// WorkerFacts is what screening needs to know about a worker.
type WorkerFacts struct {
	WorkerID        string
	Home            *GeoPoint
	CreditScore     int
	CompletedShifts int
	RatingAvg       float64
	RatingCount     int
	Skills          map[string]int          // skill ID → years of experience
	Certs           map[string][]*time.Time // skill ID → expiry dates of verified certificates (nil: no expiry)
	Courses         map[string]time.Time    // course ID → when the latest pass expires
	Busy            []Interval              // assignments that still hold the worker
	BlockedBy       map[string]bool         // employer IDs that blocked the worker
	// Applications maps shift IDs to the worker's application to them,
	// when asked for (the feed); screening does not read it.
	Applications map[string]string
	// Prefs is what the worker said they want; screening does not read it,
	// the feed's fit, the match score and the push fan-out do.
	Prefs Preferences
}

// Screen runs every screening rule of s for w. It is pure: the feed, the
// eligibility query and applyToShift all call it with facts loaded in bulk.
// A nil w means the viewer has no worker profile.
func Screen(s ShiftFacts, w *WorkerFacts) Eligibility {
	if w == nil {
		return Eligibility{Rules: []RuleResult{verdict(RuleWorkerProfile, false, "profile.missing", nil)}}
	}
	res := []RuleResult{
		verdict(RuleWorkerProfile, true, "profile.present", nil),
		screenCredit(s, w),
		screenSkills(s, w),
		screenCerts(s, w),
		screenDistance(s, w),
		screenOverlap(s, w),
		screenBlocked(s, w),
		screenNewcomer(s, w),
		screenCourses(s, w),
	}
	e := Eligibility{Eligible: true, Rules: res}
	for _, r := range res {
		e.Eligible = e.Eligible && r.Passed
	}
	return e
}

func screenCredit(s ShiftFacts, w *WorkerFacts) RuleResult {
	switch {
	case s.MinCreditScore == nil:
		return verdict(RuleCreditMinimum, true, "credit.none", nil)
	case w.CreditScore >= *s.MinCreditScore:
		return verdict(RuleCreditMinimum, true, "credit.met", map[string]any{"Score": w.CreditScore, "Min": *s.MinCreditScore})
	}
	return verdict(RuleCreditMinimum, false, "credit.below", map[string]any{"Score": w.CreditScore, "Min": *s.MinCreditScore})
}

func screenSkills(s ShiftFacts, w *WorkerFacts) RuleResult {
	var missing skillNames
	for _, sk := range s.RequiredSkills {
		if _, ok := w.Skills[sk.ID]; !ok {
			missing = append(missing, SkillName{sk.Slug, sk.Name})
		}
	}
	switch {
	case len(s.RequiredSkills) == 0:
		return verdict(RuleRequiredSkills, true, "skills.none", nil)
	case len(missing) > 0:
		return verdict(RuleRequiredSkills, false, "skills.missing", map[string]any{"Skills": missing})
	}
	return verdict(RuleRequiredSkills, true, "skills.present", nil)
}

// CertValidOn reports whether a certificate expiring at expires (nil: never)
// is valid for the whole of a shift that ends at end. Expiry dates are
// dates: a certificate is valid through the whole of its expiry day (UTC).
func CertValidOn(expires *time.Time, end time.Time) bool {
	return expires == nil || expires.UTC().Truncate(24*time.Hour).AddDate(0, 0, 1).After(end)
}

func screenCerts(s ShiftFacts, w *WorkerFacts) RuleResult {
	var missing skillNames
	for _, sk := range s.RequiredCerts {
		ok := false
		for _, exp := range w.Certs[sk.ID] {
			if CertValidOn(exp, s.End) {
				ok = true
				break
			}
		}
		if !ok {
			missing = append(missing, SkillName{sk.Slug, sk.Name})
		}
	}
	switch {
	case len(s.RequiredCerts) == 0:
		return verdict(RuleRequiredCertificates, true, "certs.none", nil)
	case len(missing) > 0:
		return verdict(RuleRequiredCertificates, false, "certs.missing", map[string]any{
			"Day": i18n.Day{T: s.Start, Loc: s.location()}, "Skills": missing})
	}
	return verdict(RuleRequiredCertificates, true, "certs.valid", nil)
}

func screenDistance(s ShiftFacts, w *WorkerFacts) RuleResult {
	switch {
	case s.MaxDistanceKm == nil:
		return verdict(RuleDistance, true, "distance.any", nil)
	case w.Home == nil:
		return verdict(RuleDistance, false, "distance.no_home", map[string]any{"Max": *s.MaxDistanceKm})
	}
	d := DistanceKm(*w.Home, s.Place)
	key := "distance.within"
	if d > float64(*s.MaxDistanceKm) {
		key = "distance.beyond"
	}
	// The worker reads their own distance; the employer a coarse one.
	r := verdict(RuleDistance, key == "distance.within", key, nil)
	r.say.data = map[string]any{"Km": strconv.FormatFloat(d, 'f', 1, 64), "Max": *s.MaxDistanceKm}
	r.toEmployer.data = map[string]any{"Km": strconv.FormatFloat(CoarseKm(d), 'f', 1, 64), "Max": *s.MaxDistanceKm}
	return r
}

// Overlaps reports whether [a.Start, a.End) and [b.Start, b.End) share time.
func Overlaps(a, b Interval) bool { return a.Start.Before(b.End) && b.Start.Before(a.End) }

func screenOverlap(s ShiftFacts, w *WorkerFacts) RuleResult {
	busy := append([]Interval(nil), w.Busy...)
	sort.Slice(busy, func(i, j int) bool { return busy[i].Start.Before(busy[j].Start) })
	for _, b := range busy {
		if Overlaps(b, Interval{s.Start, s.End}) {
			loc := s.location()
			return verdict(RuleNoOverlap, false, "overlap.busy", map[string]any{
				"From": i18n.DayTime{T: b.Start, Loc: loc}, "To": i18n.Clock{T: b.End, Loc: loc}})
		}
	}
	return verdict(RuleNoOverlap, true, "overlap.free", nil)
}

func screenBlocked(s ShiftFacts, w *WorkerFacts) RuleResult {
	if w.BlockedBy[s.EmployerID] {
		return verdict(RuleNotBlocked, false, "blocked.yes", nil)
	}
	return verdict(RuleNotBlocked, true, "blocked.no", nil)
}

func screenNewcomer(s ShiftFacts, w *WorkerFacts) RuleResult {
	if !s.NewcomersAllowed && w.CompletedShifts == 0 {
		return verdict(RuleNewcomers, false, "newcomers.closed", nil)
	}
	return verdict(RuleNewcomers, true, "newcomers.open", nil)
}

// screenCourses asks a pass, valid through the shift's end, of every
// course the shift requires; the employer reads which were passed.
func screenCourses(s ShiftFacts, w *WorkerFacts) RuleResult {
	if len(s.RequiredCourses) == 0 {
		return verdict(RuleRequiredCourses, true, "courses.none", nil)
	}
	var missing, passed []string
	for _, c := range s.RequiredCourses {
		if exp, ok := w.Courses[c.ID]; ok && exp.After(s.End) {
			passed = append(passed, c.Title)
		} else {
			missing = append(missing, c.Title)
		}
	}
	if len(missing) > 0 {
		return verdict(RuleRequiredCourses, false, "courses.missing", map[string]any{
			"Day": i18n.Day{T: s.Start, Loc: s.location()}, "Courses": strings.Join(missing, ", ")})
	}
	return verdict(RuleRequiredCourses, true, "courses.passed", map[string]any{"Courses": strings.Join(passed, ", ")})
}

func (s ShiftFacts) location() *time.Location { return zone(s.TimeZone) }
