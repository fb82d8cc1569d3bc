package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Session is one refresh token of a local sign-in. Tokens rotate: every
// refresh uses up the presented token and issues the next one in the same
// family. Presenting a used token again means it was stolen, and the whole
// family is revoked. Only the SHA-256 of a token is stored.
type Session struct{ ent.Schema }

func (Session) Mixin() []ent.Mixin { return []ent.Mixin{withInternalID("ses"), createdMixin{}} }

func (Session) Fields() []ent.Field {
	return []ent.Field{
		field.String("user_id").Immutable(),
		field.String("token_hash").Immutable().Unique().Sensitive(),
		field.String("family").Immutable().Comment("shared by every token rotated from one sign-in"),
		field.Time("expires_at").Immutable(),
		field.Time("used_at").Optional().Nillable(),
		field.Time("revoked_at").Optional().Nillable(),
		field.String("user_agent").Optional().MaxLen(200),
	}
}

func (Session) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("user", User.Type).Ref("sessions").Field("user_id").Unique().Required().Immutable(),
	}
}

func (Session) Indexes() []ent.Index {
	return []ent.Index{index.Fields("family"), index.Fields("user_id")}
}

func (Session) Annotations() []schema.Annotation { return []schema.Annotation{hidden} }
