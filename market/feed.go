package market

import (
	"context"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/dialect/sql"

	"flexwork/ent"
	"flexwork/ent/application"
	"flexwork/ent/predicate"
	"flexwork/ent/schema/enum"
	"flexwork/ent/shift"
	"flexwork/ent/skill"
)

// FeedOrder is how the feed sorts shifts.
type FeedOrder string

// Feed orders.
const (
	FeedByDistance FeedOrder = "DISTANCE"
	FeedByStart    FeedOrder = "START"
	FeedByFit      FeedOrder = "FIT" // the shifts that suit the viewer's preferences first, then nearest
)

// FeedFilter narrows the feed.
type FeedFilter struct {
	SkillIDs        []string              `json:"skillIDs" validate:"omitempty,max=20"`
	EngagementTypes []enum.EngagementType `json:"engagementTypes" validate:"omitempty,dive,enum"`
	StartsAfter     *time.Time            `json:"startsAfter"`
	StartsBefore    *time.Time            `json:"startsBefore"`
	MinHourlyRate   *int64                `json:"minHourlyRate" validate:"omitempty,gte=0,lte=100000000"`
}

// FeedInput asks for shifts near a point.
// Its json names are the schema's, which validation errors name.
type FeedInput struct {
	Near     GeoPoint               `json:"near"`
	RadiusKm float64                `json:"radiusKm" validate:"gt=0,lte=100"`
	First    int                    `json:"first" validate:"gte=0,lte=100"`
	After    *entgql.Cursor[string] `json:"after"`
	Filter   *FeedFilter            `json:"filter"`
	OrderBy  FeedOrder
	// Collect adds to the query what the caller will display of each
	// shift: the GraphQL layer eager-loads the edges the client selected.
	// It never narrows what screening reads (forDisplay).
	Collect func(*ent.ShiftQuery) (*ent.ShiftQuery, error)
}

// FeedItem is one shift in a worker's feed, with what the worker needs to
// decide: how far it is, whether they qualify, and whether they applied.
type FeedItem struct {
	Cursor      CursorText // entgql's Cursor[string]{ID: the shift's ID} (IDCursor)
	Shift       *ent.Shift
	DistanceKm  float64
	Eligibility Eligibility
	Application *ent.Application
	// What Fit reads: the shift's facts and the viewer's, for a page whose
	// client asks how each shift suits (the FIT order's screen); most
	// pages do not, and are not made to compute it.
	facts  ShiftFacts
	worker *WorkerFacts
}

// Fit is how the shift suits the viewer's preferences, one by one.
func (it *FeedItem) Fit() []PreferenceFit { return Fit(it.facts, it.worker) }

// FeedPage is a page of the feed.
type FeedPage struct {
	Edges    []*FeedItem
	PageInfo entgql.PageInfo[string]
}

const kmPerDegree = 111.32

// ShiftFeed is Feed with the GraphQL field's arguments: a page of 20 unless
// told otherwise, nearest first unless told otherwise.
func (m *Market) ShiftFeed(ctx context.Context, near GeoPoint, radiusKm float64, first *int, after *entgql.Cursor[string],
	filter *FeedFilter, orderBy *FeedOrder, collect func(*ent.ShiftQuery) (*ent.ShiftQuery, error)) (*FeedPage, error) {
	in := FeedInput{Near: near, RadiusKm: radiusKm, First: 20, After: after, Filter: filter, OrderBy: FeedByDistance, Collect: collect}
	if first != nil {
		in.First = *first
	}
	if orderBy != nil {
		in.OrderBy = *orderBy
	}
	return m.Feed(ctx, in)
}

