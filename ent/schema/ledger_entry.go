package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// LedgerEntry is one entry of the append-only record of hires, signatures,
// approvals, payments, cancellations, credit events and staff decisions.
// A transaction writes its entry alone (format 2: hash over its own fields,
// no seq, no reference to other entries), so that writers never wait for one
// another; the sequencer (market.Checkpoint) then gives it its seq and makes
// it a leaf of the Merkle log under a signed checkpoint. Entries written
// before the log are format 1, links of a hash chain:
// hash = SHA-256(prev_hash ‖ seq ‖ kind ‖ subject ‖ actor ‖ payload ‖ time).
type LedgerEntry struct{ ent.Schema }

func (LedgerEntry) Mixin() []ent.Mixin { return []ent.Mixin{withID("led"), createdMixin{}} }

func (LedgerEntry) Fields() []ent.Field {
	return []ent.Field{
		field.Int64("seq").Optional().Nillable().Unique().Immutable().
			Comment("the entry's place in the log, from 1; set once, by the sequencer's own UPDATE"),
		field.Int("format").Default(1).Immutable().Annotations(hidden).
			Comment("1: a link of the hash chain (every entry before the log); 2: hashed alone, sequenced later"),
		field.String("kind").NotEmpty().Immutable(),
		field.String("subject_id").Immutable().Annotations(asID),
		field.String("actor_id").Default("").Immutable().Annotations(asID),
		field.Text("payload").Immutable().Comment("canonical JSON"),
		field.String("prev_hash").Immutable(),
		field.String("hash").Immutable(),
	}
}

func (LedgerEntry) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("subject_id"),
		// The sequencer's queue: the entries still without a place.
		index.Fields("created_at").Annotations(entsql.IndexWhere("seq IS NULL")),
	}
}

func (LedgerEntry) Annotations() []schema.Annotation { return node }
