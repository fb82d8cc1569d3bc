package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
)

// Contract is the written agreement every hire produces, rendered from a
// versioned template for the shift's engagement type; both parties sign it
// before the worker may check in. When the employer changes the shift's
// terms, the contract is re-issued: new text, digest and revision, and no
// signatures. The ledger keeps what was signed: the hire's entry the first
// digest, each CONTRACT_REISSUED entry the text and digest it replaced.
type Contract struct{ ent.Schema }

func (Contract) Mixin() []ent.Mixin { return []ent.Mixin{withID("ctr"), timeMixin{}} }

func (Contract) Fields() []ent.Field {
	return []ent.Field{
		field.String("assignment_id").Immutable().Unique(),
		field.String("worker_id").Immutable().Annotations(asID, noWhere),
		field.String("employer_id").Immutable().Annotations(asID, noWhere),
		field.String("template_version"),
		field.Text("body"),
		field.String("sha256"),
		field.Int("revision").Default(1).Comment("1 at the hire; one more at each re-issue"),
		field.Time("worker_signed_at").Optional().Nillable(),
		field.Time("employer_signed_at").Optional().Nillable(),
		field.String("employer_signed_by_id").Optional().Nillable().Annotations(hidden),
		// The third party of dispatch and outsourcing, who signs too.
		field.String("agency_id").Optional().Nillable().Immutable().Annotations(asID, noWhere),
		field.Time("agency_signed_at").Optional().Nillable(),
		field.String("agency_signed_by_id").Optional().Nillable().Annotations(hidden),
	}
}

func (Contract) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("assignment", Assignment.Type).Ref("contract").Field("assignment_id").Unique().Required().Immutable(),
	}
}

func (Contract) Annotations() []schema.Annotation { return node }
