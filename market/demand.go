package market

import (
	"context"
	"math"
	"sort"
	"strconv"
	"time"

	"flexwork/ent"
	"flexwork/ent/assignment"
	"flexwork/ent/rule"
	"flexwork/ent/schema/week"
	"flexwork/ent/shift"
	"flexwork/i18n"
)

// demandMaxWeeks bounds how far back the demand view reads.
const demandMaxWeeks = 26

// PastShift is what the demand view reads of one of the employer's shifts
// that has started: when (on its own clock), how many it asked for, how
// many were hired in the end and how many of those did not come.
type PastShift struct {
	Start         time.Time
	Zone          *time.Location
	Slots, Hired  int
	NoShows       int
	WeekOfHistory int // 0 for the latest week, counting back
}

// DemandBucket is one weekday and local start hour of the employer's past
// shifts, added up.
type DemandBucket struct {
	Weekday              string `json:"weekday"`
	Hour                 int    `json:"hour"`
	Shifts, Slots, Hired int
	NoShows              int
	Weeks                int // distinct weeks it had shifts in
	FillRate, NoShowRate float64
	zone                 *time.Location
	weekday              int // Monday 0
}

// DemandSuggestion is how many workers to post for at one recurring peak
// next week, with why.
type DemandSuggestion struct {
	Weekday string    `json:"weekday"`
	Hour    int       `json:"hour"`
	Date    time.Time `json:"date"`
	Slots   int       `json:"slots"`
	reason  text
}

// Detail is the reason in the language of the request.
func (s DemandSuggestion) Detail(ctx context.Context) string { return s.reason.in(i18n.Language(ctx)) }

// In is the reason in lang.
func (s DemandSuggestion) In(lang string) string { return s.reason.in(lang) }

// DemandView is an employer's demand by weekday and hour, and what to post
// next week.
type DemandView struct {
	Weeks       int
	Buckets     []DemandBucket
	Suggestions []DemandSuggestion
}

// Demand adds up past shifts by weekday and local start hour and suggests
// next week's posting at each recurring peak: a bucket with shifts in two
// weeks or more asks for its average slots per such week, raised by its
// no-show rate (a worker in five not coming means posting a fifth more),
// rounded up. A bucket that filled under 80 % says so: more slots do not
// help where the pay does not fill them. Pure; now places "next week".
func Demand(past []PastShift, weeks int, now time.Time) DemandView {
	byKey := map[[2]int]*DemandBucket{}
	seen := map[[3]int]bool{}
	for _, p := range past {
		local := p.Start.In(p.Zone)
		day := week.Day(local)
		key := [2]int{day, local.Hour()}
		b := byKey[key]
		if b == nil {
			b = &DemandBucket{Weekday: week.Days[day], Hour: local.Hour(), weekday: day, zone: p.Zone}
			byKey[key] = b
		}
		b.Shifts++
		b.Slots += p.Slots
		b.Hired += p.Hired
		b.NoShows += p.NoShows
		if wk := [3]int{day, local.Hour(), p.WeekOfHistory}; !seen[wk] {
			seen[wk] = true
			b.Weeks++
		}
	}
	view := DemandView{Weeks: weeks}
	for _, b := range byKey {
		if b.Slots > 0 {
			b.FillRate = float64(b.Hired) / float64(b.Slots)
		}
		if b.Hired > 0 {
			b.NoShowRate = float64(b.NoShows) / float64(b.Hired)
		}
		view.Buckets = append(view.Buckets, *b)
	}
	sort.Slice(view.Buckets, func(i, j int) bool {
		a, b := view.Buckets[i], view.Buckets[j]
		return a.weekday < b.weekday || (a.weekday == b.weekday && a.Hour < b.Hour)
	})
	for _, b := range view.Buckets {
		if b.Weeks < 2 {
			continue // once is not a peak
		}
		avg := float64(b.Slots) / float64(b.Weeks)
		slots := int(math.Ceil(avg*(1+b.NoShowRate) - 1e-9))
		data := map[string]any{"Weeks": b.Weeks, "Avg": strconv.FormatFloat(avg, 'f', 1, 64),
			"NoShows": strconv.FormatFloat(100*b.NoShowRate, 'f', 0, 64), "Slots": slots,
			"Filled": strconv.FormatFloat(100*b.FillRate, 'f', 0, 64)}
		key := "demand.suggest.plain"
		if b.FillRate < 0.8 {
			key = "demand.suggest.underfilled"
		}
		view.Suggestions = append(view.Suggestions, DemandSuggestion{Weekday: b.Weekday, Hour: b.Hour,
			Date: nextWeekday(now.In(b.zone), b.weekday), Slots: slots, reason: because(key, data)})
	}
	sort.SliceStable(view.Suggestions, func(i, j int) bool { return view.Suggestions[i].Slots > view.Suggestions[j].Slots })
	return view
}

