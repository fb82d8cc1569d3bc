package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// WorkerSkill says a worker has a skill, and for how long.
type WorkerSkill struct{ ent.Schema }

func (WorkerSkill) Mixin() []ent.Mixin { return []ent.Mixin{withID("wsk"), createdMixin{}} }

func (WorkerSkill) Fields() []ent.Field {
	return []ent.Field{
		field.String("worker_id").Immutable(),
		field.String("skill_id").Immutable(),
		field.Int("years").Default(0).Min(0).Max(60),
	}
}

func (WorkerSkill) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("worker", WorkerProfile.Type).Field("worker_id").Unique().Required().Immutable(),
		edge.To("skill", Skill.Type).Field("skill_id").Unique().Required().Immutable(),
	}
}

func (WorkerSkill) Indexes() []ent.Index {
	return []ent.Index{index.Fields("worker_id", "skill_id").Unique(), index.Fields("skill_id")}
}

func (WorkerSkill) Annotations() []schema.Annotation { return node }
