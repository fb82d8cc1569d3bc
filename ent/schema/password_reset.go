package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// PasswordReset is a forgotten password waiting for the code mailed to the
// account's address. Asking answers alike whether or not the address has an
// account; only one with an account gets a code.
type PasswordReset struct{ ent.Schema }

func (PasswordReset) Mixin() []ent.Mixin { return []ent.Mixin{withInternalID("pwr"), createdMixin{}} }

func (PasswordReset) Fields() []ent.Field {
	return []ent.Field{
		field.String("user_id").Immutable(),
		field.String("email").NotEmpty().MaxLen(254).Immutable(),
		// HMAC of the code under a server key, as for sign-up codes.
		field.String("code_hash").Immutable().Sensitive(),
		field.Int("attempts").Default(0).Comment("wrong codes tried; at 5 the reset is spent"),
		field.Time("expires_at").Immutable(),
		field.Time("completed_at").Optional().Nillable(),
	}
}

func (PasswordReset) Indexes() []ent.Index {
	return []ent.Index{index.Fields("email", "created_at"), index.Fields("expires_at")}
}

func (PasswordReset) Annotations() []schema.Annotation { return []schema.Annotation{hidden} }
