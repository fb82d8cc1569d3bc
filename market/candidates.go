package market

import (
	"context"
	"sort"

	"entgo.io/contrib/entgql"

	"flexwork/ent"
	"flexwork/ent/application"
	"flexwork/ent/assignment"
	"flexwork/ent/rosterentry"
	"flexwork/ent/rule"
)

// Candidate is an applicant as the employer's tablet ranks them.
type Candidate struct {
	Cursor      entgql.Cursor[string]
	Application *ent.Application
	Rank        int
	Match       Match
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
// whole field is scored —
// a few queries in all, whatever its size — then the page is cut from the
// ranking; the cursor is the rank.
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
	s, err := c.Shift.Get(ctx, shiftID)
	if ent.IsNotFound(err) || (err == nil && !v.IsMember(s.EmployerID)) {
		return nil, NotFound("shift")
	}
	if err != nil {
		return nil, err
	}
	q := c.Application.Query().
		Where(application.ShiftID(shiftID), application.StatusIn(candidateStatuses...)).
		Order(ent.Asc(application.FieldCreatedAt), ent.Asc(application.FieldID))
	if q, err = forDisplay(q, collect); err != nil {
		return nil, err
	}
	apps, err := q.All(ctx)
	if err != nil {
		return nil, err
	}
	facts, err := m.shiftFacts(ctx, s)
	if err != nil {
		return nil, err
	}
	workerIDs := make([]string, len(apps))
	for i, a := range apps {
		workerIDs[i] = a.WorkerID
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
	var all []*Candidate
	for _, a := range apps {
		w := workers[a.WorkerID]
		if w == nil || roster[a.WorkerID] == rosterentry.KindBLOCKED {
			continue
		}
		fav := roster[a.WorkerID] == rosterentry.KindFAVOURITE
		cand := &Candidate{
			Application: a, Favourite: fav, CreditScore: w.CreditScore, DistanceKm: CoarseDistance(a.DistanceKm),
			Match:       MatchScore(MatchInput{Shift: facts[0], Worker: w, PastShifts: past[a.WorkerID], Favourite: fav}),
			Eligibility: Screen(facts[0], w).ForEmployer(),
		}
		all = append(all, cand)
	}
	// Stable: equal scores keep the order of application.
	sort.SliceStable(all, func(i, j int) bool { return all[i].Match.Score > all[j].Match.Score })
	for i, cand := range all {
		cand.Rank = i + 1
		cand.Cursor = entgql.Cursor[string]{ID: cand.Application.ID, Value: int64(cand.Rank)}
	}
	start := 0
	if after != nil {
		start = int(cursorInt(after.Value))
	}
	start = min(max(start, 0), len(all))
	end := min(start+pageSize, len(all))
	page := &CandidatePage{Edges: all[start:end], TotalCount: len(all)}
	page.PageInfo.HasNextPage = end < len(all)
	page.PageInfo.HasPreviousPage = start > 0
	if n := len(page.Edges); n > 0 {
		page.PageInfo.StartCursor = &page.Edges[0].Cursor
		page.PageInfo.EndCursor = &page.Edges[n-1].Cursor
	}
	return page, nil
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

// MatchScore is the candidate's score, 0–100.
func (c *Candidate) MatchScore() int { return c.Match.Score }

// Factors explain the score.
func (c *Candidate) Factors() []MatchFactor { return c.Match.Factors }

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
