package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// InsuranceCover is the insurance one assignment has before work starts:
// the kind its jurisdiction asks (jurisdiction.Cover), the insurer and the
// policy or enrolment number, the window it covers, the premium and who
// pays it. Staff or the paying organisation's managers record an
// enrolment they made; an insurer's API may enrol too. The worker, the
// organisations of the hire and staff read it.
type InsuranceCover struct{ ent.Schema }

func (InsuranceCover) Mixin() []ent.Mixin { return []ent.Mixin{withID("cov"), timeMixin{}} }

func (InsuranceCover) Fields() []ent.Field {
	return []ent.Field{
		field.String("assignment_id").Immutable().Annotations(asID, noWhere),
		field.String("worker_id").Immutable().Annotations(asID, noWhere),
		field.String("employer_id").Immutable().Annotations(asID, noWhere).Comment("the using employer"),
		field.String("payer_id").Immutable().Annotations(asID, noWhere).Comment("the organisation that pays the premium; the employer's ID, the agency's, or empty for the platform"),
		field.Enum("kind").Values("OCCUPATIONAL_INJURY", "SOCIAL_INSURANCE", "ACCIDENT", "LIABILITY").Immutable().
			Annotations(entgql.Type("CoverKind")),
		field.String("insurer").MaxLen(120).Immutable(),
		field.String("policy_number").MaxLen(64).Immutable(),
		field.Time("covers_from").Immutable(),
		field.Time("covers_to").Immutable(),
		field.Int64("premium").Default(0).Immutable().Annotations(hidden).Comment("minor units"),
		field.String("currency").MaxLen(3).Immutable().Annotations(hidden),
		field.String("recorded_by").Immutable().Annotations(hidden).Comment("the user who recorded it, or the insurer API's name"),
		field.Enum("status").Values("ACTIVE", "CANCELLED").Default("ACTIVE").Annotations(entgql.Type("CoverStatus")),
	}
}

func (InsuranceCover) Indexes() []ent.Index {
	return []ent.Index{index.Fields("assignment_id", "status")}
}

func (InsuranceCover) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipWhereInput, entgql.SkipOrderField)}
}
