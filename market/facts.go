package market

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"flexwork/ent"
	"flexwork/ent/application"
	"flexwork/ent/assignment"
	"flexwork/ent/certification"
	"flexwork/ent/coursecompletion"
	"flexwork/ent/rosterentry"
	"flexwork/ent/rule"
	"flexwork/ent/workerprofile"
	"flexwork/ent/workerskill"
)

// Facts are loaded in bulk — a fixed number of queries however many shifts
// or workers — and as the system: screening needs to know that a worker is
// blocked or busy elsewhere even though neither the worker nor this employer
// may read those rows. Only the rules' verdicts leave market.

// holdingStatuses are the assignment states that keep a worker's time booked.
var holdingStatuses = []assignment.Status{
	assignment.StatusSCHEDULED, assignment.StatusCHECKED_IN, assignment.StatusCHECKED_OUT,
	assignment.StatusAPPROVED, assignment.StatusPAID,
}

// shiftFacts turns shifts into screening facts; skill names come from the
// taxonomy in memory.
func (m *Market) shiftFacts(ctx context.Context, shifts ...*ent.Shift) ([]ShiftFacts, error) {
	out := make([]ShiftFacts, len(shifts))
	for i, s := range shifts {
		f := ShiftFacts{
			ID: s.ID, EmployerID: s.EmployerID, Start: s.StartsAt, End: s.EndsAt, TimeZone: s.TimeZone,
			Place: GeoPoint{Lat: s.Lat, Lng: s.Lng}, MinCreditScore: s.MinCreditScore, MaxDistanceKm: s.MaxDistanceKm,
			NewcomersAllowed: s.NewcomersAllowed, HourlyRate: s.HourlyRate, Currency: s.Currency,
			EngagementType: s.EngagementType, WeekMinute: s.WeekMinute, WeekMinutes: s.WeekMinutes,
		}
		var err error
		if f.RequiredSkills, err = m.skillRefs(ctx, s.RequiredSkillIds); err != nil {
			return nil, err
		}
		if f.RequiredCerts, err = m.skillRefs(ctx, s.RequiredCertificationIds); err != nil {
			return nil, err
		}
		if f.RequiredCourses, err = m.requiredCourses(ctx, s); err != nil {
			return nil, err
		}
		out[i] = f
	}
	return out, nil
}

// loadWorkerFacts loads the facts of many workers for screening against the
// given shifts in one statement: the profiles, skills, verified
// certificates, course passes, assignments in the shifts' span and blocks by their
// employers, as rows of one shape (a UNION ALL), so a feed or a page of
// candidates costs one round trip for all of it.
//
// With applications, it also reads which of the shifts each worker applied
// to (WorkerFacts.Applications): the feed shows that on every row.
func (m *Market) loadWorkerFacts(ctx context.Context, c *ent.Client, workerIDs []string, shifts []ShiftFacts,
	applications bool) (map[string]*WorkerFacts, error) {
	out := make(map[string]*WorkerFacts, len(workerIDs))
	if len(workerIDs) == 0 {
		return out, nil
	}
	query, args := factsQuery(m.dialect, workerIDs, shifts, applications)
	rows, err := c.QueryContext(rule.System(ctx), query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	// UNION ALL promises no order (PostgreSQL may run branches in parallel):
	// read everything, then build the profiles before what hangs off them.
	type row struct {
		kind, worker string
		ref, ref2    sql.NullString
		n1, n2       sql.NullInt64
		x, y, z      sql.NullFloat64
		t1, t2       any
	}
	var rest []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.kind, &r.worker, &r.ref, &r.ref2, &r.n1, &r.n2, &r.x, &r.y, &r.z, &r.t1, &r.t2); err != nil {
			return nil, err
		}
		if r.kind != "profile" {
			rest = append(rest, r)
			continue
		}
		w := &WorkerFacts{
			WorkerID: r.worker, CreditScore: int(r.n1.Int64), RatingCount: int(r.n2.Int64), RatingAvg: r.x.Float64,
		}
		if r.y.Valid && r.z.Valid {
			w.Home = &GeoPoint{Lat: r.y.Float64, Lng: r.z.Float64}
		}
		w.CompletedShifts, _ = strconv.Atoi(r.ref.String)
		if r.ref2.Valid && r.ref2.String != "" && r.ref2.String != "null" {
			if err := json.Unmarshal([]byte(r.ref2.String), &w.Prefs.EngagementTypes); err != nil {
				return nil, fmt.Errorf("facts: engagement types of %s: %w", r.worker, err)
			}
		}
		out[r.worker] = w
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, r := range rest {
		w := out[r.worker]
		if w == nil {
			continue // no profile, no facts
		}
		switch r.kind {
		case "skill":
			put(&w.Skills, r.ref.String, int(r.n1.Int64))
		case "cert":
			exp, err := scanTime(r.t1)
			if err != nil {
				return nil, err
			}
			put(&w.Certs, r.ref.String, append(w.Certs[r.ref.String], exp))
		case "course":
			exp, err := scanTime(r.t1)
			if err != nil {
				return nil, err
			}
			if exp != nil && exp.After(w.Courses[r.ref.String]) {
				put(&w.Courses, r.ref.String, *exp)
			}
		case "busy":
			from, err := scanTime(r.t1)
			if err != nil {
				return nil, err
			}
			to, err := scanTime(r.t2)
			if err != nil {
				return nil, err
			}
			if from != nil && to != nil {
				w.Busy = append(w.Busy, Interval{*from, *to})
			}
		case "blocked":
			put(&w.BlockedBy, r.ref.String, true)
		case "applied":
			put(&w.Applications, r.ref.String, r.ref2.String)
		case "prefs":
			if err := w.Prefs.read(r.ref, r.ref2, r.n1, r.n2); err != nil {
				return nil, fmt.Errorf("facts: preferences of %s: %w", r.worker, err)
			}
		}
	}
	return out, nil
}

