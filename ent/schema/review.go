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

// Review is one party's rating of the other after a finished assignment.
// Reviews are double-blind: hidden from the other side until both are in or
// the window closes, then revealed together (revealed_at) and only then
// counted. The reviewed side may reply once; staff may hide a review.
type Review struct{ ent.Schema }

func (Review) Mixin() []ent.Mixin { return []ent.Mixin{withID("rvw"), timeMixin{}} }

func (Review) Fields() []ent.Field {
	return []ent.Field{
		field.String("assignment_id").Immutable(),
		field.String("author_id").Immutable().Annotations(hidden),
		field.Enum("direction").Values("WORKER_TO_EMPLOYER", "EMPLOYER_TO_WORKER").Immutable(),
		field.String("worker_id").Immutable().Annotations(asID, noWhere),
		field.String("employer_id").Immutable().Annotations(asID, noWhere),
		field.Int("rating").Min(1).Max(5).Immutable(),
		field.Strings("tags").Optional().Immutable(),
		field.String("comment").Default("").MaxLen(2000).Immutable(),
		field.Time("revealed_at").Optional().Nillable().Annotations(entgql.OrderField("REVEALED_AT")),
		field.String("reply").Default("").MaxLen(2000),
		field.Time("replied_at").Optional().Nillable(),
		field.Time("hidden_at").Optional().Nillable().Annotations(hidden),
		field.String("hidden_reason").Default("").MaxLen(500).Annotations(hidden),
	}
}

func (Review) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("assignment", Assignment.Type).Ref("reviews").Field("assignment_id").Unique().Required().Immutable(),
		edge.To("reports", ReviewReport.Type).Annotations(hidden),
	}
}

func (Review) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("assignment_id", "direction").Unique(),
		index.Fields("worker_id", "direction", "revealed_at"),
		index.Fields("employer_id", "direction", "revealed_at"),
		// The sweep that reveals reviews whose window closed reads the
		// unrevealed ones alone, not every review there ever was.
		index.Fields("assignment_id").Annotations(entsql.IndexWhere("revealed_at IS NULL")),
	}
}

func (Review) Annotations() []schema.Annotation { return node }
