package auth

import (
	"context"
	"errors"
	"sync"

	"entgo.io/ent/dialect/sql"

	"flexwork/ent"
	"flexwork/ent/membership"
	"flexwork/ent/user"
	"flexwork/ent/viewer"
	"flexwork/ent/workerprofile"
)

// errNoUser means the token names a user that no longer exists or is disabled.
var errNoUser = errors.New("auth: user not found or disabled")

// Viewers loads viewers from the database.
type Viewers struct {
	DB      *ent.Client
	Dialect string
}

// viewerQuery is Load's statement in a dialect, written once: every
// authenticated request runs it, and only its one argument (the user's ID)
// changes.
func viewerQuery(dialect string) string {
	if q, ok := viewerQueries.Load(dialect); ok {
		return q.(string)
	}
	// The user's ID is the one argument.
	query, _ := viewerSelect(dialect, false, func(id string) *sql.Predicate { return sql.EQ(id, "") })
	viewerQueries.Store(dialect, query)
	return query
}

// viewerSelect is the statement reading viewers: each user chosen by where
// (given the user ID's column) with their worker profile, a row for each of
// their memberships. withID puts the user's ID first in each row, for a
// statement about many users.
func viewerSelect(dialect string, withID bool, where func(id string) *sql.Predicate) (string, []any) {
	u, w, m := sql.Table(user.Table), sql.Table(workerprofile.Table), sql.Table(membership.Table)
	// Joined tables get aliases, so columns are named after the joins.
	q := sql.Select().From(u)
	q.LeftJoin(w).On(w.C(workerprofile.FieldUserID), u.C(user.FieldID))
	q.LeftJoin(m).On(m.C(membership.FieldUserID), u.C(user.FieldID))
	var cols []string
	if withID {
		cols = append(cols, u.C(user.FieldID))
	}
	q.Select(append(cols, u.C(user.FieldIsStaff), u.C(user.FieldAuditorFor), u.C(user.FieldDisabledAt), u.C(user.FieldLocale),
		w.C(workerprofile.FieldID), m.C(membership.FieldEmployerID), m.C(membership.FieldRole))...).
		Where(where(u.C(user.FieldID)))
	q.SetDialect(dialect)
	return q.Query()
}

var viewerQueries sync.Map // dialect → viewerQuery's text

// Load reads everything the privacy rules need about a user — staff and
// auditor flags, worker profile, employer roles — in one statement.
func (l Viewers) Load(ctx context.Context, userID string) (*viewer.Viewer, error) {
	rows, err := l.DB.QueryContext(ctx, viewerQuery(l.Dialect), userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	v := &viewer.Viewer{UserID: userID, Roles: map[string]viewer.Role{}}
	found := false
	for rows.Next() {
		var r viewerRow
		if err := rows.Scan(r.columns()...); err != nil {
			return nil, err
		}
		if r.disabled.Valid {
			return nil, errNoUser
		}
		found = true
		r.addTo(v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if !found {
		return nil, errNoUser
	}
	return v, nil
}

// viewerRow is one row of the viewer's statement: the user, their worker
// profile and one of their memberships.
type viewerRow struct {
	staff             bool
	auditorFor        sql.NullString
	disabled          sql.NullTime
	locale            string
	worker, emp, role sql.NullString
}

func (r *viewerRow) columns() []any {
	return []any{&r.staff, &r.auditorFor, &r.disabled, &r.locale, &r.worker, &r.emp, &r.role}
}

func (r *viewerRow) addTo(v *viewer.Viewer) {
	v.Staff, v.Auditor, v.Locale = r.staff, r.auditorFor.Valid, r.locale
	v.WorkerID = r.worker.String
	if r.emp.Valid {
		v.Roles[r.emp.String] = viewer.Role(r.role.String)
	}
}

// LoadMany is Load for many users in one statement. A user who does not
// exist or is disabled is missing from the map.
func (l Viewers) LoadMany(ctx context.Context, userIDs []string) (map[string]*viewer.Viewer, error) {
	ids := make([]any, len(userIDs))
	for i, id := range userIDs {
		ids[i] = id
	}
	query, args := viewerSelect(l.Dialect, true, func(id string) *sql.Predicate { return sql.In(id, ids...) })
	rows, err := l.DB.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[string]*viewer.Viewer, len(userIDs))
	disabled := map[string]bool{}
	for rows.Next() {
		var (
			id string
			r  viewerRow
		)
		if err := rows.Scan(append([]any{&id}, r.columns()...)...); err != nil {
			return nil, err
		}
		if r.disabled.Valid {
			disabled[id] = true
			continue
		}
		v := out[id]
		if v == nil {
			v = &viewer.Viewer{UserID: id, Roles: map[string]viewer.Role{}}
			out[id] = v
		}
		r.addTo(v)
	}
	for id := range disabled {
		delete(out, id)
	}
	return out, rows.Err()
}
