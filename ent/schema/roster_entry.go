package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// RosterEntry is an employer's standing opinion of a worker: a favourite
// (invited directly, pushed first) or blocked (never shown, cannot apply).
// The worker never sees it. An agency's roster also lists the workers it
// employs (EMPLOYED): only they are dispatched on its shifts.
type RosterEntry struct{ ent.Schema }

func (RosterEntry) Mixin() []ent.Mixin { return []ent.Mixin{withID("ros"), timeMixin{}} }

func (RosterEntry) Fields() []ent.Field {
	return []ent.Field{
		field.String("employer_id").Immutable(),
		field.String("worker_id").Immutable(),
		field.Enum("kind").Values("FAVOURITE", "BLOCKED", "EMPLOYED"),
		field.String("note").Default("").MaxLen(500),
		field.String("added_by_id").Optional().Annotations(hidden),
	}
}

func (RosterEntry) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("employer", Employer.Type).Ref("roster").Field("employer_id").Unique().Required().Immutable(),
		edge.From("worker", WorkerProfile.Type).Ref("roster_entries").Field("worker_id").Unique().Required().Immutable(),
	}
}

func (RosterEntry) Indexes() []ent.Index {
	return []ent.Index{index.Fields("employer_id", "worker_id").Unique(), index.Fields("worker_id")}
}

func (RosterEntry) Annotations() []schema.Annotation { return node }
