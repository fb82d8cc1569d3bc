package market

import (
	"context"
	"slices"
	"sync"
	"time"

	"entgo.io/contrib/entgql"
	"golang.org/x/sync/singleflight"

	"flexwork/ent"
	"flexwork/ent/assignment"
	"flexwork/ent/employer"
	"flexwork/ent/shift"
	"flexwork/ent/user"
)

// rankingTTL bounds how long a shift's ranking is served without being
// recomputed. On this process every committed change that could move it
// drops it at once (rankingHook); the TTL bounds what a change made by
// another replica of the server leaves stale.
const rankingTTL = 30 * time.Second

// ranking is a shift's applicants as Candidates ranks them: everything a
// candidate's edge shows. A kept ranking also holds the rows a page shows
// of each applicant (display); a page that asks for more of them reads
// them afresh.
type ranking struct {
	at         time.Time
	employerID string
	ranked     []rankedApplicant
	// display tells whether each ranked applicant's application, profile
	// and user are kept (rankedApplicant.app).
	display bool
	// people are the IDs of the applicants' worker profiles and, when the
	// ranking keeps them, of their users (IDs are unique across tables):
	// a change to any of them may move the ranking or what it shows.
	people map[string]bool
	// apps are the IDs of all the shift's applications, ranked or not: a
	// change to any of them may move it.
	apps []string
	// texts are the ranked applicants' factors in each language asked
	// for, by rank, made when a page first shows them: every page and
	// every member reading the language shows the same texts.
	textsMu sync.Mutex
	texts   map[string][][]MatchFactor
	// cursors are the ranks' cursors, written when a page first shows
	// them.
	cursors []CursorText
}

// fresh tells whether k is kept and in the first half of its life: served
// as it is, with nothing recomputed in the background.
func (k *ranking) fresh(now time.Time) bool {
	return k != nil && now.Sub(k.at) <= rankingTTL/2
}

// factors returns the factors of the applicants ranked start to end, in
// lang. The slices are shared: nobody may change them.
func (k *ranking) factors(lang string, start, end int) [][]MatchFactor {
	k.textsMu.Lock()
	defer k.textsMu.Unlock()
	byRank := k.texts[lang]
	if byRank == nil {
		if k.texts == nil {
			k.texts = map[string][][]MatchFactor{}
		}
		byRank = make([][]MatchFactor, len(k.ranked))
		k.texts[lang] = byRank
	}
	for i := start; i < end; i++ {
		if byRank[i] == nil {
			byRank[i] = k.ranked[i].match.in(lang)
		}
	}
	return byRank[start:end]
}

// cursorTexts returns the cursors of ranks start+1 to end. The slice is
// shared: nobody may change it.
func (k *ranking) cursorTexts(start, end int) []CursorText {
	k.textsMu.Lock()
	defer k.textsMu.Unlock()
	if k.cursors == nil {
		k.cursors = make([]CursorText, len(k.ranked))
	}
	for i := start; i < end; i++ {
		if k.cursors[i].quoted == nil {
			k.cursors[i] = newCursorText(entgql.Cursor[string]{ID: k.ranked[i].applicationID, Value: int64(i + 1)})
		}
	}
	return k.cursors[start:end]
}

type rankedApplicant struct {
	applicationID string
	// app is the application, with its worker's profile and the profile's
	// user, read when the ranking was; only in a ranking kept with display
	// rows, and shared: nobody may change it.
	app         *ent.Application
	match       Match
	eligibility Eligibility
	favourite   bool
	creditScore int
	distanceKm  *float64
}

// rankings keeps shifts' rankings: ranking ~500 applicants reads facts for
// each of them (a statement of thousands of rows) and scores them all, and
// an employer's tablet asks again with every page and every refresh.
type rankings struct {
	mu      sync.Mutex
	byShift map[string]*ranking
	// appShift and personShifts index the kept rankings by what may move
	// them.
	appShift     map[string]string
	personShifts map[string]map[string]bool
	// gen counts invalidations, and changes holds the latest of them: a
	// ranking computed while one that may move it happened may have read
	// what the change replaced, and is not kept (unmovedSince).
	gen     uint64
	changes []loggedChange
	// computing lets the requests for one shift's ranking share its
	// computation.
	computing singleflight.Group
}

func newRankings() *rankings {
	return &rankings{byShift: map[string]*ranking{}, appShift: map[string]string{}, personShifts: map[string]map[string]bool{}}
}

// get returns the shift's ranking if it is fresh, and the generation to
// hand to put with a ranking computed now.
func (r *rankings) get(shiftID string, now time.Time) (*ranking, uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if k := r.byShift[shiftID]; k != nil && now.Sub(k.at) < rankingTTL {
		return k, r.gen
	}
	return nil, r.gen
}

