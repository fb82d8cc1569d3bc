package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Membership gives a user a role in an employer: owners do everything,
// managers run shifts and people, viewers only look.
type Membership struct{ ent.Schema }

func (Membership) Mixin() []ent.Mixin { return []ent.Mixin{withID("mbr"), timeMixin{}} }

func (Membership) Fields() []ent.Field {
	return []ent.Field{
		field.String("employer_id").Immutable(),
		field.String("user_id").Immutable(),
		field.Enum("role").Values("OWNER", "MANAGER", "VIEWER"),
	}
}

func (Membership) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("employer", Employer.Type).Ref("memberships").Field("employer_id").Unique().Required().Immutable(),
		edge.From("user", User.Type).Ref("memberships").Field("user_id").Unique().Required().Immutable(),
	}
}

func (Membership) Indexes() []ent.Index {
	return []ent.Index{index.Fields("employer_id", "user_id").Unique(), index.Fields("user_id")}
}

func (Membership) Annotations() []schema.Annotation { return node }
