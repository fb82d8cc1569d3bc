package market

import (
	"context"
	"slices"
	"sort"
	"strconv"

	"entgo.io/contrib/entgql"

	"flexwork/ent"
	"flexwork/ent/application"
	"flexwork/ent/assignment"
	"flexwork/ent/rosterentry"
	"flexwork/ent/rule"
	"flexwork/ent/viewer"
	"flexwork/ent/workerprofile"
	"flexwork/i18n"
)

// Candidate is an applicant as the employer's tablet ranks them.
type Candidate struct {
	Cursor      CursorText
	Application *ent.Application
	Rank        int
	// MatchScore is 0–100; Factors explain it, in the viewer's language.
	MatchScore  int
	Factors     []MatchFactor
	DistanceKm  *float64
	Favourite   bool
	CreditScore int
	// Eligibility is the applicant's screening for the shift now; it may
	// have changed since they applied (another hire, an expired certificate).
	Eligibility Eligibility
}

// CandidatePage is a page of ranked candidates.
type CandidatePage struct {
	Edges      []*Candidate
	PageInfo   entgql.PageInfo[string]
	TotalCount int
}

// candidateStatuses are the applications still in play.
var candidateStatuses = []application.Status{application.StatusAPPLIED, application.StatusSHORTLISTED, application.StatusOFFERED}

// Candidates ranks a shift's applicants by match score for any member of
// its employer; collect adds what the caller displays of each application
// and never narrows what ranking reads. Blocked workers are left out. The
// whole field is ranked — a few queries in all, whatever its size — and
// the ranking kept until something that may move it changes (rankings);
// each page then reads only its own applications. The cursor is the rank.
func (m *Market) Candidates(ctx context.Context, shiftID string, first *int, after *entgql.Cursor[string],
	collect func(*ent.ApplicationQuery) (*ent.ApplicationQuery, error)) (*CandidatePage, error) {
	pageSize := 20
	if first != nil {
		pageSize = *first
	}
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	c := m.client(ctx)
	k, err := m.rankingFor(ctx, c, v, shiftID)
	if err != nil {
		return nil, err
	}
	start := 0
	if after != nil {
		start = int(cursorInt(after.Value))
	}
	start = min(max(start, 0), len(k.ranked))
	end := min(start+pageSize, len(k.ranked))
	byID, err := pageApplications(ctx, c, v, k, start, end, collect)
	if err != nil {
		return nil, err
	}
	page := &CandidatePage{TotalCount: len(k.ranked)}
	factors, cursors := k.factors(i18n.Language(ctx), start, end), k.cursorTexts(start, end)
	for i, r := range k.ranked[start:end] {
		a := byID(r)
		if a == nil {
			continue // withdrawn since, by a change another replica made
		}
		rank := start + i + 1
		page.Edges = append(page.Edges, &Candidate{
			Cursor:      cursors[i],
			Application: a, Rank: rank, MatchScore: r.match.Score, Factors: factors[i], DistanceKm: r.distanceKm,
			Favourite: r.favourite, CreditScore: r.creditScore, Eligibility: r.eligibility,
		})
	}
	page.PageInfo.HasNextPage = end < len(k.ranked)
	page.PageInfo.HasPreviousPage = start > 0
	if n := len(page.Edges); n > 0 {
		page.PageInfo.StartCursor = &entgql.Cursor[string]{ID: page.Edges[0].Application.ID, Value: int64(page.Edges[0].Rank)}
		page.PageInfo.EndCursor = &entgql.Cursor[string]{ID: page.Edges[n-1].Application.ID, Value: int64(page.Edges[n-1].Rank)}
	}
	return page, nil
}

// pageApplications returns how to find the application of each applicant
// ranked start to end, with what the client displays of it. A ranking kept
// with display rows holds them, and serves them when they are all the
// client asked for: any member of the shift's employer may read them but an
// auditor (who reads no one's profile), and the ranking is dropped by any
// change to them on this process, or recomputed within rankingTTL of a
// change made by another. Otherwise they are read under the viewer.
func pageApplications(ctx context.Context, c *ent.Client, v *viewer.Viewer, k *ranking, start, end int,
	collect func(*ent.ApplicationQuery) (*ent.ApplicationQuery, error)) (func(rankedApplicant) *ent.Application, error) {
	q, err := forDisplay(c.Application.Query(), collect)
	if err != nil {
		return nil, err
	}
	if k.display && !v.Auditor && loadsOnlyDisplayRows(q) {
		return func(r rankedApplicant) *ent.Application { return r.app }, nil
	}
	ids := make([]string, 0, end-start)
	for _, r := range k.ranked[start:end] {
		ids = append(ids, r.applicationID)
	}
	apps, err := q.Where(application.IDIn(ids...)).All(ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*ent.Application, len(apps))
	for _, a := range apps {
		byID[a.ID] = a
	}
	return func(r rankedApplicant) *ent.Application { return byID[r.applicationID] }, nil
}

