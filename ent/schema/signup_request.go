package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// SignupRequest is a sign-up waiting for its e-mail address to be confirmed
// with the code mailed to it. No account exists until the code comes back,
// so signUp answers alike whether the address already has an account or
// not, and the owner of an address is the only one who learns either.
type SignupRequest struct{ ent.Schema }

func (SignupRequest) Mixin() []ent.Mixin { return []ent.Mixin{withInternalID("sur"), createdMixin{}} }

func (SignupRequest) Fields() []ent.Field {
	return []ent.Field{
		field.String("email").NotEmpty().MaxLen(254).Immutable(),
		field.String("display_name").NotEmpty().MaxLen(80).Immutable(),
		field.String("phone").Optional().Nillable().Immutable(),
		field.String("password_hash").Immutable().Sensitive(),
		// HMAC of the code under a server key: a code has six digits, and a
		// plain hash of it would fall to anyone who reads the table.
		field.String("code_hash").Immutable().Sensitive(),
		field.Int("attempts").Default(0).Comment("wrong codes tried; at 5 the request is spent"),
		field.Time("expires_at").Immutable(),
		field.Time("completed_at").Optional().Nillable(),
	}
}

func (SignupRequest) Indexes() []ent.Index {
	return []ent.Index{index.Fields("email", "created_at"), index.Fields("expires_at")}
}

func (SignupRequest) Annotations() []schema.Annotation { return []schema.Annotation{hidden} }
