package market

import (
	"context"
	"math"

	"entgo.io/ent/dialect/sql"

	"flexwork/ent"
	"flexwork/ent/rule"
	"flexwork/ent/schema/week"
	"flexwork/ent/shift"
	"flexwork/ent/workerprofile"
)

// feedKey is one expression the feed sorts by, over a selector of shifts.
type feedKey func(*sql.Selector) sql.Querier

// feedKeys are the sort keys of the feed's order, before the ID: the start;
// the distance; or whether the shift suits the viewer's preferences (0
// when it does), then the distance.
func (m *Market) feedKeys(ctx context.Context, c *ent.Client, workerID string, in FeedInput, dist2 feedKey) ([]feedKey, error) {
	switch in.OrderBy {
	case FeedByStart:
		return []feedKey{func(s *sql.Selector) sql.Querier { return sql.Expr(s.C(shift.FieldStartsAt)) }}, nil
	case FeedByFit:
		if workerID == "" {
			break // no preferences: nearest first
		}
		p, err := c.WorkerProfile.Query().Where(workerprofile.ID(workerID)).Only(rule.System(ctx))
		if err != nil {
			return nil, err
		}
		band := func(s *sql.Selector) sql.Querier {
			return sql.ExprFunc(func(b *sql.Builder) {
				b.WriteString("CASE WHEN ").Join(fitsPredicate(s, p)).WriteString(" THEN 0 ELSE 1 END")
			})
		}
		return []feedKey{band, dist2}, nil
	}
	return []feedKey{dist2}, nil
}

// afterCursor is the keyset condition "after the shift with ID last":
// (k1, k2, …, id) > (k1, k2, …, id) of its row, written out as nested
// comparisons so that every database reads it the same way.
func (m *Market) afterCursor(s *sql.Selector, keys []feedKey, last string) *sql.Predicate {
	d := sql.Dialect(m.dialect)
	at := func(k feedKey) *sql.Selector {
		cur := d.Table(shift.Table).As("cursor")
		q := d.Select().From(cur).Where(sql.EQ(cur.C(shift.FieldID), last))
		q.AppendSelectExpr(k(q))
		return q
	}
	var after func(i int, b *sql.Builder)
	after = func(i int, b *sql.Builder) {
		if i == len(keys) {
			b.WriteString(s.C(shift.FieldID)).WriteString(" > ").Arg(last)
			return
		}
		b.WriteString("(").Join(keys[i](s)).WriteString(" > (").Join(at(keys[i])).WriteString(") OR (").
			Join(keys[i](s)).WriteString(" = (").Join(at(keys[i])).WriteString(") AND ")
		after(i+1, b)
		b.WriteString("))")
	}
	return sql.P(func(b *sql.Builder) { after(0, b) })
}

// fitsPredicate is Fit in SQL: true for the shifts of s that suit every
// preference of p. The availability part reads the shifts' stored week
// position (week_minute, week_minutes); the travel part measures from the
// home as the feed measures from near (equirectangular, within 1 % of Fit's
// great-circle distance at city scale).
func fitsPredicate(s *sql.Selector, p *ent.WorkerProfile) *sql.Predicate {
	all := []*sql.Predicate{availabilityPredicate(s, p.Availability)}
	if p.MinHourlyRate != nil {
		all = append(all, sql.Or(sql.NEQ(s.C(shift.FieldCurrency), p.Currency), sql.GTE(s.C(shift.FieldHourlyRate), *p.MinHourlyRate)))
	}
	if len(p.EngagementTypes) > 0 {
		kinds := make([]any, len(p.EngagementTypes))
		for i, k := range p.EngagementTypes {
			kinds[i] = string(k)
		}
		all = append(all, sql.In(s.C(shift.FieldEngagementType), kinds...))
	}
	if p.HomeLat != nil && p.HomeLng != nil {
		home, radius := GeoPoint{Lat: *p.HomeLat, Lng: *p.HomeLng}, float64(p.TravelRadiusKm)
		all = append(all, sql.P(func(b *sql.Builder) { b.Join(squaredKm(s, home)).WriteString(" <= ").Arg(radius * radius) }))
	}
	return sql.And(all...)
}

// squaredKm is the squared equirectangular distance in km² from p to the
// place of each shift of s: accurate to well under 1 % at city scale, and
// cheap enough to filter, order and page by in SQL on both databases.
func squaredKm(s *sql.Selector, p GeoPoint) sql.Querier {
	k := kmPerDegree * math.Cos(p.Lat*math.Pi/180)
	return sql.ExprFunc(func(b *sql.Builder) {
		b.WriteString("((").WriteString(s.C(shift.FieldLat)).WriteString(" - ").Arg(p.Lat).WriteString(") * ").Arg(kmPerDegree).
			WriteString(") * ((").WriteString(s.C(shift.FieldLat)).WriteString(" - ").Arg(p.Lat).WriteString(") * ").Arg(kmPerDegree).
			WriteString(") + ((").WriteString(s.C(shift.FieldLng)).WriteString(" - ").Arg(p.Lng).WriteString(") * ").Arg(k).
			WriteString(") * ((").WriteString(s.C(shift.FieldLng)).WriteString(" - ").Arg(p.Lng).WriteString(") * ").Arg(k).
			WriteString(")")
	})
}

// availabilityPredicate is week.Availability.Fits in SQL: not during an
// away exception, and inside a free exception, or no weekly pattern, or
// inside one of its intervals (s or s + a week, as Fits reads them).
func availabilityPredicate(s *sql.Selector, a week.Availability) *sql.Predicate {
	starts, ends := s.C(shift.FieldStartsAt), s.C(shift.FieldEndsAt)
	var notAway, free []*sql.Predicate
	for _, x := range a.Exceptions {
		if x.Available {
			free = append(free, sql.And(sql.GTE(starts, x.From), sql.LTE(ends, x.To)))
		} else {
			notAway = append(notAway, sql.Not(sql.And(sql.LT(starts, x.To), sql.GT(ends, x.From))))
		}
	}
	if len(a.Weekly) == 0 {
		return sql.And(append(notAway, sql.P(func(b *sql.Builder) { b.WriteString("1 = 1") }))...)
	}
	wm, wms := s.C(shift.FieldWeekMinute), s.C(shift.FieldWeekMinutes)
	in := func(shiftBy, from, to int) *sql.Predicate {
		return sql.P(func(b *sql.Builder) {
			b.WriteString("(").WriteString(wm).WriteString(" + ").Arg(shiftBy).WriteString(" >= ").Arg(from).
				WriteString(" AND ").WriteString(wm).WriteString(" + ").WriteString(wms).WriteString(" + ").Arg(shiftBy).
				WriteString(" <= ").Arg(to).WriteString(")")
		})
	}
	var inWeek []*sql.Predicate
	for _, iv := range a.Intervals() {
		inWeek = append(inWeek, in(0, iv[0], iv[1]), in(week.Minutes, iv[0], iv[1]))
	}
	weekly := sql.P(func(b *sql.Builder) { b.WriteString("1 = 0") }) // a pattern of no valid window
	if len(inWeek) > 0 {
		weekly = sql.And(sql.GTE(wm, 0), sql.Or(inWeek...))
	}
	return sql.And(append(notAway, sql.Or(append(free, weekly)...))...)
}
