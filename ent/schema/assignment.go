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

// Assignment is a hire: one worker on one shift, from an accepted offer.
//
// scheduled → checked_in → checked_out → approved (→ paid);
// → no_show | cancelled_by_worker | cancelled_by_employer.
//
// starts_at and ends_at repeat the shift's times so the overlap check — a
// worker never holds two assignments whose times overlap — is one indexed
// query on this table.
type Assignment struct{ ent.Schema }

func (Assignment) Mixin() []ent.Mixin { return []ent.Mixin{withID("asg"), timeMixin{}} }

func (Assignment) Fields() []ent.Field {
	return []ent.Field{
		field.String("shift_id").Immutable(),
		field.String("worker_id").Immutable(),
		field.String("employer_id").Immutable().Annotations(asID, noWhere),
		// The agency or contractor that employs the worker (dispatch,
		// outsourcing): its members see the hire.
		field.String("agency_id").Optional().Nillable().Immutable().Annotations(asID, noWhere),
		field.String("offer_id").Optional().Nillable().Immutable().Unique().Annotations(noWhere),
		field.Enum("status").
			Values("SCHEDULED", "CHECKED_IN", "CHECKED_OUT", "APPROVED", "PAID",
				"NO_SHOW", "CANCELLED_BY_WORKER", "CANCELLED_BY_EMPLOYER").
			Default("SCHEDULED").
			Annotations(entgql.OrderField("STATUS")),
		// The shift's boost when the hire was made, in its pay unit: part of
		// the pay the contract states and the wage is computed at.
		field.Int64("boost").Default(0).Immutable().Annotations(hidden),
		field.Time("starts_at").Annotations(entgql.OrderField("STARTS_AT")),
		field.Time("ends_at"),
		field.Time("checked_in_at").Optional().Nillable(),
		field.Float("check_in_lat").Optional().Nillable().Annotations(hidden),
		field.Float("check_in_lng").Optional().Nillable().Annotations(hidden),
		field.Time("checked_out_at").Optional().Nillable(),
		field.Float("check_out_lat").Optional().Nillable().Annotations(hidden),
		field.Float("check_out_lng").Optional().Nillable().Annotations(hidden),
		field.Time("cancelled_at").Optional().Nillable(),
		field.String("cancel_reason").Default("").MaxLen(500).Annotations(noWhere),
		field.Bool("late_cancellation").Default(false).Comment("cancelled within 24 hours of the start"),
		field.Time("reminded_at").Optional().Nillable().Annotations(hidden),
		field.Time("briefing_acknowledged_at").Optional().Nillable().Annotations(noWhere).
			Comment("When the worker acknowledged the shift's safety briefing"),
	}
}

func (Assignment) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("shift", Shift.Type).Ref("assignments").Field("shift_id").Unique().Required().Immutable(),
		edge.From("worker", WorkerProfile.Type).Ref("assignments").Field("worker_id").Unique().Required().Immutable(),
		edge.From("offer", Offer.Type).Ref("assignment").Field("offer_id").Unique().Immutable().Annotations(noWhere),
		edge.To("contract", Contract.Type).Unique().Annotations(noWhere),
		edge.To("timesheet", Timesheet.Type).Unique().Annotations(noWhere),
		edge.To("reviews", Review.Type).Annotations(hidden),
	}
}

func (Assignment) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("worker_id", "starts_at", "ends_at"), // overlap check
		index.Fields("shift_id", "status"),
		index.Fields("employer_id", "status"),
		// The retention sweep finds the hires whose check-in places are due
		// to be forgotten among those that still keep one, by end.
		index.Fields("ends_at").Annotations(entsql.IndexWhere("(check_in_lat IS NOT NULL) OR (check_out_lat IS NOT NULL)")),
	}
}

func (Assignment) Annotations() []schema.Annotation { return searchableNode }