// put sets m[k], making m on its first entry: a worker's facts keep nil
// maps for what they have none of (most have no certificates, courses,
// blocks or applications), and a live subscriber holds its facts for as
// long as it stays subscribed.
func put[K comparable, V any](m *map[K]V, k K, v V) {
	if *m == nil {
		*m = map[K]V{}
	}
	(*m)[k] = v
}

// factsQuery is the statement of loadWorkerFacts and its arguments. Its
// text depends only on the shape of the call (how many workers, shifts and
// employers), so ent's builder writes each shape once, with a factsSlot
// where each value goes (buildFacts), and each call fills in its own
// values in the builder's order: building it anew cost a feed page some
// 70 µs of CPU, as much as the rest of the page's screening.
func factsQuery(dialectName string, workerIDs []string, shifts []ShiftFacts, applications bool) (string, []any) {
	shape := factsShape{dialect: dialectName, workers: len(workerIDs), shifts: len(shifts), applications: applications}
	var (
		employers []string
		from, to  time.Time
	)
	if len(shifts) > 0 {
		from, to = shifts[0].Start, shifts[0].End
		seen := map[string]bool{}
		for _, s := range shifts {
			if s.Start.Before(from) {
				from = s.Start
			}
			if s.End.After(to) {
				to = s.End
			}
			if !seen[s.EmployerID] {
				seen[s.EmployerID] = true
				employers = append(employers, s.EmployerID)
			}
		}
		if len(employers) == 1 && employers[0] == "" {
			employers = nil // a horizon with no employer (a Screener) needs every block
		}
		shape.employers = len(employers)
	}
	st := factsStatements.get(shape)
	args := make([]any, len(st.args))
	for i, a := range st.args {
		s, ok := a.(factsSlot)
		if !ok {
			args[i] = a // a constant of the statement: a status, a flag
			continue
		}
		switch s.of {
		case factsWorker:
			args[i] = workerIDs[s.i]
		case factsShift:
			args[i] = shifts[s.i].ID
		case factsEmployer:
			args[i] = employers[s.i]
		case factsFrom:
			args[i] = from
		case factsTo:
			args[i] = to
		}
	}
	return st.text, args
}

// factsShape is what the text of loadWorkerFacts's statement depends on.
type factsShape struct {
	dialect                    string
	workers, shifts, employers int
	applications               bool
}

// factsSlot stands, in a built statement's arguments, for the value a
// call fills in: the i-th worker, shift or employer, or the span's ends.
type factsSlot struct {
	of factsValue
	i  int
}

type factsValue int

