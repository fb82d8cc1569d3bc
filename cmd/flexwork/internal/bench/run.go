package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"flexwork/ent"
	"flexwork/ent/application"
	"flexwork/ent/assignment"
	"flexwork/ent/entdb"
	"flexwork/ent/offer"
	"flexwork/ent/rule"
	"flexwork/ent/schema/enum"
	"flexwork/ent/schema/pulid"
	"flexwork/ent/shift"
)

// Scenarios are the load scenarios Run knows.
var Scenarios = []string{"feed", "shift", "candidates", "apply", "accept-race", "mixed", "floor", "suggest", "backfill"}

// Options configure a run.
type Options struct {
	DatabaseURL string
	Concurrency int
	Duration    time.Duration
	Out         io.Writer
	Seed        uint64
	// CPUProfile, when set, is where the server's CPU profile of the
	// measured run is written (for go tool pprof).
	CPUProfile string
	// Replicas is how many servers share the database (and Env's Redis,
	// say); requests go to each in turn. 0 is one.
	Replicas int
	// Env is added to every server's environment.
	Env []string
	// Strict fails a run in which any request failed.
	Strict bool
}

// Run starts a server on the seeded database, drives one scenario against
// it and prints the figures.
func Run(ctx context.Context, scenario string, o Options) error {
	known := false
	for _, s := range Scenarios {
		known = known || s == scenario
	}
	if !known {
		return fmt.Errorf("unknown scenario %q; want one of %s", scenario, strings.Join(Scenarios, ", "))
	}
	db, err := entdb.Open(ctx, o.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	r := rand.New(rand.NewPCG(o.Seed, 7))
	l, err := newLab(ctx, db, r)
	if err != nil {
		return err
	}
	fmt.Fprintf(o.Out, "%s on %s: %d sampled workers, %d open shifts, %d with hundreds of applicants, %d apply pairs\n",
		scenario, db.Dialect, len(l.workers), len(l.shifts), len(l.hot), len(l.pairs))
	var (
		servers []*Child
		addrs   []string
	)
	for range max(o.Replicas, 1) {
		r, err := StartChild(ctx, []string{"serve"}, append([]string{"DATABASE_URL=" + o.DatabaseURL, "FLEXWORK_ENV=prod",
			"FLEXWORK_PUBLIC_URL=http://127.0.0.1", "FLEXWORK_PPROF=true"}, o.Env...)...)
		if err != nil {
			return err
		}
		defer r.Stop()
		servers, addrs = append(servers, r), append(addrs, r.Addr)
	}
	srv := &replicas{servers}
	c, err := newClient(o.Concurrency, addrs...)
	if err != nil {
		return err
	}
	// measure drives fn against target and prints the figures; the SQL
	// statements per request come from the server's metrics, or are fixed.
	var failed []string // scenarios with failed requests, for Strict
	measure := func(name string, target measured, statements float64, fn func(ctx context.Context, g, n int) (Outcome, error)) Stats {
		quiesce(srv)
		profiled := target.Profile(o.CPUProfile, o.Duration)
		before := srv.Statements()
		s := drive(ctx, o.Concurrency, o.Duration, fn)
		if err := profiled(); err != nil {
			fmt.Fprintln(o.Out, "profile:", err)
		}
		s.StatementsPerRequest = statements
		if s.Requests > 0 && statements == 0 {
			s.StatementsPerRequest = (srv.Statements() - before) / float64(s.Requests)
		}
		fmt.Fprintf(o.Out, "%-12s c=%-4d %s\n", name, o.Concurrency, s)
		if s.Errors > 0 {
			failed = append(failed, fmt.Sprintf("%s: %d errors, the first: %s", name, s.Errors, s.FirstError))
		}
		return s
	}
	// A short warm-up: connections, caches, the taxonomy.
	drive(ctx, min(o.Concurrency, 8), 2*time.Second, l.feed(c, r))
	switch scenario {
	case "feed":
		measure("feed", srv, 0, l.feed(c, r))
	case "shift":
		measure("shift", srv, 0, l.shiftDetail(c, r))
	case "candidates":
		if len(l.hot) == 0 {
			return fmt.Errorf("no shift has hundreds of applicants")
		}
		measure("candidates", srv, 0, l.candidates(c, r))
	case "apply":
		measure("apply", srv, 0, l.apply(c))
	case "mixed":
		feed, detail, cand, apply := l.feed(c, r), l.shiftDetail(c, r), l.candidates(c, r), l.apply(c)
		var mu sync.Mutex
		measure("mixed", srv, 0, func(ctx context.Context, g, n int) (Outcome, error) {
			mu.Lock()
			x := r.IntN(100)
			mu.Unlock()
			switch {
			case x < 80:
				return feed(ctx, g, n)
			case x < 90:
				return detail(ctx, g, n)
			case x < 95:
				return apply(ctx, g, n)
			}
			return cand(ctx, g, n)
		})
	case "accept-race":
		quiesce(srv)
		profiled := srv.Profile(o.CPUProfile, o.Duration)
		err := l.acceptRace(ctx, c, o)
		if perr := profiled(); perr != nil {
			fmt.Fprintln(o.Out, "profile:", perr)
		}
		return err
	case "suggest":
		measure("suggest", srv, 0, l.suggest(c, r))
	case "backfill":
		return l.backfill(ctx, o)
	case "floor":
		gql := measure("feed", srv, 0, l.feed(c, r))
		fl, err := StartChild(ctx, []string{"bench", "floor"}, "DATABASE_URL="+o.DatabaseURL)
		if err != nil {
			return err
		}
		defer fl.Stop()
		fc, err := newClient(o.Concurrency, fl.Addr)
		if err != nil {
			return err
		}
		drive(ctx, min(o.Concurrency, 8), 2*time.Second, l.feed(fc, r))
		floor := measure("floor", fl, floorStatements, l.feed(fc, r))
		fmt.Fprintf(o.Out, "GraphQL/floor throughput ratio at c=%d: %.2f (GraphQL p50 %.1f ms vs floor %.1f ms)\n",
			o.Concurrency, gql.Throughput()/floor.Throughput(), ms(gql.P50), ms(floor.P50))
	}
	fmt.Fprintf(o.Out, "server RSS %d MiB\n", srv.RSS()>>20)
	if o.Strict && len(failed) > 0 {
		return errors.New(strings.Join(failed, "; "))
	}
	return nil
}

// locked is a random source shared by the goroutines of a scenario.
type locked struct {
	mu sync.Mutex
	r  *rand.Rand
}

func (l *locked) intN(n int) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.IntN(n)
}

