package bench

import (
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"flexwork/credit"
	"flexwork/ent"
	"flexwork/ent/schema/enum"
	"flexwork/ent/schema/pulid"
	"flexwork/market"
)

// world is a whole dataset in memory, generated from one seed.
type world struct {
	r            *rand.Rand
	now          time.Time
	counts       Counts
	skills       []*ent.Skill
	byCategory   map[string][]*ent.Skill
	workers      []*workerPlan
	employers    []*employerPlan
	shifts       []*shiftPlan
	applications []*applicationPlan
	assignments  []*assignmentPlan
	reviews      []*reviewPlan
	events       []*creditEventPlan
	// pool[city][skill] are the workers of a city with a skill.
	pool []map[string][]int
	// hot are future shifts with 500 applicants (the candidates scenario).
	hot []int
}

// generate builds the dataset in memory. The same seed and scale give the
// same marketplace (IDs aside: they carry the time they were made).
func generate(seed uint64, counts Counts, skills []*ent.Skill, now time.Time) *world {
	w := &world{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), now: now, counts: counts, skills: skills,
		byCategory: map[string][]*ent.Skill{}}
	for _, s := range skills {
		w.byCategory[s.Category.String()] = append(w.byCategory[s.Category.String()], s)
	}
	w.makeEmployers()
	w.makeWorkers()
	w.makeShifts()
	w.hire()
	w.apply()
	w.work()
	w.review()
	w.score()
	return w
}

