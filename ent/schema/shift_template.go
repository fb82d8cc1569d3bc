package schema

import (
	"encoding/json"

	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// ShiftTemplate is a shift an employer posts often, saved under a name:
// everything a shift says but its date, kept as the draft createShift
// takes (market/template.go), with the local time it starts and how long
// it lasts. Its members see it; managers keep it.
type ShiftTemplate struct{ ent.Schema }

func (ShiftTemplate) Mixin() []ent.Mixin { return []ent.Mixin{withID("stp"), timeMixin{}} }

func (ShiftTemplate) Fields() []ent.Field {
	return []ent.Field{
		field.String("employer_id").Immutable(),
		field.String("name").NotEmpty().MaxLen(120),
		field.String("title").NotEmpty().MaxLen(120),
		field.String("start_time").Comment("When a shift from it starts, as HH:MM on the clock of timeZone."),
		field.Int("minutes").Comment("How long a shift from it lasts, in minutes on the clock."),
		field.String("time_zone"),
		field.JSON("draft", json.RawMessage{}).Annotations(hidden),
		field.String("created_by_id").Immutable().Annotations(hidden),
	}
}

func (ShiftTemplate) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("employer", Employer.Type).Ref("shift_templates").Field("employer_id").Unique().Required().Immutable(),
	}
}

func (ShiftTemplate) Indexes() []ent.Index {
	return []ent.Index{index.Fields("employer_id", "name").Unique()}
}

func (ShiftTemplate) Annotations() []schema.Annotation {
	return node
}
