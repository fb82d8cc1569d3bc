package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// Contract is the written agreement every hire produces, rendered from a
// versioned template for the shift's engagement type. Its SHA-256 is fixed at
// creation; both parties sign it before the worker may check in.
type Contract struct{ ent.Schema }

func (Contract) Mixin() []ent.Mixin { return []ent.Mixin{withID("ctr"), timeMixin{}} }

func (Contract) Fields() []ent.Field {
	return []ent.Field{
		field.String("assignment_id").Immutable().Unique(),
		field.String("worker_id").Immutable().Annotations(asID, noWhere),
		field.String("employer_id").Immutable().Annotations(asID, noWhere),
		field.String("template_version").Immutable(),
		field.Text("body").Immutable(),
		field.String("sha256").Immutable(),
		field.Time("worker_signed_at").Optional().Nillable(),
		field.Time("employer_signed_at").Optional().Nillable(),
		field.String("employer_signed_by_id").Optional().Nillable().Annotations(hidden),
	}
}

func (Contract) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("assignment", Assignment.Type).Ref("contract").Field("assignment_id").Unique().Required().Immutable(),
	}
}

func (Contract) Annotations() []schema.Annotation { return node }
