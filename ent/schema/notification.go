package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"flexwork/ent/schema/enum"
)

// Notification is one message in a user's inbox. Every notification lands in
// the inbox; push_status says whether, and why not, it was also pushed.
type Notification struct{ ent.Schema }

func (Notification) Mixin() []ent.Mixin { return []ent.Mixin{withID("ntf"), createdMixin{}} }

func (Notification) Fields() []ent.Field {
	return []ent.Field{
		field.String("user_id").Immutable(),
		field.Enum("category").GoType(enum.NotificationCategory("")).Immutable().
			Annotations(entgql.Type("NotificationCategory")),
		field.String("title").MaxLen(200).Immutable(),
		field.String("body").Default("").MaxLen(1000).Immutable(),
		field.String("subject_id").Default("").Immutable().Comment("the shift, offer, … the notification is about").Annotations(asID),
		field.Time("read_at").Optional().Nillable(),
		field.Enum("push_status").
			Values("PENDING", "SENT", "SKIPPED_QUIET_HOURS", "SKIPPED_OPT_OUT", "SKIPPED_DAILY_CAP", "SKIPPED_NO_DEVICE", "FAILED").
			Default("PENDING"),
		field.Time("pushed_at").Optional().Nillable(),
		field.String("dedupe_key").Optional().Nillable().Unique().Immutable().Annotations(hidden).
			Comment("makes a retried job's notification a no-op"),
	}
}

func (Notification) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("user", User.Type).Ref("notifications").Field("user_id").Unique().Required().Immutable().Annotations(hidden),
	}
}

func (Notification) Indexes() []ent.Index {
	return []ent.Index{index.Fields("user_id", "created_at"), index.Fields("user_id", "read_at")}
}

func (Notification) Annotations() []schema.Annotation { return searchableNode }