// Feed returns published, future shifts with open slots within radiusKm of
// near, nearest (or soonest) first. However long the page, it costs the same
// few statements: the shifts (with the IDs of the viewer's applications to
// them), the viewer's screening facts, and the applications if there are any;
// employers come from a short-lived cache, skills from the taxonomy in
// memory.
func (m *Market) Feed(ctx context.Context, in FeedInput) (*FeedPage, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if err := Validate(in); err != nil { // near.lat, radiusKm, filter.minHourlyRate …
		return nil, err
	}
	c := m.client(ctx)
	now := m.Now()
	// The same distance expression filters, orders and pages.
	dist2 := func(s *sql.Selector) sql.Querier { return squaredKm(s, in.Near) }
	preds := []predicate.Shift{
		shift.StatusEQ(shift.StatusPUBLISHED),
		shift.StartsAtGT(now),
		filledBelowSlots,
	}
	if f := in.Filter; f != nil {
		if len(f.SkillIDs) > 0 {
			preds = append(preds, shift.HasRequiredSkillsWith(skill.IDIn(f.SkillIDs...)))
		}
		if len(f.EngagementTypes) > 0 {
			preds = append(preds, shift.EngagementTypeIn(f.EngagementTypes...))
		}
		if f.StartsAfter != nil {
			preds = append(preds, shift.StartsAtGTE(*f.StartsAfter))
		}
		if f.StartsBefore != nil {
			preds = append(preds, shift.StartsAtLTE(*f.StartsBefore))
		}
		if f.MinHourlyRate != nil {
			preds = append(preds, shift.HourlyRateGTE(*f.MinHourlyRate))
		}
	}
	keys, err := m.feedKeys(ctx, c, v.WorkerID, in, dist2)
	if err != nil {
		return nil, err
	}
	// order sorts a selector of shifts as the feed pages them: by its keys,
	// then by ID.
	order := func(s *sql.Selector) {
		for _, k := range keys {
			s.OrderExpr(k(s))
		}
		s.OrderBy(s.C(shift.FieldID))
	}
	// within reads the page among the shifts within reach km (at most the
	// radius asked for), after the cursor, in order. A cursor is the ID of
	// the page's last shift; its keys are read from its row in the same
	// statement, so the comparison is exact.
	within := func(reach float64) ([]*ent.Shift, error) {
		k := math.Cos(in.Near.Lat * math.Pi / 180)
		dLat := reach / kmPerDegree
		dLng := reach / (kmPerDegree * math.Max(k, 0.01))
		box := []predicate.Shift{
			shift.LatGTE(in.Near.Lat - dLat), shift.LatLTE(in.Near.Lat + dLat),
			shift.LngGTE(in.Near.Lng - dLng), shift.LngLTE(in.Near.Lng + dLng),
		}
		// The outer query reads the page's rows and orders them; what chose
		// them (the predicates, the reach, the cursor) is the subquery's.
		q := c.Shift.Query()
		q.Modify(func(s *sql.Selector) {
			// The page is chosen first by ID alone, in a subquery the feed
			// index answers without reading the table (an index-only scan of
			// the published shifts' place, start and slots); only the page's
			// rows are then read whole. Nothing but the shifts' own columns
			// is selected: ent asks the driver for the type of any other
			// column on every row.
			d := sql.Dialect(m.dialect)
			near := d.Table(shift.Table).As("near")
			page := d.Select(near.C(shift.FieldID)).From(near)
			for _, p := range append(box, preds...) {
				p(page)
			}
			page.Where(sql.P(func(b *sql.Builder) { b.Join(dist2(page)).WriteString(" <= ").Arg(reach * reach) }))
			if a := in.After; a != nil {
				page.Where(m.afterCursor(page, keys, a.ID))
			}
			order(page)
			page.Limit(in.First + 1)
			s.Where(sql.In(s.C(shift.FieldID), page))
			order(s)
		})
		q, err := forDisplay(q, in.Collect)
		if err != nil {
			return nil, err
		}
		return q.Limit(in.First + 1).All(ctx)
	}
	// Nearest first, the page is looked for within a reach that held such
	// a page here before (feedreach.go), widened when that did not hold one,
	// up to the whole radius: in a dense city the whole radius holds
	// thousands of shifts, which the index would read and sort to keep 21.
	reach := in.RadiusKm
	if in.OrderBy == FeedByDistance && in.After == nil {
		reach = m.reaches.Guess(in, now)
	}
	shifts, err := within(reach)
	for err == nil && reach < in.RadiusKm && len(shifts) <= in.First {
		reach = Widen(in, reach)
		shifts, err = within(reach)
	}
	if err != nil {
		return nil, err
	}
	if in.OrderBy == FeedByDistance && in.After == nil {
		var last GeoPoint
		if n := len(shifts); n > 0 {
			last = GeoPoint{Lat: shifts[n-1].Lat, Lng: shifts[n-1].Lng}
		}
		m.reaches.Learn(in, reach, len(shifts), last, now)
	}
	page := &FeedPage{}
	if len(shifts) > in.First {
		shifts, page.PageInfo.HasNextPage = shifts[:in.First], true
	}
	facts, err := m.shiftFacts(ctx, shifts...)
	if err != nil {
		return nil, err
	}
	employerIDs := make([]string, len(shifts))
	for i, s := range shifts {
		employerIDs[i] = s.EmployerID
	}
	employers, err := m.employers(ctx, employerIDs)
	if err != nil {
		return nil, err
	}
	for _, s := range shifts {
		s.Edges.Employer = employers[s.EmployerID]
	}
	var (
		w       *WorkerFacts
		applied = map[string]*ent.Application{}
	)
	if v.WorkerID != "" && len(shifts) > 0 {
		// The viewer's screening facts, and which of the page's shifts they
		// applied to, in one statement; the applications themselves are
		// read only when there are some.
		ws, err := m.loadWorkerFacts(ctx, c, []string{v.WorkerID}, facts, true)
		if err != nil {
			return nil, err
		}
		if w = ws[v.WorkerID]; w != nil && len(w.Applications) > 0 {
			apps, err := c.Application.Query().Where(application.IDIn(slices.Collect(maps.Values(w.Applications))...)).All(ctx)
			if err != nil {
				return nil, err
			}
			for _, a := range apps {
				applied[a.ShiftID] = a
			}
		}
	}
	for i, s := range shifts {
		page.Edges = append(page.Edges, &FeedItem{
			Cursor:      IDCursor(s.ID),
			Shift:       s,
			DistanceKm:  DistanceKm(in.Near, GeoPoint{Lat: s.Lat, Lng: s.Lng}),
			Eligibility: Screen(facts[i], w),
			Application: applied[s.ID],
			facts:       facts[i],
			worker:      w,
		})
	}
	if n := len(shifts); n > 0 {
		page.PageInfo.StartCursor = &entgql.Cursor[string]{ID: shifts[0].ID}
		page.PageInfo.EndCursor = &entgql.Cursor[string]{ID: shifts[n-1].ID}
	}
	page.PageInfo.HasPreviousPage = in.After != nil
	return page, nil
}

func toFloat(v any) float64 {
	switch n := v.(type) {
	case float64:
		return n
	case float32:
		return float64(n)
	case int64:
		return float64(n)
	case int:
		return float64(n)
	case []byte: // some drivers return numeric text
		f, _ := strconv.ParseFloat(string(n), 64)
		return f
	case string:
		f, _ := strconv.ParseFloat(n, 64)
		return f
	}
	return 0
}

// MarshalGQL implements graphql.Marshaler.
func (o FeedOrder) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(o))) }

// UnmarshalGQL implements graphql.Unmarshaler.
func (o *FeedOrder) UnmarshalGQL(v any) error {
	s, _ := v.(string)
	switch FeedOrder(s) {
	case FeedByDistance, FeedByStart, FeedByFit:
		*o = FeedOrder(s)
		return nil
	}
	return fmt.Errorf("%q is not a feed order", s)
}
