package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// CreditDispute is a subject appealing one of their credit events. Staff
// uphold it or reverse the event (by appending a reversing event).
type CreditDispute struct{ ent.Schema }

func (CreditDispute) Mixin() []ent.Mixin { return []ent.Mixin{withID("cdp"), timeMixin{}} }

func (CreditDispute) Fields() []ent.Field {
	return []ent.Field{
		field.String("event_id").Immutable().Unique(),
		field.String("opened_by_id").Immutable().Annotations(hidden),
		field.String("reason").NotEmpty().MaxLen(1000).Immutable(),
		field.Enum("status").Values("OPEN", "UPHELD", "REVERSED").Default("OPEN"),
		field.String("resolution_note").Default("").MaxLen(1000),
		field.String("resolved_by_id").Optional().Nillable().Annotations(hidden),
		field.Time("resolved_at").Optional().Nillable(),
		// The other party of the event's dealing — the employer of a
		// worker's no-show, the worker of an employer's overdue wage — who
		// may add their side for staff to weigh.
		field.String("counterparty_worker_id").Optional().Nillable().Immutable().Annotations(hidden),
		field.String("counterparty_employer_id").Optional().Nillable().Immutable().Annotations(hidden),
		field.String("response").Default("").MaxLen(1000),
		field.Time("responded_at").Optional().Nillable(),
	}
}

func (CreditDispute) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("event", CreditEvent.Type).Ref("dispute").Field("event_id").Unique().Required().Immutable(),
	}
}

func (CreditDispute) Indexes() []ent.Index {
	return []ent.Index{index.Fields("status", "created_at")}
}

func (CreditDispute) Annotations() []schema.Annotation { return node }