const (
	factsWorker factsValue = iota
	factsShift
	factsEmployer
	factsFrom
	factsTo
)

type factsStatement struct {
	text string
	args []any
}

// factsStatements keeps the built shapes. A feed has a handful (one
// worker, a page's shifts and employers); rankings add one per count of
// applicants. The bound only keeps a stream of odd shapes from growing it.
var factsStatements = &factsStatementCache{built: map[factsShape]factsStatement{}}

type factsStatementCache struct {
	mu    sync.RWMutex
	built map[factsShape]factsStatement
}

func (c *factsStatementCache) get(shape factsShape) factsStatement {
	c.mu.RLock()
	st, ok := c.built[shape]
	c.mu.RUnlock()
	if ok {
		return st
	}
	st = buildFacts(shape)
	c.mu.Lock()
	if len(c.built) >= 4096 {
		clear(c.built)
	}
	c.built[shape] = st
	c.mu.Unlock()
	return st
}

// buildFacts builds the statement of loadWorkerFacts for a shape, with a
// factsSlot for each value. Every branch has the same columns: kind,
// worker, ref, ref2, n1, n2, x, y, z, t1, t2.
func buildFacts(shape factsShape) factsStatement {
	dialectName := shape.dialect
	d := entsql.Dialect(dialectName)
	ids := make([]any, shape.workers)
	for i := range ids {
		ids[i] = factsSlot{factsWorker, i}
	}
	null := func(typ string) string { return "CAST(NULL AS " + typ + ")" }
	var (
		text, integer, float, stamp = "TEXT", "BIGINT", "DOUBLE PRECISION", "TIMESTAMP WITH TIME ZONE"
	)
	if dialectName == dialect.SQLite {
		integer, float, stamp = "INTEGER", "REAL", "TIMESTAMP"
	}
	branch := func(table, kind, ref, n1, n2, x, y, z, t1, t2 string) *entsql.Selector {
		t := entsql.Table(table)
		return d.Select().From(t).Where(entsql.In(t.C("worker_id"), ids...)).AppendSelectExpr(entsql.ExprFunc(func(b *entsql.Builder) {
			b.WriteString("'" + kind + "', " + t.C("worker_id") + ", " + ref + ", " + null(text) + ", " + n1 + ", " + n2 + ", " +
				x + ", " + y + ", " + z + ", " + t1 + ", " + t2)
		}))
	}
	col := func(table, c string) string { return d.Table(table).C(c) }
	profiles := entsql.Table(workerprofile.Table)
	q := d.Select().From(profiles).Where(entsql.In(profiles.C(workerprofile.FieldID), ids...)).
		AppendSelectExpr(entsql.ExprFunc(func(b *entsql.Builder) {
			b.WriteString("'profile', " + profiles.C(workerprofile.FieldID) + ", CAST(" + profiles.C(workerprofile.FieldCompletedShifts) +
				" AS " + text + "), CAST(" + profiles.C(workerprofile.FieldEngagementTypes) + " AS " + text + "), " +
				profiles.C(workerprofile.FieldCreditScore) + ", " + profiles.C(workerprofile.FieldRatingCount) + ", " +
				profiles.C(workerprofile.FieldRatingAvg) + ", " + profiles.C(workerprofile.FieldHomeLat) + ", " +
				profiles.C(workerprofile.FieldHomeLng) + ", " + null(stamp) + ", " + null(stamp))
		}))
	// Preferences: availability, the currency of the least rate, the least
	// rate and the travel radius.
	prefs := entsql.Table(workerprofile.Table)
	q.UnionAll(d.Select().From(prefs).Where(entsql.In(prefs.C(workerprofile.FieldID), ids...)).
		AppendSelectExpr(entsql.ExprFunc(func(b *entsql.Builder) {
			b.WriteString("'prefs', " + prefs.C(workerprofile.FieldID) + ", CAST(" + prefs.C(workerprofile.FieldAvailability) + " AS " + text + "), " +
				prefs.C(workerprofile.FieldCurrency) + ", " + prefs.C(workerprofile.FieldMinHourlyRate) + ", " +
				prefs.C(workerprofile.FieldTravelRadiusKm) + ", " + null(float) + ", " + null(float) + ", " + null(float) + ", " +
				null(stamp) + ", " + null(stamp))
		})))
	q.UnionAll(branch(workerskill.Table, "skill", col(workerskill.Table, workerskill.FieldSkillID),
		col(workerskill.Table, workerskill.FieldYears), null(integer), null(float), null(float), null(float), null(stamp), null(stamp)))
	certs := branch(certification.Table, "cert", col(certification.Table, certification.FieldSkillID),
		null(integer), null(integer), null(float), null(float), null(float), col(certification.Table, certification.FieldExpiresOn), null(stamp))
	certs.Where(entsql.EQ(col(certification.Table, certification.FieldStatus), certification.StatusVERIFIED.String()))
	q.UnionAll(certs)
	courses := branch(coursecompletion.Table, "course", col(coursecompletion.Table, coursecompletion.FieldCourseID),
		null(integer), null(integer), null(float), null(float), null(float), col(coursecompletion.Table, coursecompletion.FieldExpiresAt), null(stamp))
	courses.Where(entsql.EQ(col(coursecompletion.Table, coursecompletion.FieldPassed), true))
	q.UnionAll(courses)
	if shape.shifts > 0 {
		from, to := factsSlot{factsFrom, 0}, factsSlot{factsTo, 0}
		statuses := make([]any, len(holdingStatuses))
		for i, st := range holdingStatuses {
			statuses[i] = st.String()
		}
		busy := branch(assignment.Table, "busy", null(text), null(integer), null(integer), null(float), null(float), null(float),
			col(assignment.Table, assignment.FieldStartsAt), col(assignment.Table, assignment.FieldEndsAt))
		busy.Where(entsql.And(entsql.In(col(assignment.Table, assignment.FieldStatus), statuses...),
			entsql.LT(col(assignment.Table, assignment.FieldStartsAt), to), entsql.GT(col(assignment.Table, assignment.FieldEndsAt), from)))
		q.UnionAll(busy)
		blocked := branch(rosterentry.Table, "blocked", col(rosterentry.Table, rosterentry.FieldEmployerID), null(integer), null(integer),
			null(float), null(float), null(float), null(stamp), null(stamp))
		blocked.Where(entsql.EQ(col(rosterentry.Table, rosterentry.FieldKind), rosterentry.KindBLOCKED.String()))
		if shape.employers > 0 {
			list := make([]any, shape.employers)
			for i := range list {
				list[i] = factsSlot{factsEmployer, i}
			}
			blocked.Where(entsql.In(col(rosterentry.Table, rosterentry.FieldEmployerID), list...))
		} // else: a horizon with no employer (a Screener) needs every block
		q.UnionAll(blocked)
		if shape.applications {
			shiftIDs := make([]any, shape.shifts)
			for i := range shiftIDs {
				shiftIDs[i] = factsSlot{factsShift, i}
			}
			apps := entsql.Table(application.Table)
			q.UnionAll(d.Select().From(apps).Where(entsql.And(entsql.In(apps.C(application.FieldWorkerID), ids...),
				entsql.In(apps.C(application.FieldShiftID), shiftIDs...))).AppendSelectExpr(entsql.ExprFunc(func(b *entsql.Builder) {
				b.WriteString("'applied', " + apps.C(application.FieldWorkerID) + ", " + apps.C(application.FieldShiftID) + ", " +
					apps.C(application.FieldID) + ", " + null(integer) + ", " + null(integer) + ", " + null(float) + ", " + null(float) +
					", " + null(float) + ", " + null(stamp) + ", " + null(stamp))
			})))
		}
	}
	text, args := q.Query()
	return factsStatement{text, args}
}

// scanTime reads a timestamp from a UNION column, which SQLite hands back
// as text (the column has no declared type) and PostgreSQL as a time.
func scanTime(v any) (*time.Time, error) {
	switch t := v.(type) {
	case nil:
		return nil, nil
	case time.Time:
		return &t, nil
	case []byte:
		return scanTime(string(t))
	case string:
		for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05"} {
			if p, err := time.Parse(layout, t); err == nil {
				return &p, nil
			}
		}
		return nil, fmt.Errorf("facts: cannot read time %q", t)
	}
	return nil, fmt.Errorf("facts: cannot read time %T", v)
}

func keys[K comparable, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
