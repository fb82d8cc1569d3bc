package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"flexwork/ent/schema/enum"
)

// User is an account: a person who signs in. The same user may work shifts
// (through a WorkerProfile) and belong to employers (through Memberships).
// Email and phone are private: the GraphQL layer shows them only to the user
// and to staff.
type User struct{ ent.Schema }

func (User) Mixin() []ent.Mixin { return []ent.Mixin{withID("usr"), timeMixin{}} }

func (User) Fields() []ent.Field {
	return []ent.Field{
		field.String("email").Optional().Nillable().Unique().MaxLen(254).Annotations(hidden),
		field.String("phone").Optional().Nillable().MaxLen(16).Annotations(hidden),
		field.String("display_name").NotEmpty().MaxLen(80),
		field.String("password_hash").Optional().Sensitive().Annotations(hidden),
		field.String("firebase_uid").Optional().Nillable().Unique().Annotations(hidden),
		field.Bool("is_staff").Default(false),
		// An auditor works for a regulator or an industry association: it
		// reads the platform's aggregates and issues rights reports, never
		// a person's data (rule.AuditorSeesOwn), and changes nothing.
		field.String("auditor_for").Optional().Nillable().MaxLen(120).Annotations(hidden).
			Comment("the body the user audits for; set by staff (appointAuditor)"),
		field.String("time_zone").Default("UTC").Comment("IANA zone for quiet hours and reminders"),
		field.String("locale").Default("en"),
		// Push preferences: quiet hours in minutes after local midnight.
		field.Int("quiet_hours_start").Optional().Nillable().Annotations(hidden),
		field.Int("quiet_hours_end").Optional().Nillable().Annotations(hidden),
		field.JSON("push_opt_outs", []enum.NotificationCategory{}).Optional().Annotations(hidden),
		field.Int("daily_shift_push_cap").Default(10).Annotations(hidden),
		field.Time("disabled_at").Optional().Nillable().Annotations(hidden),
	}
}

func (User) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("worker_profile", WorkerProfile.Type).Unique(),
		edge.To("memberships", Membership.Type).Annotations(noWhere),
		edge.To("sessions", Session.Type).Annotations(hidden),
		edge.To("devices", Device.Type).Annotations(hidden),
		edge.To("notifications", Notification.Type).Annotations(hidden),
	}
}

func (User) Indexes() []ent.Index {
	return []ent.Index{index.Fields("phone")}
}

func (User) Annotations() []schema.Annotation { return node }