func (l *locked) point(city int) (float64, float64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	p := around(l.r, Cities[city].Centre, Cities[city].Sigma)
	return p.Lat, p.Lng
}

// feed: a worker somewhere in their city asks for the 20 nearest shifts.
func (l *lab) feed(c *client, r *rand.Rand) func(ctx context.Context, g, n int) (Outcome, error) {
	src := &locked{r: rand.New(rand.NewPCG(r.Uint64(), 1))}
	return func(ctx context.Context, g, n int) (Outcome, error) {
		w := l.workers[src.intN(len(l.workers))]
		lat, lng := src.point(w.city)
		o, err := c.op(ctx, w.token, "ShiftFeed", map[string]any{"near": map[string]any{"lat": lat, "lng": lng}, "radiusKm": 10, "first": 20})
		return o, err
	}
}

// shiftDetail: a worker opens a shift.
func (l *lab) shiftDetail(c *client, r *rand.Rand) func(ctx context.Context, g, n int) (Outcome, error) {
	src := &locked{r: rand.New(rand.NewPCG(r.Uint64(), 2))}
	return func(ctx context.Context, g, n int) (Outcome, error) {
		w, s := l.workers[src.intN(len(l.workers))], l.shifts[src.intN(len(l.shifts))]
		o, err := c.op(ctx, w.token, "ShiftDetail", map[string]any{"id": s.id})
		return o, err
	}
}

// candidates: an employer's tablet lists the 50 best of hundreds of applicants.
func (l *lab) candidates(c *client, r *rand.Rand) func(ctx context.Context, g, n int) (Outcome, error) {
	src := &locked{r: rand.New(rand.NewPCG(r.Uint64(), 3))}
	return func(ctx context.Context, g, n int) (Outcome, error) {
		if len(l.hot) == 0 {
			return Failed, fmt.Errorf("no shift with hundreds of applicants")
		}
		s := l.hot[src.intN(len(l.hot))]
		o, err := c.op(ctx, l.owners[s.employerID], "Candidates", map[string]any{"shiftID": s.id, "first": 50})
		return o, err
	}
}

// apply: workers apply to shifts they may take. Screening may still refuse
// (a hire elsewhere at that time): that is a refusal, not an error.
func (l *lab) apply(c *client) func(ctx context.Context, g, n int) (Outcome, error) {
	var next atomic.Int64
	return func(ctx context.Context, g, n int) (Outcome, error) {
		i := int(next.Add(1)) - 1
		if i >= len(l.pairs) {
			return Failed, fmt.Errorf("ran out of apply pairs after %d", len(l.pairs))
		}
		p := l.pairs[i]
		o, err := c.op(ctx, l.workers[p.worker].token, "ApplyToShift",
			map[string]any{"input": map[string]any{"shiftID": l.shifts[p.shift].id}}, "SCREENING_FAILED", "CONFLICT")
		return o, err
	}
}

