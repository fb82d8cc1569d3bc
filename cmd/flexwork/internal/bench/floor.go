package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"flexwork/ent/entdb"
	"flexwork/market"
	"flexwork/server/auth"
)

// The floor is the feed with nothing between HTTP and PostgreSQL but pgx
// and encoding/json: the same three statements the GraphQL server runs for
// it (the worker, the page of shifts with employer and application, the
// screening facts), the same screening, the same answer. GraphQL's
// throughput divided by the floor's is the figure we track.

// floorStatements is what one floor request costs.
const floorStatements = 3

type floor struct {
	pool   *pgxpool.Pool
	tokens *auth.Tokens
	skills map[string]string // skill ID → name
	// reaches size the page query as the market's feed does.
	reaches market.Reaches
}

// ServeFloor serves the floor's feed at addr until ctx ends.
func ServeFloor(ctx context.Context, databaseURL, addr string) error {
	if !strings.HasPrefix(databaseURL, "postgres") {
		return errors.New("the floor runs on PostgreSQL (DATABASE_URL=postgres://…)")
	}
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return err
	}
	cfg.MaxConns = 32 // as the server's pool
	// A request whose client goes away keeps its connection, as the server's do.
	cfg.ConnConfig.BuildContextWatcherHandler = entdb.FinishThenCancel
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	tok, err := tokens()
	if err != nil {
		return err
	}
	f := &floor{pool: pool, tokens: tok, skills: map[string]string{}}
	rows, err := pool.Query(ctx, `SELECT id, name FROM skills`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return err
		}
		f.skills[id] = name
	}
	rows.Close()
	mux := http.NewServeMux()
	// The floor answers the ShiftFeed operation's own request body (its
	// variables), so that a load generator sends both sides the same bytes.
	mux.HandleFunc("POST /graphql", f.feed)
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, _ *http.Request) {})
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { <-ctx.Done(); _ = hs.Close() }()
	if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

type floorRequest struct {
	Near     market.GeoPoint `json:"near"`
	RadiusKm float64         `json:"radiusKm"`
	First    int             `json:"first"`
}

// The answer has the shape of the ShiftFeed operation's, __typename
// included (Apollo's manifest adds it to every selection).
type (
	floorEdge struct {
		Typename    string            `json:"__typename"`
		Cursor      string            `json:"cursor"`
		DistanceKm  float64           `json:"distanceKm"`
		Node        floorShift        `json:"node"`
		Eligibility floorEligibility  `json:"eligibility"`
		Application *floorApplication `json:"application"`
	}
	floorShift struct {
		Typename       string          `json:"__typename"`
		ID             string          `json:"id"`
		Title          string          `json:"title"`
		Status         string          `json:"status"`
		EngagementType string          `json:"engagementType"`
		StartsAt       time.Time       `json:"startsAt"`
		EndsAt         time.Time       `json:"endsAt"`
		TimeZone       string          `json:"timeZone"`
		Address        string          `json:"address"`
		Lat            float64         `json:"lat"`
		Lng            float64         `json:"lng"`
		Pay            floorMoney      `json:"pay"`
		PayUnit        string          `json:"payUnit"`
		HourlyRate     int64           `json:"hourlyRate"`
		Slots          int             `json:"slots"`
		Filled         int             `json:"filled"`
		PayCycleDays   *int            `json:"payCycleDays"`
		Employer       floorEmployer   `json:"employer"`
		Agency         *floorAgency    `json:"agency"`
		PostNature     *string         `json:"postNature"`
		PostMonths     *int            `json:"postMonths"`
		RequiredSkills []floorSkillRef `json:"requiredSkills"`
	}
	floorEmployer struct {
		Typename     string      `json:"__typename"`
		ID           string      `json:"id"`
		Name         string      `json:"name"`
		RatingAvg    float64     `json:"ratingAvg"`
		RatingCount  int         `json:"ratingCount"`
		Jurisdiction string      `json:"jurisdiction"`
		RightsScore  *floorScore `json:"rightsScore"`
	}
	floorMoney struct {
		Amount   int64  `json:"amount"`
		Currency string `json:"currency"`
		Typename string `json:"__typename"`
	}
	floorScore struct {
		Typename string `json:"__typename"`
		Score    int    `json:"score"`
	}
	floorAgency struct {
		Typename string `json:"__typename"`
		ID       string `json:"id"`
		Name     string `json:"name"`
		Kind     string `json:"kind"`
	}
	floorSkillRef struct {
		Typename string `json:"__typename"`
		ID       string `json:"id"`
		Name     string `json:"name"`
	}
	floorEligibility struct {
		Typename    string      `json:"__typename"`
		Eligible    bool        `json:"eligible"`
		FailedRules []floorRule `json:"failedRules"`
	}
	floorRule struct {
		Typename string      `json:"__typename"`
		Rule     market.Rule `json:"rule"`
		Message  string      `json:"message"`
	}
	floorApplication struct {
		Typename string `json:"__typename"`
		ID       string `json:"id"`
		Status   string `json:"status"`
	}
)

