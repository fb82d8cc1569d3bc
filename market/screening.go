package market

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
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
)

var rules = []Rule{RuleWorkerProfile, RuleCreditMinimum, RuleRequiredSkills, RuleRequiredCertificates,
	RuleDistance, RuleNoOverlap, RuleNotBlocked, RuleNewcomers}

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

// RuleResult is one rule's verdict, with a message the worker can read.
type RuleResult struct {
	Rule    Rule   `json:"rule"`
	Passed  bool   `json:"passed"`
	Message string `json:"message"`
	// toEmployer says the same to the employer, without what is the
	// worker's own business: no home to the metre, no other bookings.
	toEmployer string
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
		out.Rules[i] = RuleResult{Rule: r.Rule, Passed: r.Passed, Message: r.toEmployer}
	}
	return out
}

// Failed returns the rules that did not pass.
func (e Eligibility) Failed() []RuleResult {
	out := []RuleResult{}
	for _, r := range e.Rules {
		if !r.Passed {
			out = append(out, r)
		}
	}
	return out
}

// SkillRef is a skill with its display name.
type SkillRef struct{ ID, Name string }

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
	Busy            []Interval              // assignments that still hold the worker
	BlockedBy       map[string]bool         // employer IDs that blocked the worker
	// Applications maps shift IDs to the worker's application to them,
	// when asked for (the feed); screening does not read it.
	Applications map[string]string
}

// Screen runs every screening rule of s for w. It is pure: the feed, the
// eligibility query and applyToShift all call it with facts loaded in bulk.
// A nil w means the viewer has no worker profile.
func Screen(s ShiftFacts, w *WorkerFacts) Eligibility {
	if w == nil {
		return Eligibility{Rules: []RuleResult{{Rule: RuleWorkerProfile, Message: "Create your worker profile to apply for shifts",
			toEmployer: "Has no worker profile"}}}
	}
	res := []RuleResult{
		{Rule: RuleWorkerProfile, Passed: true, Message: "You have a worker profile", toEmployer: "Has a worker profile"},
		screenCredit(s, w),
		screenSkills(s, w),
		screenCerts(s, w),
		screenDistance(s, w),
		screenOverlap(s, w),
		screenBlocked(s, w),
		screenNewcomer(s, w),
	}
	e := Eligibility{Eligible: true, Rules: res}
	for _, r := range res {
		e.Eligible = e.Eligible && r.Passed
	}
	return e
}

func screenCredit(s ShiftFacts, w *WorkerFacts) RuleResult {
	r := RuleResult{Rule: RuleCreditMinimum, Passed: true}
	switch {
	case s.MinCreditScore == nil:
		r.Message, r.toEmployer = "This shift has no minimum credit score", "The shift has no minimum credit score"
	case w.CreditScore >= *s.MinCreditScore:
		r.Message = fmt.Sprintf("Your credit score %d meets the minimum of %d", w.CreditScore, *s.MinCreditScore)
		r.toEmployer = fmt.Sprintf("Credit score %d meets the minimum of %d", w.CreditScore, *s.MinCreditScore)
	default:
		r.Passed = false
		r.Message = fmt.Sprintf("This shift needs a credit score of at least %d; yours is %d", *s.MinCreditScore, w.CreditScore)
		r.toEmployer = fmt.Sprintf("Credit score %d is below the minimum of %d", w.CreditScore, *s.MinCreditScore)
	}
	return r
}

func screenSkills(s ShiftFacts, w *WorkerFacts) RuleResult {
	var missing []string
	for _, sk := range s.RequiredSkills {
		if _, ok := w.Skills[sk.ID]; !ok {
			missing = append(missing, sk.Name)
		}
	}
	switch {
	case len(s.RequiredSkills) == 0:
		return RuleResult{Rule: RuleRequiredSkills, Passed: true, Message: "This shift requires no particular skills",
			toEmployer: "The shift requires no particular skills"}
	case len(missing) > 0:
		return RuleResult{Rule: RuleRequiredSkills, Message: "Add these skills to your profile: " + strings.Join(missing, ", "),
			toEmployer: "Lacks required skills: " + strings.Join(missing, ", ")}
	}
	return RuleResult{Rule: RuleRequiredSkills, Passed: true, Message: "You have every required skill", toEmployer: "Has every required skill"}
}

