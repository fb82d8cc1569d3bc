package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Device is a phone or tablet that receives push notifications. A token
// belongs to whoever registered it last; FCM's UNREGISTERED answer disables it.
type Device struct{ ent.Schema }

func (Device) Mixin() []ent.Mixin { return []ent.Mixin{withID("dev"), timeMixin{}} }

func (Device) Fields() []ent.Field {
	return []ent.Field{
		field.String("user_id"),
		field.String("token").Unique().Sensitive().NotEmpty().MaxLen(4096),
		field.Enum("platform").Values("IOS", "ANDROID", "WEB"),
		field.String("app_version").Default("").MaxLen(32),
		field.Time("last_seen_at").Default(now),
		field.Time("disabled_at").Optional().Nillable(),
		field.String("disabled_reason").Default("").MaxLen(64),
	}
}

func (Device) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("user", User.Type).Ref("devices").Field("user_id").Unique().Required(),
	}
}

func (Device) Indexes() []ent.Index {
	return []ent.Index{index.Fields("user_id", "disabled_at")}
}

func (Device) Annotations() []schema.Annotation { return node }