// loadsOnlyDisplayRows reports whether q, a page's query after field
// collection, loads nothing a kept ranking does not hold: applications,
// their workers' profiles and the profiles' users.
func loadsOnlyDisplayRows(q *ent.ApplicationQuery) bool {
	loads, ok := q.EagerLoads()
	if !ok {
		return false
	}
	for edge, wq := range loads {
		if edge != application.EdgeWorker {
			return false
		}
		loads, ok := wq.(*ent.WorkerProfileQuery).EagerLoads()
		if !ok {
			return false
		}
		for edge, uq := range loads {
			if edge != workerprofile.EdgeUser {
				return false
			}
			if loads, ok := uq.(*ent.UserQuery).EagerLoads(); !ok || len(loads) > 0 {
				return false
			}
		}
	}
	return true
}

// rankingFor returns the ranking of a shift of the viewer's employer. Most
// requests find it kept and fresh, and answer without a statement: the
// ranking names the shift's employer, which never changes, and a member of
// an employer sees all its shifts (FilterVisibleShifts), so the membership
// is all there is to check. Otherwise the shift is read under the viewer.
func (m *Market) rankingFor(ctx context.Context, c *ent.Client, v *viewer.Viewer, shiftID string) (*ranking, error) {
	if k := m.freshRanking(c, shiftID); k != nil {
		if !v.IsMember(k.employerID) {
			return nil, NotFound("shift")
		}
		return k, nil
	}
	s, err := c.Shift.Get(ctx, shiftID)
	if ent.IsNotFound(err) || (err == nil && !v.IsMember(s.EmployerID)) {
		return nil, NotFound("shift")
	}
	if err != nil {
		return nil, err
	}
	return m.ranking(ctx, c, s)
}

// freshRanking is the shift's kept ranking while it is in the first half
// of its life; never one inside a transaction, which may have written what
// a kept one does not show.
func (m *Market) freshRanking(c *ent.Client, shiftID string) *ranking {
	if m.rankings == nil || c != m.db {
		return nil
	}
	now := m.Now()
	if k, _ := m.rankings.get(shiftID, now); k.fresh(now) {
		return k
	}
	return nil
}

// ranking returns the shift's applicants ranked, from memory when nothing
// that may move the ranking changed since it was computed. Inside a
// transaction that may have written, it is computed and not kept.
func (m *Market) ranking(ctx context.Context, c *ent.Client, s *ent.Shift) (*ranking, error) {
	if m.rankings == nil || c != m.db {
		return m.rank(ctx, c, s, false)
	}
	now := m.Now()
	k, gen := m.rankings.get(s.ID, now)
	if k.fresh(now) {
		return k, nil // nothing to compute, nor to start
	}
	// The members asking at once wait for one ranking; it is computed
	// whatever becomes of the request that started it. A request that
	// came after a change (a later generation) does not wait for a ranking
	// begun before it.
	key := s.ID + "@" + strconv.FormatUint(gen, 10)
	compute := func() (any, error) {
		k, err := m.rank(context.WithoutCancel(ctx), c, s, true)
		if err == nil {
			m.rankings.put(s.ID, k, gen)
		}
		return k, err
	}
	if k != nil {
		// Past half its life a ranking is computed again in the
		// background, so that the tablets reading it do not all wait for
		// it when it expires.
		m.rankings.computing.DoChan(key, compute)
		return k, nil
	}
	v, err, _ := m.rankings.computing.Do(key, compute)
	if err != nil {
		return nil, err
	}
	return v.(*ranking), nil
}