func (f *floor) fail(w http.ResponseWriter, status int, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": []any{map[string]any{"message": err.Error(),
		"extensions": map[string]any{"code": "INTERNAL_SERVER_ERROR"}}}})
}

func (f *floor) feed(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	userID, err := f.tokens.Verify(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
	if err != nil {
		f.fail(w, http.StatusUnauthorized, err)
		return
	}
	var req struct {
		Variables floorRequest `json:"variables"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		f.fail(w, http.StatusBadRequest, err)
		return
	}
	in := req.Variables
	// 1. The worker.
	wf := &market.WorkerFacts{Skills: map[string]int{}, Certs: map[string][]*time.Time{}, BlockedBy: map[string]bool{}}
	var homeLat, homeLng *float64
	err = f.pool.QueryRow(ctx, `SELECT id, credit_score, completed_shifts, rating_avg, rating_count, home_lat, home_lng
		FROM worker_profiles WHERE user_id = $1`, userID).
		Scan(&wf.WorkerID, &wf.CreditScore, &wf.CompletedShifts, &wf.RatingAvg, &wf.RatingCount, &homeLat, &homeLng)
	if err != nil {
		f.fail(w, http.StatusInternalServerError, fmt.Errorf("worker: %w", err))
		return
	}
	if homeLat != nil && homeLng != nil {
		wf.Home = &market.GeoPoint{Lat: *homeLat, Lng: *homeLng}
	}
	// 2. The page: shifts near the point, their employer, the worker's
	// application to each; within the reach the market would look in
	// first (market.Reaches), widened as the market widens it (market.Widen)
	// when that holds no page.
	k := math.Cos(in.Near.Lat * math.Pi / 180)
	var (
		edges []floorEdge
		facts []market.ShiftFacts
	)
	page := func(reach float64) error {
		edges, facts = nil, nil
		dLat, dLng := reach/111.32, reach/(111.32*math.Max(k, 0.01))
		rows, err := f.pool.Query(ctx, `
		SELECT s.id, s.title, s.status, s.engagement_type, s.starts_at, s.ends_at, s.time_zone, s.address, s.lat, s.lng,
		       s.pay_rate, s.currency, s.pay_unit, s.hourly_rate, s.slots, s.filled, s.required_skill_ids,
		       s.required_certification_ids, s.min_credit_score, s.max_distance_km, s.newcomers_allowed,
		       e.id, e.name, e.rating_avg, e.rating_count, COALESCE(a.id, ''), COALESCE(a.status, ''), p.d2,
		       s.pay_cycle_days, s.post_nature, s.post_months, e.jurisdiction, e.rights_score,
		       COALESCE(ag.id, ''), COALESCE(ag.name, ''), COALESCE(ag.kind, '')
		FROM (SELECT id, d2 FROM (
		        SELECT id, ((lat - $1) * 111.32) * ((lat - $1) * 111.32) + ((lng - $2) * $3) * ((lng - $2) * $3) AS d2
		        FROM shifts
		        WHERE status = 'PUBLISHED' AND starts_at > $4 AND filled < slots
		          AND lat BETWEEN $5 AND $6 AND lng BETWEEN $7 AND $8) near
		      WHERE d2 <= $10 ORDER BY d2, id LIMIT $11) p
		JOIN shifts s ON s.id = p.id
		JOIN employers e ON e.id = s.employer_id
		LEFT JOIN employers ag ON ag.id = s.agency_id
		LEFT JOIN applications a ON a.shift_id = s.id AND a.worker_id = $9
		ORDER BY p.d2, p.id`,
			in.Near.Lat, in.Near.Lng, 111.32*k, time.Now(), in.Near.Lat-dLat, in.Near.Lat+dLat, in.Near.Lng-dLng, in.Near.Lng+dLng,
			wf.WorkerID, reach*reach, in.First+1)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				e                    floorEdge
				sf                   market.ShiftFacts
				skills, certs        []string
				appID, appStatus     string
				d2                   float64
				payRate              int64
				currency             string
				minCredit, maxDistKm *int
				postNature           *string
				rightsScore          *int
				agency               floorAgency
			)
			s := &e.Node
			if err := rows.Scan(&s.ID, &s.Title, &s.Status, &s.EngagementType, &s.StartsAt, &s.EndsAt, &s.TimeZone, &s.Address,
				&s.Lat, &s.Lng, &payRate, &currency, &s.PayUnit, &s.HourlyRate, &s.Slots, &s.Filled, &skills, &certs,
				&minCredit, &maxDistKm, &sf.NewcomersAllowed, &s.Employer.ID, &s.Employer.Name, &s.Employer.RatingAvg,
				&s.Employer.RatingCount, &appID, &appStatus, &d2, &s.PayCycleDays, &postNature, &s.PostMonths,
				&s.Employer.Jurisdiction, &rightsScore, &agency.ID, &agency.Name, &agency.Kind); err != nil {
				return err
			}
			s.Pay = floorMoney{Amount: payRate, Currency: currency, Typename: "Money"}
			e.Typename, s.Typename, s.Employer.Typename, agency.Typename = "ShiftFeedEdge", "Shift", "Employer", "Employer"
			if postNature != nil && *postNature != "" { // optional text kept as "" is answered as null
				s.PostNature = postNature
			}
			if rightsScore != nil {
				s.Employer.RightsScore = &floorScore{Score: *rightsScore, Typename: "RightsScore"}
			}
			if agency.ID != "" {
				s.Agency = &agency
			}
			sf.ID, sf.EmployerID, sf.Start, sf.End, sf.TimeZone = s.ID, s.Employer.ID, s.StartsAt, s.EndsAt, s.TimeZone
			sf.Place, sf.MinCreditScore, sf.MaxDistanceKm = market.GeoPoint{Lat: s.Lat, Lng: s.Lng}, minCredit, maxDistKm
			for _, id := range skills {
				sf.RequiredSkills = append(sf.RequiredSkills, market.SkillRef{ID: id, Name: f.skills[id]})
				s.RequiredSkills = append(s.RequiredSkills, floorSkillRef{ID: id, Name: f.skills[id], Typename: "Skill"})
			}
			for _, id := range certs {
				sf.RequiredCerts = append(sf.RequiredCerts, market.SkillRef{ID: id, Name: f.skills[id]})
			}
			if appID != "" {
				e.Application = &floorApplication{ID: appID, Status: appStatus, Typename: "Application"}
			}
			e.DistanceKm = market.DistanceKm(in.Near, sf.Place)
			e.Cursor = fmt.Sprintf("%s:%g", s.ID, d2)
			edges = append(edges, e)
			facts = append(facts, sf)
		}
		return rows.Err()
	}
	fi := market.FeedInput{Near: in.Near, RadiusKm: in.RadiusKm, First: in.First}
	reach := f.reaches.Guess(fi, time.Now())
	err = page(reach)
	for err == nil && reach < in.RadiusKm && len(edges) <= in.First {
		reach = market.Widen(fi, reach)
		err = page(reach)
	}
	if err != nil {
		f.fail(w, http.StatusInternalServerError, fmt.Errorf("page: %w", err))
		return
	}
	if n := len(facts); n > 0 {
		f.reaches.Learn(fi, reach, n, facts[n-1].Place, time.Now())
	} else {
		f.reaches.Learn(fi, reach, 0, market.GeoPoint{}, time.Now())
	}
	hasNext := len(edges) > in.First
	if hasNext {
		edges, facts = edges[:in.First], facts[:in.First]
	}
	// 3. The worker's screening facts for the page.
	if len(facts) > 0 {
		if err := f.workerFacts(ctx, wf, facts); err != nil {
			f.fail(w, http.StatusInternalServerError, fmt.Errorf("facts: %w", err))
			return
		}
	}
	for i := range edges {
		e := market.Screen(facts[i], wf)
		edges[i].Eligibility = floorEligibility{Eligible: e.Eligible, FailedRules: []floorRule{}, Typename: "Eligibility"}
		for _, r := range e.Failed() {
			edges[i].Eligibility.FailedRules = append(edges[i].Eligibility.FailedRules, floorRule{Rule: r.Rule, Message: r.Message(ctx), Typename: "ScreeningResult"})
		}
	}
	var end *string
	if len(edges) > 0 {
		end = &edges[len(edges)-1].Cursor
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"data": map[string]any{"shiftFeed": map[string]any{
		"edges": edges, "pageInfo": map[string]any{"hasNextPage": hasNext, "endCursor": end, "__typename": "PageInfo"},
		"__typename": "ShiftFeedConnection"}}})
}

// workerFacts reads skills, verified certificates, busy times and blocks
// in one statement, as market does.
func (f *floor) workerFacts(ctx context.Context, wf *market.WorkerFacts, shifts []market.ShiftFacts) error {
	from, to := shifts[0].Start, shifts[0].End
	employers := make([]string, 0, len(shifts))
	for _, s := range shifts {
		from, to = minTime(from, s.Start), maxTime(to, s.End)
		employers = append(employers, s.EmployerID)
	}
	rows, err := f.pool.Query(ctx, `
		SELECT 'skill', skill_id, years, NULL::timestamptz, NULL::timestamptz FROM worker_skills WHERE worker_id = $1
		UNION ALL SELECT 'cert', skill_id, 0, expires_on, NULL FROM certifications WHERE worker_id = $1 AND status = 'VERIFIED'
		UNION ALL SELECT 'busy', '', 0, starts_at, ends_at FROM assignments
		          WHERE worker_id = $1 AND status IN ('SCHEDULED', 'CHECKED_IN', 'CHECKED_OUT', 'APPROVED', 'PAID')
		            AND starts_at < $3 AND ends_at > $2
		UNION ALL SELECT 'blocked', employer_id, 0, NULL, NULL FROM roster_entries
		          WHERE worker_id = $1 AND kind = 'BLOCKED' AND employer_id = ANY($4)`,
		wf.WorkerID, from, to, employers)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			kind, ref string
			n         int
			t1, t2    *time.Time
		)
		if err := rows.Scan(&kind, &ref, &n, &t1, &t2); err != nil {
			return err
		}
		switch kind {
		case "skill":
			wf.Skills[ref] = n
		case "cert":
			wf.Certs[ref] = append(wf.Certs[ref], t1)
		case "busy":
			wf.Busy = append(wf.Busy, market.Interval{Start: *t1, End: *t2})
		case "blocked":
			wf.BlockedBy[ref] = true
		}
	}
	return rows.Err()
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
