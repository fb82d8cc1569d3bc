package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"flexwork/ent/schema/bank"
)

// MoneyAccount is one account of the double-entry money ledger (package
// money): whose it is, what it holds, in which currency, and its balance
// in minor units, which is always the sum of its postings (money verify
// proves it). Read through market, never directly over GraphQL.
type MoneyAccount struct{ ent.Schema }

func (MoneyAccount) Mixin() []ent.Mixin { return []ent.Mixin{withID("mac"), timeMixin{}} }

func (MoneyAccount) Fields() []ent.Field {
	return []ent.Field{
		field.String("kind").Immutable().Comment("money.Kind"),
		field.String("owner_id").Default("").Immutable().Comment("the employer, worker or assignment; empty for the platform's"),
		field.String("currency").MaxLen(3).Immutable(),
		field.Int64("balance").Default(0),
	}
}

func (MoneyAccount) Edges() []ent.Edge {
	return []ent.Edge{edge.To("postings", MoneyPosting.Type)}
}

func (MoneyAccount) Indexes() []ent.Index {
	return []ent.Index{index.Fields("kind", "owner_id", "currency").Unique()}
}

func (MoneyAccount) Annotations() []schema.Annotation { return []schema.Annotation{entgql.Skip()} }

// MoneyTransaction is one balanced movement of money: its postings add up
// to zero. Its key makes posting it idempotent; its digest, over every
// field and posting, goes on the tamper-evident ledger. Never changed.
type MoneyTransaction struct{ ent.Schema }

func (MoneyTransaction) Mixin() []ent.Mixin { return []ent.Mixin{withID("mtx"), createdMixin{}} }

func (MoneyTransaction) Fields() []ent.Field {
	return []ent.Field{
		field.String("key").Unique().Immutable().MaxLen(200),
		field.String("kind").Immutable(),
		field.String("currency").MaxLen(3).Immutable(),
		field.String("memo").Default("").MaxLen(500).Immutable(),
		field.String("digest").Immutable().Comment("SHA-256, hex, of money.Transaction.Canonical"),
	}
}

func (MoneyTransaction) Edges() []ent.Edge {
	return []ent.Edge{edge.To("postings", MoneyPosting.Type)}
}

func (MoneyTransaction) Annotations() []schema.Annotation { return []schema.Annotation{entgql.Skip()} }

// MoneyPosting is one leg of a transaction: an amount into (positive) or
// out of (negative) one account.
type MoneyPosting struct{ ent.Schema }

func (MoneyPosting) Mixin() []ent.Mixin { return []ent.Mixin{withID("mpo"), createdMixin{}} }

func (MoneyPosting) Fields() []ent.Field {
	return []ent.Field{
		field.String("transaction_id").Immutable(),
		field.String("account_id").Immutable(),
		field.Int64("amount").Immutable(),
	}
}

func (MoneyPosting) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("transaction", MoneyTransaction.Type).Ref("postings").Field("transaction_id").Unique().Required().Immutable(),
		edge.From("account", MoneyAccount.Type).Ref("postings").Field("account_id").Unique().Required().Immutable(),
	}
}

func (MoneyPosting) Indexes() []ent.Index {
	return []ent.Index{index.Fields("account_id")}
}

func (MoneyPosting) Annotations() []schema.Annotation { return []schema.Annotation{entgql.Skip()} }

// Payout is a worker's withdrawal of their balance to their account at a
// payment provider. Requesting it moves the amount from the worker's
// balance to payouts in transit (one money transaction); a job sends it
// to the provider under the payout's ID as the idempotency key and, once
// the provider answers, settles it (PAID) or gives the money back
// (RETURNED). The worker reads their own; nobody else but staff.
type Payout struct{ ent.Schema }

func (Payout) Mixin() []ent.Mixin { return []ent.Mixin{withID("pay"), timeMixin{}} }

func (Payout) Fields() []ent.Field {
	return []ent.Field{
		field.String("worker_id").Immutable().Annotations(asID, noWhere),
		field.Int64("amount").Immutable().Comment("minor units"),
		field.String("currency").MaxLen(3).Immutable(),
		field.String("provider").Immutable().Annotations(noWhere).Comment("the payment provider that sends it: stripe"),
		field.String("destination").Immutable().Annotations(hidden).Comment("the worker's account at the provider"),
		field.Enum("status").Values("PENDING", "PAID", "RETURNED").Default("PENDING").
			Annotations(entgql.Type("PayoutStatus")),
		field.String("provider_ref").Default("").Annotations(noWhere).Comment("the provider's reference for the transfer"),
		field.Int("attempts").Default(0).Annotations(hidden).Comment("sends begun; after the first, the provider is asked before sending again"),
		field.String("last_error").Default("").MaxLen(500).Annotations(hidden),
		field.Time("settled_at").Optional().Nillable().Annotations(noWhere).Comment("when it was paid or returned"),
		field.JSON("bank", bank.Account{}).Optional().Annotations(hidden).Comment("for a bank transfer: the account it goes to"),
		field.String("batch_id").Optional().Nillable().Annotations(asID, noWhere).Comment("For a bank transfer: the batch file staff sent it in, once batched."),
	}
}

func (Payout) Edges() []ent.Edge {
	return []ent.Edge{edge.From("batch", PayoutBatch.Type).Ref("payouts").Field("batch_id").Unique().Annotations(hidden)}
}

func (Payout) Indexes() []ent.Index {
	return []ent.Index{index.Fields("worker_id", "created_at"), index.Fields("status", "provider", "batch_id")}
}

func (Payout) Annotations() []schema.Annotation { return node }

// PayoutBatch is one bank-transfer file staff take to the bank: the
// pending bank payouts of one currency that no batch held yet, each in
// exactly one batch. Staff settle it when the bank's statement shows the
// transfers: every payout PAID, or RETURNED with the bank's reason.
type PayoutBatch struct{ ent.Schema }

func (PayoutBatch) Mixin() []ent.Mixin { return []ent.Mixin{withID("pbt"), timeMixin{}} }

func (PayoutBatch) Fields() []ent.Field {
	return []ent.Field{
		field.String("currency").MaxLen(3).Immutable(),
		field.Int("count").Default(0).Comment("payouts in the batch, written once they are claimed"),
		field.Int64("total").Default(0).Annotations(hidden).Comment("minor units"),
		field.String("created_by").Immutable().Annotations(hidden),
		field.Time("settled_at").Optional().Nillable().Annotations(noWhere).Comment("when staff settled it from the bank's statement"),
	}
}

func (PayoutBatch) Edges() []ent.Edge {
	return []ent.Edge{edge.To("payouts", Payout.Type).Annotations(hidden)}
}

func (PayoutBatch) Annotations() []schema.Annotation { return node }
