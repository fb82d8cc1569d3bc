package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// Skill is one entry of the skills taxonomy: what a worker can do and what a
// shift asks for. Some skills are only believed with a verified certificate.
type Skill struct{ ent.Schema }

func (Skill) Mixin() []ent.Mixin { return []ent.Mixin{withID("skl"), createdMixin{}} }

func (Skill) Fields() []ent.Field {
	return []ent.Field{
		field.String("slug").Unique().NotEmpty().MaxLen(64),
		field.String("name").NotEmpty().MaxLen(80).Annotations(entgql.OrderField("NAME")),
		field.Enum("category").
			Values("HOSPITALITY", "RETAIL", "WAREHOUSE", "EVENTS", "CLEANING", "CARE", "DELIVERY", "OFFICE").
			Annotations(entgql.OrderField("CATEGORY")),
		field.Bool("certificate_required").Default(false).
			Comment("the skill is regulated: shifts usually require a verified certificate"),
	}
}

func (Skill) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("workers", WorkerProfile.Type).Ref("skills").Through("worker_skills", WorkerSkill.Type).Annotations(hidden),
		edge.From("shifts", Shift.Type).Ref("required_skills").Annotations(hidden),
		edge.From("certified_shifts", Shift.Type).Ref("required_certifications").Annotations(hidden),
	}
}

func (Skill) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField()}
}
