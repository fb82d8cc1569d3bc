package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// IdempotencyKey remembers the answer to a mutation a phone may retry, so
// that the retry gets the same answer instead of a second effect.
type IdempotencyKey struct{ ent.Schema }

func (IdempotencyKey) Mixin() []ent.Mixin { return []ent.Mixin{withInternalID("idk"), createdMixin{}} }

func (IdempotencyKey) Fields() []ent.Field {
	return []ent.Field{
		field.String("user_id").Immutable(),
		field.String("key").NotEmpty().MaxLen(128).Immutable(),
		field.String("operation").Immutable(),
		field.String("request_hash").Immutable(),
		field.Bytes("response").Immutable(),
	}
}

func (IdempotencyKey) Indexes() []ent.Index {
	return []ent.Index{index.Fields("user_id", "key").Unique(), index.Fields("created_at")}
}

func (IdempotencyKey) Annotations() []schema.Annotation { return []schema.Annotation{hidden} }
