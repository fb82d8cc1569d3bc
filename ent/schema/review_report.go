package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// ReviewReport is someone flagging a review for staff to look at.
type ReviewReport struct{ ent.Schema }

func (ReviewReport) Mixin() []ent.Mixin { return []ent.Mixin{withID("rpt"), createdMixin{}} }

func (ReviewReport) Fields() []ent.Field {
	return []ent.Field{
		field.String("review_id").Immutable(),
		field.String("reporter_id").Immutable().Annotations(asID),
		field.String("reason").NotEmpty().MaxLen(500).Immutable(),
		// Staff's decision: the review hidden (UPHELD) or left as it is.
		field.Enum("status").Values("OPEN", "UPHELD", "DISMISSED").Default("OPEN"),
		field.Time("decided_at").Optional().Nillable(),
		field.String("decided_by_id").Optional().Nillable().Annotations(hidden),
		field.String("decision_note").Default("").MaxLen(500),
	}
}

func (ReviewReport) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("review", Review.Type).Ref("reports").Field("review_id").Unique().Required().Immutable(),
	}
}

func (ReviewReport) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("review_id", "reporter_id").Unique(),
		index.Fields("status", "created_at"), // the moderation queue
	}
}

func (ReviewReport) Annotations() []schema.Annotation { return node }