// put keeps k unless something was invalidated since gen was read.
func (r *rankings) put(shiftID string, k *ranking, gen uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.unmovedSince(gen, shiftID, k) {
		return
	}
	if len(r.byShift) >= 10000 { // a bound, not a policy: start again
		r.clear()
	}
	r.drop(shiftID)
	r.byShift[shiftID] = k
	for _, id := range k.apps {
		r.appShift[id] = shiftID
	}
	for w := range k.people {
		if r.personShifts[w] == nil {
			r.personShifts[w] = map[string]bool{}
		}
		r.personShifts[w][shiftID] = true
	}
}

// drop forgets one shift's ranking; r.mu is held.
func (r *rankings) drop(shiftID string) {
	k := r.byShift[shiftID]
	if k == nil {
		return
	}
	delete(r.byShift, shiftID)
	for _, id := range k.apps {
		delete(r.appShift, id)
	}
	for w := range k.people {
		delete(r.personShifts[w], shiftID)
		if len(r.personShifts[w]) == 0 {
			delete(r.personShifts, w)
		}
	}
}

func (r *rankings) clear() {
	r.byShift, r.appShift, r.personShifts = map[string]*ranking{}, map[string]string{}, map[string]map[string]bool{}
}

// invalidate forgets the rankings a change may have moved.
func (r *rankings) invalidate(ch rankingChange) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.gen++
	if r.changes = append(r.changes, loggedChange{r.gen, ch}); len(r.changes) > keptChanges {
		r.changes = slices.Delete(r.changes, 0, len(r.changes)-keptChanges)
	}
	if ch.all {
		r.clear()
		return
	}
	for _, s := range ch.shifts {
		r.drop(s)
	}
	for _, a := range ch.apps {
		if s, ok := r.appShift[a]; ok {
			r.drop(s)
		}
	}
	for _, w := range ch.people {
		for s := range r.personShifts[w] {
			r.drop(s)
		}
	}
	for _, e := range ch.employers {
		for s, k := range r.byShift {
			if k.employerID == e {
				r.drop(s)
			}
		}
	}
}

// rankingChange is what one mutation may have moved.
type rankingChange struct {
	all                             bool
	shifts, apps, people, employers []string
}

// movesRanking reports whether the change may move k, the ranking of
// shiftID.
func (ch rankingChange) movesRanking(shiftID string, k *ranking) bool {
	if ch.all || slices.Contains(ch.shifts, shiftID) || slices.Contains(ch.employers, k.employerID) {
		return true
	}
	for _, w := range ch.people {
		if k.people[w] {
			return true
		}
	}
	for _, a := range ch.apps {
		if slices.Contains(k.apps, a) {
			return true
		}
	}
	return false
}

// keptChanges bounds the log of invalidations: a ranking whose computation
// spans more of them than that is not kept, whatever they moved.
const keptChanges = 256

type loggedChange struct {
	gen uint64
	ch  rankingChange
}

// unmovedSince reports whether no invalidation after generation gen may
// have moved k: the sweeps and other shifts' applicants change rows all the
// time, and a ranking that none of them touched is as true as when its
// computation began. r.mu is held.
func (r *rankings) unmovedSince(gen uint64, shiftID string, k *ranking) bool {
	if gen == r.gen {
		return true
	}
	if len(r.changes) == 0 || r.changes[0].gen > gen+1 {
		return false // the log no longer reaches back to gen
	}
	for _, c := range r.changes {
		if c.gen > gen && c.ch.movesRanking(shiftID, k) {
			return false
		}
	}
	return true
}

// rankingChangeOf reads what a mutation may move from the mutation alone,
// without a statement: a row created names its shift, worker or employer;
// a row updated or deleted by ID names itself. Anything else (an update
// of many rows, a row whose owner the mutation does not carry) forgets
// every ranking.
func rankingChangeOf(mu ent.Mutation) (rankingChange, bool) {
	field := func(name string) []string {
		if v, ok := mu.Field(name); ok {
			if s, ok := v.(string); ok && s != "" {
				return []string{s}
			}
		}
		return nil
	}
	id := func() []string {
		if m, ok := mu.(interface{ ID() (string, bool) }); ok {
			if v, ok := m.ID(); ok && (mu.Op().Is(ent.OpUpdateOne) || mu.Op().Is(ent.OpDeleteOne)) {
				return []string{v}
			}
		}
		return nil
	}
	created := mu.Op().Is(ent.OpCreate)
	if mu.Op().Is(ent.OpUpdate|ent.OpUpdateOne) && onlyUnranked(mu) {
		return rankingChange{}, false
	}
	var ch rankingChange
	switch mu.Type() {
	case ent.TypeApplication:
		if created {
			ch.shifts = field("shift_id")
		} else {
			ch.apps = id()
		}
	case ent.TypeShift, ent.TypeEmployer, ent.TypeWorkerProfile:
		if created { // a new row is in no ranking yet
			return ch, false
		}
		switch mu.Type() {
		case ent.TypeShift:
			ch.shifts = id()
		case ent.TypeEmployer:
			ch.employers = id()
		default:
			ch.people = id()
		}
	case ent.TypeRosterEntry:
		if created {
			ch.employers = field("employer_id")
		}
	case ent.TypeWorkerSkill, ent.TypeCertification, ent.TypeCourseCompletion, ent.TypeAssignment:
		if created {
			ch.people = field("worker_id")
		}
	case ent.TypeUser: // a ranking kept with display rows shows applicants' names
		if created {
			return ch, false
		}
		ch.people = id()
	case ent.TypeCourse, ent.TypeSkill:
	default:
		return ch, false
	}
	ch.all = ch.shifts == nil && ch.apps == nil && ch.people == nil && ch.employers == nil
	return ch, true
}

