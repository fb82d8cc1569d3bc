package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// StaffAction is the audit trail of what staff did: every decision they
// made over someone else's standing or data, every private document they
// were handed a link to, and every grant of staff rights. It is written in
// the same transaction as the act, and never changed.
type StaffAction struct{ ent.Schema }

func (StaffAction) Mixin() []ent.Mixin { return []ent.Mixin{withID("aud"), createdMixin{}} }

func (StaffAction) Fields() []ent.Field {
	return []ent.Field{
		field.String("actor_id").Default("").Immutable().Annotations(asID).
			Comment("the staff user; empty for the operator at the command line"),
		field.Enum("action").Immutable().Values(
			"STAFF_GRANTED", "DOCUMENT_READ", "CERTIFICATION_REVIEWED", "CERTIFICATION_REVOKED",
			"CREDIT_DISPUTE_RESOLVED", "REVIEW_REPORT_DECIDED", "REVIEW_HIDDEN", "TIMESHEET_DECIDED",
			"REAL_NAME_DECIDED", "LICENCE_DECIDED", "AUDITOR_APPOINTED", "RIGHTS_REPORT_ISSUED"),
		field.String("subject_id").Immutable().Annotations(asID),
		field.String("note").Default("").MaxLen(1000).Immutable(),
	}
}

func (StaffAction) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("actor_id", "created_at"),
		index.Fields("subject_id", "created_at"),
	}
}

func (StaffAction) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()} // listed by auditLog, staff only
}
