package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Offer is an employer asking a worker to take a shift, from an application
// or as a direct invitation to a roster worker.
//
// pending → accepted | declined | expired | revoked.
//
// Acceptance is a conditional UPDATE (status = pending and expires_at in the
// future): an offer is accepted at most once and never after it expired.
type Offer struct{ ent.Schema }

func (Offer) Mixin() []ent.Mixin { return []ent.Mixin{withID("ofr"), timeMixin{}} }

func (Offer) Fields() []ent.Field {
	return []ent.Field{
		field.String("shift_id").Immutable(),
		field.String("worker_id").Immutable(),
		field.String("employer_id").Immutable().Annotations(asID, noWhere),
		field.String("application_id").Optional().Nillable().Immutable(),
		field.String("sent_by_id").Immutable().Annotations(hidden),
		field.Enum("status").
			Values("PENDING", "ACCEPTED", "DECLINED", "EXPIRED", "REVOKED").
			Default("PENDING").
			Annotations(entgql.OrderField("STATUS")),
		field.String("message").Default("").MaxLen(1000),
		field.Time("expires_at").Annotations(entgql.OrderField("EXPIRES_AT")),
		field.Time("responded_at").Optional().Nillable(),
		field.Time("expiry_warned_at").Optional().Nillable().Annotations(hidden),
	}
}

func (Offer) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("shift", Shift.Type).Ref("offers").Field("shift_id").Unique().Required().Immutable(),
		edge.From("worker", WorkerProfile.Type).Ref("offers").Field("worker_id").Unique().Required().Immutable(),
		edge.To("application", Application.Type).Field("application_id").Unique().Immutable().Annotations(noWhere),
		edge.To("assignment", Assignment.Type).Unique().Annotations(noWhere),
	}
}

func (Offer) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("worker_id", "status"),
		index.Fields("shift_id", "status"),
		index.Fields("status", "expires_at"), // the expiry job
	}
}

func (Offer) Annotations() []schema.Annotation { return searchableNode }
