package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Application is a worker asking for a shift.
//
// applied → shortlisted → offered → hired; → rejected | withdrawn | expired.
//
// employer_id repeats the shift's employer so that privacy filters and the
// candidates list need no join.
type Application struct{ ent.Schema }

func (Application) Mixin() []ent.Mixin { return []ent.Mixin{withID("apl"), timeMixin{}} }

func (Application) Fields() []ent.Field {
	return []ent.Field{
		field.String("shift_id").Immutable(),
		field.String("worker_id").Immutable(),
		field.String("employer_id").Immutable().Annotations(asID, noWhere),
		field.Enum("status").
			Values("APPLIED", "SHORTLISTED", "OFFERED", "HIRED", "REJECTED", "WITHDRAWN", "EXPIRED", "STANDBY").
			Default("APPLIED").
			Annotations(entgql.OrderField("STATUS")),
		field.String("message").Default("").MaxLen(1000),
		// Joined a full shift's standby list: an offer of a reopened slot
		// that goes unanswered, or is withdrawn because another took it,
		// puts the worker back on standby rather than ending the application.
		field.Bool("standby").Default(false).Immutable().Annotations(hidden),
		field.String("reject_reason").Default("").MaxLen(500).Annotations(noWhere),
		field.Float("distance_km").Optional().Nillable().Annotations(noWhere).
			Comment("from the worker's home when they applied"),
	}
}

func (Application) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("shift", Shift.Type).Ref("applications").Field("shift_id").Unique().Required().Immutable(),
		edge.From("worker", WorkerProfile.Type).Ref("applications").Field("worker_id").Unique().Required().Immutable(),
	}
}

func (Application) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("shift_id", "worker_id").Unique(),
		index.Fields("worker_id", "status"),
		// Which of a feed page's shifts the viewer applied to (the screening
		// facts' "applied" rows), read from the index alone on PostgreSQL:
		// through (worker_id, status) it read a heap page per application.
		index.Fields("worker_id", "shift_id").Annotations(entsql.IncludeColumns("id")),
		index.Fields("employer_id", "status"),
	}
}

func (Application) Annotations() []schema.Annotation { return searchableNode }
