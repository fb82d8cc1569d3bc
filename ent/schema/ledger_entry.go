package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// LedgerEntry is one link of the append-only, hash-chained record of hires,
// signatures, approvals, payments, cancellations, credit events and staff
// decisions. hash = SHA-256(prev_hash ‖ seq ‖ kind ‖ subject ‖ actor ‖ payload ‖ time);
// changing any stored entry breaks every hash after it.
type LedgerEntry struct{ ent.Schema }

func (LedgerEntry) Mixin() []ent.Mixin { return []ent.Mixin{withID("led"), createdMixin{}} }

func (LedgerEntry) Fields() []ent.Field {
	return []ent.Field{
		field.Int64("seq").Unique().Immutable(),
		field.String("kind").NotEmpty().Immutable(),
		field.String("subject_id").Immutable().Annotations(asID),
		field.String("actor_id").Default("").Immutable().Annotations(asID),
		field.Text("payload").Immutable().Comment("canonical JSON"),
		field.String("prev_hash").Immutable(),
		field.String("hash").Immutable(),
	}
}

func (LedgerEntry) Indexes() []ent.Index {
	return []ent.Index{index.Fields("subject_id")}
}

func (LedgerEntry) Annotations() []schema.Annotation { return node }