// CertValidOn reports whether a certificate expiring at expires (nil: never)
// is valid for the whole of a shift that ends at end. Expiry dates are
// dates: a certificate is valid through the whole of its expiry day (UTC).
func CertValidOn(expires *time.Time, end time.Time) bool {
	return expires == nil || expires.UTC().Truncate(24*time.Hour).AddDate(0, 0, 1).After(end)
}

func screenCerts(s ShiftFacts, w *WorkerFacts) RuleResult {
	var missing []string
	for _, sk := range s.RequiredCerts {
		ok := false
		for _, exp := range w.Certs[sk.ID] {
			if CertValidOn(exp, s.End) {
				ok = true
				break
			}
		}
		if !ok {
			missing = append(missing, sk.Name)
		}
	}
	switch {
	case len(s.RequiredCerts) == 0:
		return RuleResult{Rule: RuleRequiredCertificates, Passed: true, Message: "This shift requires no certificates",
			toEmployer: "The shift requires no certificates"}
	case len(missing) > 0:
		return RuleResult{Rule: RuleRequiredCertificates, Message: fmt.Sprintf(
			"You need a verified certificate valid on %s for: %s", s.localDay(), strings.Join(missing, ", ")),
			toEmployer: fmt.Sprintf("No verified certificate valid on %s for: %s", s.localDay(), strings.Join(missing, ", "))}
	}
	return RuleResult{Rule: RuleRequiredCertificates, Passed: true, Message: "Your certificates are verified and valid on the day",
		toEmployer: "Verified certificates valid on the day"}
}

func screenDistance(s ShiftFacts, w *WorkerFacts) RuleResult {
	r := RuleResult{Rule: RuleDistance}
	switch {
	case s.MaxDistanceKm == nil:
		r.Passed, r.Message, r.toEmployer = true, "This shift takes workers from any distance", "The shift takes workers from any distance"
	case w.Home == nil:
		r.Message = "Set your home location: this shift takes workers within " + strconv.Itoa(*s.MaxDistanceKm) + " km"
		r.toEmployer = "Home location unknown; the shift takes workers within " + strconv.Itoa(*s.MaxDistanceKm) + " km"
	default:
		d := DistanceKm(*w.Home, s.Place)
		if d <= float64(*s.MaxDistanceKm) {
			r.Passed, r.Message = true, fmt.Sprintf("You live %.1f km away, within the %d km limit", d, *s.MaxDistanceKm)
			r.toEmployer = fmt.Sprintf("Lives about %.1f km away, within the %d km limit", CoarseKm(d), *s.MaxDistanceKm)
		} else {
			r.Message = fmt.Sprintf("You live %.1f km away; this shift takes workers within %d km", d, *s.MaxDistanceKm)
			r.toEmployer = fmt.Sprintf("Lives about %.1f km away; the shift takes workers within %d km", CoarseKm(d), *s.MaxDistanceKm)
		}
	}
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
			return RuleResult{Rule: RuleNoOverlap, Message: fmt.Sprintf("You already work %s–%s that day",
				b.Start.In(loc).Format("Mon 2 Jan 15:04"), b.End.In(loc).Format("15:04")),
				toEmployer: "Already booked at that time"}
		}
	}
	return RuleResult{Rule: RuleNoOverlap, Passed: true, Message: "You have no other shift at that time", toEmployer: "Free at that time"}
}

func screenBlocked(s ShiftFacts, w *WorkerFacts) RuleResult {
	if w.BlockedBy[s.EmployerID] {
		return RuleResult{Rule: RuleNotBlocked, Message: "This employer is not taking you on at the moment", toEmployer: "On your block list"}
	}
	return RuleResult{Rule: RuleNotBlocked, Passed: true, Message: "The employer accepts your applications", toEmployer: "Not on your block list"}
}

func screenNewcomer(s ShiftFacts, w *WorkerFacts) RuleResult {
	if !s.NewcomersAllowed && w.CompletedShifts == 0 {
		return RuleResult{Rule: RuleNewcomers, Message: "This shift is for workers who have completed at least one shift",
			toEmployer: "Has not completed a shift yet; the shift is not open to newcomers"}
	}
	return RuleResult{Rule: RuleNewcomers, Passed: true, Message: "Newcomers welcome, or you have completed shifts before",
		toEmployer: "Newcomers welcome, or has completed shifts before"}
}

func (s ShiftFacts) location() *time.Location { return zone(s.TimeZone) }

func (s ShiftFacts) localDay() string { return s.Start.In(s.location()).Format("Mon 2 Jan 2006") }
