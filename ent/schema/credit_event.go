package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// CreditEvent is one credit-relevant fact about a worker or an employer. The
// credit package turns a subject's events into its score; events are never
// edited, a reversal on appeal is a new event pointing at the old one.
type CreditEvent struct{ ent.Schema }

func (CreditEvent) Mixin() []ent.Mixin { return []ent.Mixin{withID("cev"), createdMixin{}} }

func (CreditEvent) Fields() []ent.Field {
	return []ent.Field{
		field.Enum("subject_kind").Values("WORKER", "EMPLOYER").Immutable(),
		field.String("worker_id").Optional().Nillable().Immutable().Annotations(noWhere),
		field.String("employer_id").Optional().Nillable().Immutable().Annotations(noWhere),
		field.Enum("kind").Values(
			// workers
			"SHIFT_COMPLETED", "NO_SHOW", "LATE_CANCELLATION", "EARLY_CANCELLATION", "LATE_CHECK_IN",
			"CERTIFICATE_VERIFIED", "CERTIFICATE_REJECTED", "CERTIFICATE_EXPIRED", "CERTIFICATE_REVOKED",
			// employers
			"WAGE_PAID_ON_TIME", "WAGE_PAID_LATE", "WAGE_OVERDUE", "SHIFT_CANCELLED_LATE", "TIMESHEET_AUTO_APPROVED",
			// both
			"REVIEW_REVEALED", "EVENT_REVERSED",
		).Immutable(),
		field.Int("rating").Optional().Nillable().Immutable().Comment("REVIEW_REVEALED: the stars given"),
		field.String("source_id").Default("").Immutable().Comment("the assignment, review, certification … behind the event").Annotations(asID),
		field.String("reverses_id").Optional().Nillable().Immutable().Comment("EVENT_REVERSED: the event undone").Annotations(asID),
		field.String("note").Default("").MaxLen(500).Immutable(),
		field.Time("occurred_at").Immutable().Annotations(entgql.OrderField("OCCURRED_AT")),
	}
}

func (CreditEvent) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("worker", WorkerProfile.Type).Ref("credit_events").Field("worker_id").Unique().Immutable().Annotations(hidden),
		edge.From("employer", Employer.Type).Ref("credit_events").Field("employer_id").Unique().Immutable().Annotations(hidden),
		edge.To("dispute", CreditDispute.Type).Unique().Annotations(noWhere),
	}
}

func (CreditEvent) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("worker_id", "occurred_at"),
		index.Fields("employer_id", "occurred_at"),
	}
}

func (CreditEvent) Annotations() []schema.Annotation { return node }