// unranked are columns that no ranking reads, of rows whose other columns
// some ranking does: an organisation's scores and figures, which the sweep
// refreshes a batch at a time; a shift's status, publication, boost and
// backfill cascade, which the sweep and other shifts' hires move (rank
// reads the shift's facts, and Candidates the shift itself afresh); an
// assignment's check-in, reminder and briefing (a ranking reads its times
// and status); a user's sign-in and notification settings, which no page
// shows. A change of these alone dropped every ranking of the
// organisation, or every ranking at all (an update of many rows).
var unranked = map[string][]string{
	// A user's sign-in, notification and auditing settings: no page shows them.
	ent.TypeUser: {user.FieldUpdatedAt, user.FieldPasswordHash, user.FieldFirebaseUID, user.FieldQuietHoursStart,
		user.FieldQuietHoursEnd, user.FieldPushOptOuts, user.FieldDailyShiftPushCap, user.FieldAuditorFor},
	ent.TypeEmployer: {employer.FieldUpdatedAt, employer.FieldCreditScore, employer.FieldCreditProvisional, employer.FieldCreditAsOf,
		employer.FieldRatingAvg, employer.FieldRatingCount, employer.FieldPaidOnTime, employer.FieldPaidLate,
		employer.FieldRightsScore, employer.FieldRightsFigures, employer.FieldRightsAsOf},
	ent.TypeShift: {shift.FieldUpdatedAt, shift.FieldStatus, shift.FieldPublishedAt, shift.FieldFilled,
		shift.FieldBoost, shift.FieldBoostCap, shift.FieldBackfill, shift.FieldBackfillAt},
	ent.TypeAssignment: {assignment.FieldUpdatedAt, assignment.FieldCheckedInAt, assignment.FieldCheckInLat, assignment.FieldCheckInLng,
		assignment.FieldCheckedOutAt, assignment.FieldCheckOutLat, assignment.FieldCheckOutLng,
		assignment.FieldRemindedAt, assignment.FieldBriefingAcknowledgedAt},
}

// onlyUnranked reports whether an update changes nothing but unranked
// columns: no other field, and no edge.
func onlyUnranked(mu ent.Mutation) bool {
	cols := unranked[mu.Type()]
	if cols == nil || len(mu.AddedEdges())+len(mu.RemovedEdges())+len(mu.ClearedEdges()) > 0 {
		return false
	}
	for _, f := range slices.Concat(mu.Fields(), mu.AddedFields(), mu.ClearedFields()) {
		if !slices.Contains(cols, f) {
			return false
		}
	}
	return true
}

// rankingHook drops the rankings a mutation may move once it is
// committed (at once when it runs outside a transaction). Dropping before
// the commit would let a request still reading the old rows keep them.
func (r *rankings) rankingHook(next ent.Mutator) ent.Mutator {
	return ent.MutateFunc(func(ctx context.Context, mu ent.Mutation) (ent.Value, error) {
		ch, moves := rankingChangeOf(mu)
		v, err := next.Mutate(ctx, mu)
		if n, many := v.(int); err != nil || !moves || (many && n == 0) { // an update or delete of no rows moves nothing
			return v, err
		}
		if t, ok := mu.(interface{ Tx() (*ent.Tx, error) }); ok {
			if tx, txErr := t.Tx(); txErr == nil {
				tx.OnCommit(func(next ent.Committer) ent.Committer {
					return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
						err := next.Commit(ctx, tx)
						if err == nil {
							r.invalidate(ch)
						}
						return err
					})
				})
				return v, nil
			}
		}
		r.invalidate(ch)
		return v, nil
	})
}
