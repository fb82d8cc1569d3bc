package rule

import (
	"entgo.io/ent/entql"

	"flexwork/ent/viewer"
)

// Party says whose a column's value is.
type Party int

const (
	// AUser column holds a user ID: the viewer's own rows.
	AUser Party = iota
	// AWorker column holds a worker-profile ID: the viewer's profile.
	AWorker
	// AMember column holds an employer ID the viewer has any role in.
	AMember
	// AManager column holds an employer ID the viewer owns or manages.
	AManager
)

// Owner names a column and the party whose ID it holds.
type Owner struct {
	Column string
	Party  Party
}

// User, Worker, Member and Manager name owner columns of each kind.
func User(column string) Owner    { return Owner{column, AUser} }
func Worker(column string) Owner  { return Owner{column, AWorker} }
func Member(column string) Owner  { return Owner{column, AMember} }
func Manager(column string) Owner { return Owner{column, AManager} }

// owns reports whether value, stored in o's column, belongs to v.
func (o Owner) owns(v *viewer.Viewer, value string) bool {
	switch o.Party {
	case AUser:
		return value != "" && value == v.UserID
	case AWorker:
		return value != "" && value == v.WorkerID
	case AMember:
		return v.IsMember(value)
	case AManager:
		return v.CanManage(value)
	}
	return false
}

// predicate matches the rows of o's column that belong to v; ok is false
// when v has no identity of that kind (no worker profile, no employer).
func (o Owner) predicate(v *viewer.Viewer) (p entql.P, ok bool) {
	var ids []string
	switch o.Party {
	case AUser:
		ids = nonEmpty(v.UserID)
	case AWorker:
		ids = nonEmpty(v.WorkerID)
	case AMember:
		ids = v.MemberOf()
	case AManager:
		ids = v.Manages()
	}
	switch len(ids) {
	case 0:
		return nil, false
	case 1:
		return entql.FieldEQ(o.Column, ids[0]), true
	}
	vs := make([]any, len(ids))
	for i, id := range ids {
		vs[i] = id
	}
	return entql.FieldIn(o.Column, vs...), true
}

// anyOf ORs the owners' predicates; rows of no owner match nothing.
func anyOf(v *viewer.Viewer, owners []Owner, extra ...entql.P) entql.P {
	ps := extra
	for _, o := range owners {
		if p, ok := o.predicate(v); ok {
			ps = append(ps, p)
		}
	}
	switch len(ps) {
	case 0:
		return nothing
	case 1:
		return ps[0]
	}
	return entql.Or(ps[0], ps[1], ps[2:]...)
}

// nothing matches no row: every entity's id is NOT NULL.
var nothing = entql.FieldNil("id")

func nonEmpty(id string) []string {
	if id == "" {
		return nil
	}
	return []string{id}
}
