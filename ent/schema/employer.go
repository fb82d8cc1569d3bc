package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"flexwork/ent/schema/rights"
)

// Employer is a business that posts shifts. Its name, description, rating and
// pay record are public; its members, roster and unpublished shifts are not.
type Employer struct{ ent.Schema }

func (Employer) Mixin() []ent.Mixin { return []ent.Mixin{withID("emp"), timeMixin{}} }

func (Employer) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(120).Annotations(entgql.OrderField("NAME")),
		field.String("description").Default("").MaxLen(4000),
		field.String("website").Default("").MaxLen(200),
		field.String("address").Default("").MaxLen(300),
		field.Float("lat").Optional().Nillable(),
		field.Float("lng").Optional().Nillable(),
		// What the organisation is: an employer posts its own shifts; an
		// agency (劳务派遣单位) is the legal employer of workers it dispatches
		// to using units; a contractor (外包单位) does work it took on.
		field.Enum("kind").Values("EMPLOYER", "AGENCY", "CONTRACTOR").Default("EMPLOYER").Immutable().
			Annotations(entgql.Type("OrganisationKind")),
		// The law it operates under: which rule pack checks its shifts and
		// hires, which contract it signs, which currency it pays in.
		field.Enum("jurisdiction").Values("GENERIC", "CN").Default("GENERIC").Immutable().
			Annotations(entgql.Type("Jurisdiction")),
		// Credit and public record, maintained by market and credit.
		field.Int("credit_score").Default(600).Annotations(hidden).Comment("credit.Baseline until the first credit event"),
		field.Bool("credit_provisional").Default(true).Annotations(hidden),
		field.Time("credit_as_of").Optional().Nillable().Annotations(hidden).
			Comment("the moment credit_score was computed for; recomputing as of it gives the same score"),
		field.Float("rating_avg").Default(0).Annotations(noWhere),
		field.Int("rating_count").Default(0).Annotations(noWhere),
		field.Int("paid_on_time").Default(0).Annotations(noWhere).Comment("payments made by their deadline"),
		field.Int("paid_late").Default(0).Annotations(noWhere).Comment("payments made after their deadline"),
		// How it pays wages: PREFUNDED holds each hire's wage in escrow from
		// its funds, so the worker is paid on approval whatever happens
		// next; CREDIT (granted by staff) pays by the deadline after
		// approval. New employers are prefunded; employers that hired before
		// escrow existed keep credit terms.
		// The worker-rights score (market/rights.go): the last 90 days'
		// contract, on-time wage, cover and dispute figures, refreshed daily
		// by the sweep; shown to workers on shift cards.
		field.Int("rights_score").Optional().Nillable().Annotations(hidden).Comment("0-100; none before the first hire in the window"),
		field.JSON("rights_figures", rights.Figures{}).Optional().Annotations(hidden),
		field.Time("rights_as_of").Optional().Nillable().Annotations(hidden),
		field.Enum("funding_terms").Values("PREFUNDED", "CREDIT").Default("CREDIT").Annotations(entgql.Type("FundingTerms")),
		// On credit terms, what it may owe at once (wages of open hires and
		// approved wages unpaid, and its debt to the guarantee fund), in
		// minor units of its pack's currency; nil: no limit.
		field.Int64("credit_limit").Optional().Nillable().Annotations(hidden),
		// The business licence's unified social credit code, checksum-
		// validated, and whether staff verified it against the licence: the
		// CN pack posts shifts only for verified organisations.
		field.String("licence_number").Optional().Nillable().MaxLen(18).Annotations(noWhere).
			Comment("The unified social credit code on its business licence: public record in China."),
		field.Enum("licence_status").Values("PENDING", "VERIFIED", "REJECTED").Optional().Nillable().
			Annotations(entgql.Type("LicenceStatus"), entgql.Skip(entgql.SkipWhereInput, entgql.SkipOrderField)),
	}
}

func (Employer) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("memberships", Membership.Type).Annotations(noWhere),
		// Pending and past invitations, for the employer's members.
		edge.To("invitations", EmployerInvitation.Type).Annotations(entgql.RelayConnection(), noWhere),
		edge.To("shifts", Shift.Type).Annotations(entgql.RelayConnection(), noWhere),
		edge.To("roster", RosterEntry.Type).Annotations(entgql.RelayConnection(), noWhere),
		edge.To("shift_templates", ShiftTemplate.Type).Annotations(entgql.RelayConnection(), noWhere),
		edge.To("credit_events", CreditEvent.Type).Annotations(hidden),
	}
}

func (Employer) Annotations() []schema.Annotation { return node }
