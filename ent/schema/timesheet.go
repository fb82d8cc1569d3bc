package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Timesheet is the record of time worked on an assignment and of the money
// owed for it. Approval fixes the amount and a payment deadline; a timesheet
// the employer leaves alone is approved automatically.
type Timesheet struct{ ent.Schema }

func (Timesheet) Mixin() []ent.Mixin { return []ent.Mixin{withID("tms"), timeMixin{}} }

func (Timesheet) Fields() []ent.Field {
	return []ent.Field{
		field.String("assignment_id").Immutable().Unique(),
		field.String("worker_id").Immutable().Annotations(asID, noWhere),
		field.String("employer_id").Immutable().Annotations(asID, noWhere),
		// The agency or contractor that employs the worker (dispatch,
		// outsourcing): it pays the wage, so it sees and marks the payment.
		field.String("agency_id").Optional().Nillable().Immutable().Annotations(asID, noWhere),
		field.Enum("status").
			Values("SUBMITTED", "APPROVED", "DISPUTED", "RESOLVED").
			Default("SUBMITTED").
			Annotations(entgql.OrderField("STATUS")),
		field.Int("worked_minutes").Comment("from check-in to check-out, less the unpaid break"),
		// Where the times came from: the worker's check-out; the employer,
		// who recorded them for a worker who forgot (recordTime); the
		// system, which closed a check-in left open past the check-out
		// window at the shift's end, for the employer to review; or no work
		// at all: the fee the contract owes a worker whose hire the employer
		// cancelled late, paid like wages.
		field.Enum("source").Values("CHECK_OUT", "RECORDED_BY_EMPLOYER", "CLOSED_AFTER_SHIFT", "CANCELLATION_FEE").Default("CHECK_OUT"),
		// A worker who could not check out says when they left; the
		// employer confirms it by recording the time.
		field.Time("claimed_check_out_at").Optional().Nillable(),
		field.String("claim_note").Default("").MaxLen(500),
		field.Int("approved_minutes").Optional().Nillable(),
		field.String("adjustment_reason").Default("").MaxLen(500),
		field.Time("submitted_at"),
		field.Time("approved_at").Optional().Nillable(),
		field.String("approved_by_id").Optional().Nillable().Annotations(hidden),
		field.Bool("auto_approved").Default(false),
		field.Time("disputed_at").Optional().Nillable(),
		field.String("dispute_reason").Default("").MaxLen(1000),
		// Before approval the worker may propose other minutes, saying why;
		// the employer approves them or others.
		field.Int("proposed_minutes").Optional().Nillable(),
		field.String("correction_note").Default("").MaxLen(500),
		// A dispute the two cannot settle goes to staff: the party who takes
		// it there adds their statement to what both said already.
		field.Time("escalated_at").Optional().Nillable(),
		field.Enum("escalated_by").Values("WORKER", "EMPLOYER").Optional().Nillable(),
		field.String("escalation_note").Default("").MaxLen(1000),
		// Staff's decision, final: the status is then RESOLVED.
		field.Time("decided_at").Optional().Nillable(),
		field.String("decision_note").Default("").MaxLen(1000),
		// Payment.
		field.Int64("amount_owed").Optional().Nillable().Comment("minor units, fixed at approval"),
		field.String("currency").MaxLen(3),
		field.Time("payment_due_at").Optional().Nillable().Annotations(entgql.OrderField("PAYMENT_DUE_AT")),
		// The employer marks a payment made; the worker confirms it (or lets
		// a week pass without answering) or says it did not arrive. Only a
		// confirmed payment counts, once, on the employer's record. A
		// prefunded wage is RELEASED from escrow into the worker's balance on
		// approval: paid, with nothing for anyone to mark or confirm.
		field.Enum("payment_status").
			Values("NOT_DUE", "UNPAID", "MARKED_PAID", "CONFIRMED", "OVERDUE", "NOT_RECEIVED", "RELEASED").
			Default("NOT_DUE"),
		field.String("payment_reference").Default("").MaxLen(120),
		field.Int64("released_amount").Default(0).Annotations(noWhere).
			Comment("minor units released from escrow (and funds) into the worker's balance so far"),
		field.Int64("withheld_amount").Default(0).Annotations(noWhere).
			Comment("minor units of tax withheld from what was released, by the jurisdiction's rule"),
		field.String("withholding_rule").Default("").Annotations(noWhere).
			Comment("the rule tax was withheld under; empty when none was"),
		field.Time("paid_at").Optional().Nillable(),
		field.Time("payment_confirmed_at").Optional().Nillable(),
		field.Bool("payment_auto_confirmed").Default(false),
		field.Time("not_received_at").Optional().Nillable(),
		field.String("not_received_note").Default("").MaxLen(500),
		field.Time("overdue_at").Optional().Nillable().Comment("first flagged overdue; the overdue credit counts once"),
		field.Time("payment_credited_at").Optional().Nillable().Annotations(hidden).
			Comment("when the payment counted on the employer's record: once per timesheet"),
	}
}

func (Timesheet) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("assignment", Assignment.Type).Ref("timesheet").Field("assignment_id").Unique().Required().Immutable(),
	}
}

func (Timesheet) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("status", "submitted_at"),           // auto-approval job
		index.Fields("payment_status", "payment_due_at"), // overdue job
		index.Fields("payment_status", "paid_at"),        // confirming unanswered payments
		index.Fields("employer_id", "status"),
		index.Fields("escalated_at"), // staff's queue
	}
}

func (Timesheet) Annotations() []schema.Annotation { return searchableNode }