// rank ranks the shift's applicants: a few statements, whatever their
// number. A ranking to keep also keeps what a page shows of each of them.
func (m *Market) rank(ctx context.Context, c *ent.Client, s *ent.Shift, keep bool) (*ranking, error) {
	// Every application of the shift is read (the ranking is indexed by
	// all of them), through the system context: the caller is a member,
	// and what each page shows is read again under their own.
	apps, err := c.Application.Query().
		Where(application.ShiftID(s.ID)).
		Order(ent.Asc(application.FieldCreatedAt), ent.Asc(application.FieldID)).
		All(rule.System(ctx))
	if err != nil {
		return nil, err
	}
	k := &ranking{at: m.Now(), employerID: s.EmployerID, people: map[string]bool{}, apps: make([]string, len(apps))}
	var workerIDs []string
	for i, a := range apps {
		k.apps[i] = a.ID
		if slices.Contains(candidateStatuses, a.Status) {
			workerIDs = append(workerIDs, a.WorkerID)
			k.people[a.WorkerID] = true
		}
	}
	facts, err := m.shiftFacts(ctx, s)
	if err != nil {
		return nil, err
	}
	workers, err := m.loadWorkerFacts(ctx, c, workerIDs, facts, false)
	if err != nil {
		return nil, err
	}
	roster, err := onRoster(ctx, c, s.EmployerID, workerIDs)
	if err != nil {
		return nil, err
	}
	past, err := pastShifts(ctx, c, s.EmployerID, workerIDs)
	if err != nil {
		return nil, err
	}
	for _, a := range apps {
		w := workers[a.WorkerID]
		if !slices.Contains(candidateStatuses, a.Status) || w == nil || roster[a.WorkerID] == rosterentry.KindBLOCKED {
			continue
		}
		fav := roster[a.WorkerID] == rosterentry.KindFAVOURITE
		k.ranked = append(k.ranked, rankedApplicant{
			applicationID: a.ID, app: a, favourite: fav, creditScore: w.CreditScore,
			distanceKm:  CoarseDistance(a.DistanceKm),
			match:       MatchScore(MatchInput{Shift: facts[0], Worker: w, PastShifts: past[a.WorkerID], Favourite: fav}),
			eligibility: Screen(facts[0], w).ForEmployer(),
		})
	}
	// Stable: equal scores keep the order of application.
	sort.SliceStable(k.ranked, func(i, j int) bool { return k.ranked[i].match.Score > k.ranked[j].match.Score })
	if keep {
		return k, keepDisplayRows(ctx, c, k)
	}
	k.forgetDisplayRows() // read again for each page, under its viewer
	return k, nil
}

// keepDisplayRows reads the ranked applicants' worker profiles and their
// users, through the root client so that they stay usable after this
// request, and hangs them on the applications: a tablet reading a page of
// 50 candidates otherwise reads 150 rows in three statements each time.
func keepDisplayRows(ctx context.Context, c *ent.Client, k *ranking) error {
	ids := make([]string, len(k.ranked))
	for i, r := range k.ranked {
		ids[i] = r.app.WorkerID
	}
	profiles, err := c.WorkerProfile.Query().Where(workerprofile.IDIn(ids...)).WithUser().All(rule.System(ctx))
	if err != nil {
		return err
	}
	byID := make(map[string]*ent.WorkerProfile, len(profiles))
	for _, p := range profiles {
		byID[p.ID] = p
		k.people[p.UserID] = true
	}
	for _, r := range k.ranked {
		if byID[r.app.WorkerID] == nil { // a profile gone since: pages read their rows
			k.forgetDisplayRows()
			return nil
		}
	}
	for _, r := range k.ranked {
		r.app.Edges.Worker = byID[r.app.WorkerID]
	}
	k.display = true
	return nil
}

// pastShifts counts, per worker, the shifts they completed for an employer.
func pastShifts(ctx context.Context, c *ent.Client, employerID string, workerIDs []string) (map[string]int, error) {
	var rows []struct {
		WorkerID string `json:"worker_id"`
		Count    int    `json:"count"`
	}
	err := c.Assignment.Query().
		Where(assignment.EmployerID(employerID), assignment.WorkerIDIn(workerIDs...),
			assignment.StatusIn(assignment.StatusAPPROVED, assignment.StatusPAID)).
		GroupBy(assignment.FieldWorkerID).
		Aggregate(ent.Count()).
		Scan(rule.System(ctx), &rows)
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.WorkerID] = r.Count
	}
	return out, err
}

// Cursor values come back from the client through msgpack, which may widen
// or narrow numbers.
func cursorInt(v any) int64 {
	switch n := v.(type) {
	case int64:
		return n
	case int:
		return int64(n)
	case int32:
		return int64(n)
	case uint64:
		return int64(n)
	case float64:
		return int64(n)
	}
	return 0
}

// forgetDisplayRows drops the applications rank read, for a ranking that
// does not keep them.
func (k *ranking) forgetDisplayRows() {
	for i := range k.ranked {
		k.ranked[i].app = nil
	}
}
