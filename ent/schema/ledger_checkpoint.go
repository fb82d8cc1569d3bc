package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// LedgerCheckpoint is a signed state of the verifiable log over the ledger:
// the tree's size and root, signed as a note (ledger package), and the
// compact range to grow the tree from.
type LedgerCheckpoint struct{ ent.Schema }

func (LedgerCheckpoint) Mixin() []ent.Mixin { return []ent.Mixin{withID("lcp"), createdMixin{}} }

func (LedgerCheckpoint) Fields() []ent.Field {
	return []ent.Field{
		field.Int64("size").Unique().Immutable(),
		field.Bytes("root").Immutable(),
		field.Text("note").Comment("the signed checkpoint, C2SP signed-note format"),
		field.Text("compact").Immutable().Comment("the compact range's hashes, base64, one per line"),
	}
}

func (LedgerCheckpoint) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

// LedgerNode is the hash of one perfect subtree of the log's Merkle tree
// (level 0: a leaf); inclusion and consistency proofs are made of these.
type LedgerNode struct{ ent.Schema }

func (LedgerNode) Fields() []ent.Field {
	return []ent.Field{
		field.Int("level").Immutable(),
		field.Int64("index").Immutable(),
		field.Bytes("hash").Immutable(),
	}
}

func (LedgerNode) Indexes() []ent.Index {
	return []ent.Index{index.Fields("level", "index").Unique()}
}

func (LedgerNode) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
