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
	u, w, m := sql.Table(user.Table), sql.Table(workerprofile.Table), sql.Table(membership.Table)
	// Joined tables get aliases, so columns are named after the joins.
	q := sql.Select().From(u)
	q.LeftJoin(w).On(w.C(workerprofile.FieldUserID), u.C(user.FieldID))
	q.LeftJoin(m).On(m.C(membership.FieldUserID), u.C(user.FieldID))
	q.Select(u.C(user.FieldIsStaff), u.C(user.FieldAuditorFor), u.C(user.FieldDisabledAt), u.C(user.FieldLocale), w.C(workerprofile.FieldID), m.C(membership.FieldEmployerID), m.C(membership.FieldRole)).
		Where(sql.EQ(u.C(user.FieldID), "")) // the user's ID: the one argument
	q.SetDialect(dialect)
	query, _ := q.Query()
	viewerQueries.Store(dialect, query)
	return query
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
		var (
			staff             bool
			auditorFor        sql.NullString
			disabled          sql.NullTime
			locale            string
			worker, emp, role sql.NullString
		)
		if err := rows.Scan(&staff, &auditorFor, &disabled, &locale, &worker, &emp, &role); err != nil {
			return nil, err
		}
		if disabled.Valid {
			return nil, errNoUser
		}
		found = true
		v.Staff, v.Auditor, v.Locale = staff, auditorFor.Valid, locale
		v.WorkerID = worker.String
		if emp.Valid {
			v.Roles[emp.String] = viewer.Role(role.String)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if !found {
		return nil, errNoUser
	}
	return v, nil
}