// acceptRace: rounds of C workers holding offers for a few shifts of two
// slots each all accept at once; afterwards no shift may have more hires
// than slots.
func (l *lab) acceptRace(ctx context.Context, c *client, o Options) error {
	const perShift, slots = 16, 2
	sys := rule.System(ctx)
	var (
		all       []time.Duration
		mu        sync.Mutex
		rounds    int
		won, lost int
		errs      int
		first     string
		raced     []string
	)
	var employerID, owner string
	for id, user := range l.ownerUsers {
		if employerID == "" || id < employerID {
			employerID, owner = id, user
		}
	}
	deadline := time.Now().Add(o.Duration)
	began := time.Now()
	for time.Now().Before(deadline) {
		rounds++
		shifts := max(1, o.Concurrency/perShift)
		offers, err := l.raceRound(sys, employerID, owner, rounds, shifts, perShift, slots)
		if err != nil {
			return err
		}
		for _, of := range offers {
			raced = append(raced, of.shiftID)
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		for _, of := range offers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				t := time.Now()
				out, err := c.op(ctx, of.token, "AcceptOffer", map[string]any{"input": map[string]any{"offerID": of.id}},
					"SHIFT_FULL", "OFFER_NOT_PENDING", "CONFLICT") // a full shift's offers are revoked by a job
				d := time.Since(t)
				mu.Lock()
				defer mu.Unlock()
				all = append(all, d)
				switch out {
				case OK:
					won++
				case Refused:
					lost++
				default:
					errs++
					if first == "" && err != nil {
						first = err.Error()
					}
				}
			}()
		}
		close(start)
		wg.Wait()
	}
	took := time.Since(began)
	// Overfills: hires beyond a shift's slots, by the shift's counter and by
	// the assignments themselves.
	overfills := 0
	uniq := map[string]bool{}
	for _, id := range raced {
		if uniq[id] {
			continue
		}
		uniq[id] = true
		s, err := l.db.Shift.Get(sys, id)
		if err != nil {
			return err
		}
		n, err := l.db.Assignment.Query().Where(assignment.ShiftID(id)).Count(sys)
		if err != nil {
			return err
		}
		overfills += max(0, s.Filled-s.Slots) + max(0, n-s.Slots)
	}
	st := Stats{Took: took}
	st.latencies(all)
	st.Refused, st.Errors, st.FirstError = lost, errs, first
	fmt.Fprintf(o.Out, "%-12s c=%-4d %s\n", "accept-race", o.Concurrency, st)
	fmt.Fprintf(o.Out, "             %d rounds, %d shifts of %d slots: %d hired, %d too late, overfills: %d\n",
		rounds, len(uniq), slots, won, lost, overfills)
	if overfills > 0 {
		return fmt.Errorf("%d overfilled slots", overfills)
	}
	if o.Strict && errs > 0 {
		return fmt.Errorf("accept-race: %d errors, the first: %s", errs, first)
	}
	if won == 0 {
		// A race nobody won measured nothing (once, every request was
		// refused by validation after the operation changed shape).
		return fmt.Errorf("accept-race: no offer was accepted (%d errors, first: %s)", errs, first)
	}
	return nil
}

type raceOffer struct{ id, token, shiftID string }

// raceRound creates the shifts, applications and pending offers of one
// round: far in the future, each round on its own day, so nobody is busy.
func (l *lab) raceRound(ctx context.Context, employerID, owner string, round, shifts, perShift, slots int) ([]raceOffer, error) {
	var out []raceOffer
	start := time.Now().Add(45 * 24 * time.Hour).Truncate(time.Hour).Add(time.Duration(round) * 24 * time.Hour)
	for s := range shifts {
		st := start.Add(time.Duration(s) * 10 * time.Minute)
		sh, err := l.db.Shift.Create().SetEmployerID(employerID).SetCreatedByID(owner).SetTitle("Race shift").
			SetEngagementType(enum.PartTime).SetStatus(shift.StatusPUBLISHED).SetAddress("Race").SetLat(Cities[0].Centre.Lat).
			SetLng(Cities[0].Centre.Lng).SetStartsAt(st).SetEndsAt(st.Add(4 * time.Hour)).SetTimeZone("Europe/Berlin").
			SetPayRate(1500).SetCurrency("EUR").SetPayUnit(shift.PayUnitHOUR).SetHourlyRate(1500).SetSlots(slots).Save(ctx)
		if err != nil {
			return nil, err
		}
		var apps []*ent.ApplicationCreate
		var offers []*ent.OfferCreate
		for k := range perShift {
			w := l.workers[(round*shifts*perShift+s*perShift+k)%len(l.workers)]
			aid := pulid.New("apl")
			apps = append(apps, l.db.Application.Create().SetID(aid).SetShiftID(sh.ID).SetWorkerID(w.id).SetEmployerID(employerID).
				SetStatus(application.StatusOFFERED))
			oid := pulid.New("ofr")
			offers = append(offers, l.db.Offer.Create().SetID(oid).SetShiftID(sh.ID).SetWorkerID(w.id).SetEmployerID(employerID).
				SetApplicationID(aid).SetSentByID(owner).SetStatus(offer.StatusPENDING).SetExpiresAt(time.Now().Add(time.Hour)))
			out = append(out, raceOffer{id: oid, token: w.token, shiftID: sh.ID})
		}
		if err := l.db.Application.CreateBulk(apps...).Exec(ctx); err != nil {
			return nil, err
		}
		if err := l.db.Offer.CreateBulk(offers...).Exec(ctx); err != nil {
			return nil, err
		}
	}
	return out, nil
}