func (w *world) categories() []string {
	out := make([]string, 0, len(w.byCategory))
	for c := range w.byCategory {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

func (w *world) makeEmployers() {
	cats := w.categories()
	for range w.counts.Employers {
		city := pickCity(w.r)
		e := &employerPlan{id: pulid.New("emp"), ownerID: pulid.New("usr"), city: city,
			place: around(w.r, Cities[city].Centre, Cities[city].Sigma*0.8), category: cats[w.r.IntN(len(cats))],
			quality: 3.6 + w.r.Float64()*1.4,
			// A few big employers post most shifts.
			weight: math.Pow(w.r.Float64(), 3) + 0.05}
		w.employers = append(w.employers, e)
	}
}

func (w *world) makeWorkers() {
	cats := w.categories()
	w.pool = make([]map[string][]int, len(Cities))
	for i := range w.pool {
		w.pool[i] = map[string][]int{}
	}
	for i := range w.counts.Workers {
		city := pickCity(w.r)
		wk := &workerPlan{id: pulid.New("wkr"), userID: pulid.New("usr"), city: city,
			home: around(w.r, Cities[city].Centre, Cities[city].Sigma), skills: map[string]int{},
			radiusKm: 10 + w.r.IntN(21), quality: math.Min(5, 3.8+w.r.NormFloat64()*0.6)}
		// Most workers keep to one trade, a few to two.
		trades := 1 + w.r.IntN(2)
		for range trades {
			list := w.byCategory[cats[w.r.IntN(len(cats))]]
			for range 1 + w.r.IntN(3) {
				s := list[w.r.IntN(len(list))]
				wk.skills[s.ID] = 1 + w.r.IntN(8)
				if s.CertificateRequired && w.r.Float64() < 0.5 {
					wk.certs = append(wk.certs, s.ID)
				}
			}
		}
		for s := range wk.skills {
			w.pool[city][s] = append(w.pool[city][s], i)
		}
		w.workers = append(w.workers, wk)
	}
	// Map iteration put the pools in random order; sort for reproducibility.
	for _, bySkill := range w.pool {
		for _, list := range bySkill {
			sort.Ints(list)
		}
	}
}

func (w *world) makeShifts() {
	total := 0.0
	for _, e := range w.employers {
		total += e.weight
	}
	day := w.now.Truncate(24 * time.Hour)
	for range w.counts.Shifts {
		// An employer in proportion to its weight.
		x, ei := w.r.Float64()*total, 0
		for ei < len(w.employers)-1 && x >= w.employers[ei].weight {
			x -= w.employers[ei].weight
			ei++
		}
		e := w.employers[ei]
		list := w.byCategory[e.category]
		s := list[w.r.IntN(len(list))]
		start := day.AddDate(0, 0, w.r.IntN(60)-30).Add(time.Duration(5+w.r.IntN(14)) * time.Hour).
			Add(time.Duration(w.r.IntN(4)*15) * time.Minute)
		sh := &shiftPlan{id: pulid.New("shf"), employer: ei, place: offset(e.place, w.r.NormFloat64()*0.3, w.r.NormFloat64()*0.3),
			start: start, end: start.Add(time.Duration(4+w.r.IntN(7)) * time.Hour), skill: s.ID,
			slots: 1 + w.r.IntN(4), payRate: int64(1300 + w.r.IntN(13)*100),
			applicants: map[int]bool{}}
		// Past means worked: a shift under way has no completion or no-show
		// yet. (Counting it as past put credit events in the future, which
		// the stored score counted and a recomputation does not.)
		sh.past = !sh.end.After(w.now)
		if s.CertificateRequired && w.r.Float64() < 0.6 {
			sh.cert = s.ID
		}
		w.shifts = append(w.shifts, sh)
	}
	// The candidates scenario needs shifts with 500 applicants: pick future
	// ones in Berlin, a few per 10,000 shifts.
	for i, sh := range w.shifts {
		if len(w.hot) >= max(1, w.counts.Shifts/10_000) {
			break
		}
		if !sh.past && w.employers[sh.employer].city == 0 && sh.start.After(w.now.Add(24*time.Hour)) {
			w.hot = append(w.hot, i)
		}
	}
}

// candidate picks a worker of the shift's city with its skill (or any of
// the city) who has not applied yet and, when busy is set, is free then.
func (w *world) candidate(si int, free bool) int {
	sh := w.shifts[si]
	city := w.employers[sh.employer].city
	list := w.pool[city][sh.skill]
	for try := range 12 {
		var wi int
		if len(list) > 0 && try < 9 {
			wi = list[w.r.IntN(len(list))]
		} else {
			wi = w.r.IntN(len(w.workers))
		}
		if sh.applicants[wi] || (free && w.workers[wi].overlaps(sh.start, sh.end)) {
			continue
		}
		return wi
	}
	return -1
}

func (wk *workerPlan) overlaps(start, end time.Time) bool {
	for _, b := range wk.busy {
		if b.start.Before(end) && b.end.After(start) {
			return true
		}
	}
	return false
}

// hire fills slots until the assignments are all placed: past shifts almost
// full, future ones less so.
func (w *world) hire() {
	past, future := 0, 0
	for _, sh := range w.shifts {
		if sh.past {
			past += sh.slots
		} else {
			future += sh.slots
		}
	}
	// Past shifts are nearly full (the hires worked, were paid and
	// reviewed); future ones take the rest of the hires.
	pPast := math.Min(0.9, 0.72*float64(w.counts.Assignments)/float64(max(past, 1)))
	pFuture := math.Min(0.9, math.Max(0, float64(w.counts.Assignments)-pPast*float64(past))/float64(max(future, 1)))
	for si, sh := range w.shifts {
		p := pFuture
		if sh.past {
			p = pPast
		}
		for range sh.slots {
			if len(w.assignments) >= w.counts.Assignments || w.r.Float64() >= p {
				continue
			}
			wi := w.candidate(si, true)
			if wi < 0 {
				continue
			}
			wk := w.workers[wi]
			wk.busy = append(wk.busy, interval{sh.start, sh.end})
			sh.applicants[wi] = true
			sh.filled++
			w.assignments = append(w.assignments, &assignmentPlan{id: pulid.New("asg"), shift: si, worker: wi, status: "SCHEDULED"})
			w.applications = append(w.applications, &applicationPlan{id: pulid.New("apl"), shift: si, worker: wi, status: "HIRED",
				distanceKm: market.DistanceKm(wk.home, sh.place), createdAt: sh.start.Add(-time.Duration(24+w.r.IntN(240)) * time.Hour),
				assignmentSlot: len(w.assignments) - 1})
		}
	}
}

// apply adds the applications that did not lead to a hire: 500 to each hot
// shift, the rest spread over the others.
func (w *world) apply() {
	add := func(si int, status string) {
		wi := w.candidate(si, false)
		if wi < 0 {
			return
		}
		sh := w.shifts[si]
		sh.applicants[wi] = true
		w.applications = append(w.applications, &applicationPlan{id: pulid.New("apl"), shift: si, worker: wi, status: status,
			distanceKm: market.DistanceKm(w.workers[wi].home, sh.place),
			createdAt:  minTime(sh.start.Add(-time.Duration(1+w.r.IntN(240))*time.Hour), w.now), assignmentSlot: -1})
	}
	// A small dataset has too few workers for 500 applicants.
	crowd := min(500, len(w.workers)/2)
	for _, si := range w.hot {
		for try := 0; len(w.shifts[si].applicants) < crowd && try < 4*crowd; try++ {
			add(si, "APPLIED")
		}
	}
	futureStatuses := []string{"APPLIED", "APPLIED", "APPLIED", "APPLIED", "APPLIED", "APPLIED", "APPLIED", "SHORTLISTED", "WITHDRAWN", "REJECTED"}
	for try := 0; len(w.applications) < w.counts.Applications && try < 4*w.counts.Applications; try++ {
		si := w.r.IntN(len(w.shifts))
		if w.shifts[si].past {
			status := "REJECTED"
			if w.r.Float64() < 0.3 {
				status = "WITHDRAWN"
			}
			add(si, status)
		} else {
			add(si, futureStatuses[w.r.IntN(len(futureStatuses))])
		}
	}
}

// work plays out the past hires: most worked and were paid, a few were
// no-shows or cancelled.
func (w *world) work() {
	for ai, a := range w.assignments {
		sh := w.shifts[a.shift]
		if !sh.past {
			continue
		}
		wk, e := w.workers[a.worker], w.employers[sh.employer]
		switch x := w.r.Float64(); {
		case x < 0.03:
			a.status = "NO_SHOW"
			wk.noShows++
			w.event(a.worker, -1, credit.NoShow, 0, a.id, sh.start.Add(30*time.Minute))
		case x < 0.05:
			a.status = "CANCELLED_BY_WORKER"
		default:
			a.status = "PAID"
			wk.completed++
			w.event(a.worker, -1, credit.ShiftCompleted, 0, a.id, sh.end)
			kind := credit.WagePaidOnTime
			if w.r.Float64() < 0.06 {
				kind = credit.WagePaidLate
				e.late++
			} else {
				e.onTime++
			}
			paid := minTime(sh.end.Add(time.Duration(24+w.r.IntN(140))*time.Hour), w.now)
			w.event(-1, sh.employer, kind, 0, a.id, paid)
		}
		_ = ai
	}
}

// review writes both sides' reviews of worked shifts until the reviews are
// all placed.
func (w *world) review() {
	worked := 0
	for _, a := range w.assignments {
		if a.status == "PAID" {
			worked++
		}
	}
	p := math.Min(1, float64(w.counts.Reviews)/float64(max(2*worked, 1)))
	for ai, a := range w.assignments {
		if a.status != "PAID" || w.r.Float64() >= p {
			continue
		}
		sh := w.shifts[a.shift]
		wk, e := w.workers[a.worker], w.employers[sh.employer]
		at := minTime(sh.end.Add(time.Duration(2+w.r.IntN(72))*time.Hour), w.now)
		for _, toWorker := range []bool{true, false} {
			q, tags := e.quality, market.EmployerTags
			if toWorker {
				q, tags = wk.quality, market.WorkerTags
			}
			rv := &reviewPlan{id: pulid.New("rvw"), assignment: ai, toWorker: toWorker, rating: clampRating(q + w.r.NormFloat64()*0.7), at: at}
			for _, t := range tags {
				if w.r.Float64() < 0.2 && rv.rating >= 4 {
					rv.tags = append(rv.tags, t)
				}
			}
			w.reviews = append(w.reviews, rv)
			if toWorker {
				wk.ratingSum += float64(rv.rating)
				wk.ratingCount++
				w.event(a.worker, -1, credit.ReviewRevealed, rv.rating, rv.id, at)
			} else {
				e.ratingSum += float64(rv.rating)
				e.ratingCount++
				w.event(-1, sh.employer, credit.ReviewRevealed, rv.rating, rv.id, at)
			}
		}
	}
}

func (w *world) event(wi, ei int, kind credit.Kind, rating int, source string, at time.Time) {
	ev := &creditEventPlan{id: pulid.New("cev"), worker: wi, employer: ei, kind: kind, rating: rating, source: source,
		at: at.Truncate(time.Microsecond)}
	w.events = append(w.events, ev)
	ce := credit.Event{ID: ev.id, Kind: kind, At: ev.at, Rating: rating}
	if wi >= 0 {
		w.workers[wi].events = append(w.workers[wi].events, ce)
	} else {
		w.employers[ei].events = append(w.employers[ei].events, ce)
	}
}

// score orders the credit events as the ledger will hold them.
func (w *world) score() {
	sort.SliceStable(w.events, func(i, j int) bool { return w.events[i].at.Before(w.events[j].at) })
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// notice is one inbox row.
type notice struct {
	worker   int
	category enum.NotificationCategory
	title    string
	subject  string
	at       time.Time
	read     bool
}

// inboxes gives every worker what the marketplace would have told them:
// an offer and a reminder for each hire, word of each review, and a few
// new shifts near them; most of it read.
func (w *world) inboxes() []notice {
	var out []notice
	add := func(wi int, cat enum.NotificationCategory, title, subject string, at time.Time) {
		if at.After(w.now) {
			at = w.now.Add(-time.Duration(w.r.IntN(3600)) * time.Second)
		}
		out = append(out, notice{worker: wi, category: cat, title: title, subject: subject, at: at, read: w.r.Float64() < 0.8})
	}
	for _, a := range w.assignments {
		sh := w.shifts[a.shift]
		add(a.worker, enum.CategoryOffer, "New offer", sh.id, sh.start.Add(-48*time.Hour))
		add(a.worker, enum.CategoryReminder, "Your shift starts in 2 hours", sh.id, sh.start.Add(-2*time.Hour))
	}
	for _, rv := range w.reviews {
		if rv.toWorker {
			add(w.assignments[rv.assignment].worker, enum.CategoryReview, "You have a new review", rv.id, rv.at)
		}
	}
	for wi := range w.workers {
		for range 2 {
			sh := w.shifts[w.r.IntN(len(w.shifts))]
			add(wi, enum.CategoryShiftPublished, "A new shift near you", sh.id, sh.start.Add(-72*time.Hour))
		}
	}
	return out
}