// nextWeekday is the date of the first weekday (Monday 0) after today.
func nextWeekday(now time.Time, weekday int) time.Time {
	ahead := (weekday - week.Day(now) + 7) % 7
	if ahead == 0 {
		ahead = 7
	}
	d := now.AddDate(0, 0, ahead)
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
}

// EmployerDemand is the demand view of an employer its members read: its
// shifts that started in the last weeks (2 to 26, 8 when not said), neither
// drafts nor cancelled, with their final hires and no-shows.
func (m *Market) EmployerDemand(ctx context.Context, employerID string, weeks *int) (*DemandView, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if !seesEmployer(v, employerID) {
		return nil, NotFound("employer")
	}
	n := 8
	if weeks != nil {
		n = *weeks
	}
	if n < 2 || n > demandMaxWeeks {
		return nil, BadInput("weeks", "between 2 and 26")
	}
	sys, now := rule.System(ctx), m.Now()
	from := now.AddDate(0, 0, -7*n)
	c := m.client(ctx)
	shifts, err := c.Shift.Query().Where(shift.EmployerID(employerID), shift.StartsAtGTE(from), shift.StartsAtLT(now),
		shift.StatusNotIn(shift.StatusDRAFT, shift.StatusCANCELLED)).
		Select(shift.FieldID, shift.FieldStartsAt, shift.FieldTimeZone, shift.FieldSlots).All(sys)
	if err != nil || len(shifts) == 0 {
		return &DemandView{Weeks: n, Buckets: []DemandBucket{}, Suggestions: []DemandSuggestion{}}, err
	}
	ids := make([]string, len(shifts))
	for i, s := range shifts {
		ids[i] = s.ID
	}
	var counts []struct {
		ShiftID string            `json:"shift_id"`
		Status  assignment.Status `json:"status"`
		Count   int               `json:"count"`
	}
	if err := c.Assignment.Query().Where(assignment.ShiftIDIn(ids...)).
		GroupBy(assignment.FieldShiftID, assignment.FieldStatus).Aggregate(ent.Count()).Scan(sys, &counts); err != nil {
		return nil, err
	}
	hired, noShows := map[string]int{}, map[string]int{}
	for _, r := range counts {
		switch r.Status {
		case assignment.StatusCANCELLED_BY_WORKER, assignment.StatusCANCELLED_BY_EMPLOYER:
		case assignment.StatusNO_SHOW:
			noShows[r.ShiftID] += r.Count
			hired[r.ShiftID] += r.Count
		default:
			hired[r.ShiftID] += r.Count
		}
	}
	past := make([]PastShift, len(shifts))
	for i, s := range shifts {
		past[i] = PastShift{Start: s.StartsAt, Zone: zone(s.TimeZone), Slots: s.Slots, Hired: hired[s.ID],
			NoShows: noShows[s.ID], WeekOfHistory: int(now.Sub(s.StartsAt) / (7 * 24 * time.Hour))}
	}
	view := Demand(past, n, now)
	if view.Suggestions == nil {
		view.Suggestions = []DemandSuggestion{}
	}
	return &view, nil
}
