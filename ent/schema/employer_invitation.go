package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// EmployerInvitation offers a person a role in an employer. It names an
// e-mail address, not an account: the inviter learns nothing of whether
// the address has one, and nobody becomes a member without saying yes.
type EmployerInvitation struct{ ent.Schema }

func (EmployerInvitation) Mixin() []ent.Mixin { return []ent.Mixin{withID("inv"), timeMixin{}} }

func (EmployerInvitation) Fields() []ent.Field {
	return []ent.Field{
		field.String("employer_id").Immutable(),
		// Seen by the employer's members, who typed it, and the invitee.
		field.String("email").NotEmpty().MaxLen(254).Immutable(),
		field.Enum("role").Values("OWNER", "MANAGER", "VIEWER").Immutable().Annotations(entgql.Type("MembershipRole")),
		field.Enum("status").Values("PENDING", "ACCEPTED", "DECLINED", "REVOKED").Default("PENDING"),
		field.String("invited_by_id").Immutable(),
		// The account the address belongs to, when there is one (now, or
		// once it signs up): it alone may answer. Never shown.
		field.String("invitee_id").Optional().Nillable().Annotations(hidden),
		field.Time("expires_at"),
		field.Time("responded_at").Optional().Nillable(),
	}
}

func (EmployerInvitation) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("employer", Employer.Type).Ref("invitations").Field("employer_id").Unique().Required().Immutable(),
		edge.To("invited_by", User.Type).Field("invited_by_id").Unique().Required().Immutable(),
	}
}

func (EmployerInvitation) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("employer_id", "status"),
		index.Fields("invitee_id", "status"),
		index.Fields("email", "status"),
	}
}

func (EmployerInvitation) Annotations() []schema.Annotation { return node }
