package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"flexwork/ent/schema/bank"
	"flexwork/ent/schema/enum"
	"flexwork/ent/schema/week"
)

// WorkerProfile is the working side of a user: what they can do, where they
// live, what they accept, and how they have done so far. Home location and
// minimum rate are private to the worker; employers see distance instead.
type WorkerProfile struct{ ent.Schema }

func (WorkerProfile) Mixin() []ent.Mixin { return []ent.Mixin{withID("wkr"), timeMixin{}} }

func (WorkerProfile) Fields() []ent.Field {
	return []ent.Field{
		field.String("user_id").Unique().Immutable(),
		field.String("headline").Default("").MaxLen(120),
		field.String("bio").Default("").MaxLen(2000),
		field.Float("home_lat").Optional().Nillable().Annotations(hidden),
		field.Float("home_lng").Optional().Nillable().Annotations(hidden),
		field.Int("travel_radius_km").Default(15).Annotations(hidden),
		field.Int64("min_hourly_rate").Optional().Nillable().Comment("minor units").Annotations(hidden),
		field.String("currency").Default("EUR").MaxLen(3).Annotations(hidden),
		// Where payouts go: the worker's account at the payment provider
		// (a Stripe connected account). Private like the home.
		field.String("payout_account").Default("").MaxLen(64).Annotations(hidden),
		// Or a bank account, paid by staff's batch transfer; the method set
		// last is the one payouts use.
		field.JSON("payout_bank", bank.Account{}).Optional().Annotations(hidden),
		field.Enum("payout_method").Values("STRIPE", "BANK_TRANSFER").Optional().Nillable().
			Annotations(entgql.Type("PayoutMethod"), entgql.Skip(entgql.SkipWhereInput, entgql.SkipOrderField)),
		field.JSON("engagement_types", []enum.EngagementType{}).Optional().
			Annotations(entgql.Type("[EngagementType!]")),
		// When the worker can work: a weekly pattern and dated exceptions,
		// private like the home; the feed, the match score and the push
		// fan-out read it (market/preferences.go).
		field.JSON("availability", week.Availability{}).Optional().Annotations(hidden),
		// Credit and track record, maintained by market and credit.
		field.Int("credit_score").Default(600).Annotations(hidden).Comment("credit.Baseline until the first credit event"),
		field.Bool("credit_provisional").Default(true).Annotations(hidden),
		field.Time("credit_as_of").Optional().Nillable().Annotations(hidden).
			Comment("the moment credit_score was computed for; recomputing as of it gives the same score"),
		field.Float("rating_avg").Default(0).Annotations(noWhere),
		field.Int("rating_count").Default(0).Annotations(noWhere),
		field.Int("completed_shifts").Default(0).Annotations(noWhere),
		field.Int("no_shows").Default(0).Annotations(hidden),
	}
}

func (WorkerProfile) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("user", User.Type).Ref("worker_profile").Field("user_id").Unique().Required().Immutable(),
		edge.To("skills", Skill.Type).Through("worker_skills", WorkerSkill.Type),
		edge.To("certifications", Certification.Type).Annotations(entgql.RelayConnection()),
		// The worker's own lists; privacy shows an employer only the rows
		// that concern it.
		edge.To("applications", Application.Type).Annotations(entgql.RelayConnection(), noWhere),
		edge.To("offers", Offer.Type).Annotations(entgql.RelayConnection(), noWhere),
		edge.To("assignments", Assignment.Type).Annotations(entgql.RelayConnection(), noWhere),
		edge.To("credit_events", CreditEvent.Type).Annotations(hidden),
		edge.To("roster_entries", RosterEntry.Type).Annotations(hidden),
	}
}

func (WorkerProfile) Annotations() []schema.Annotation { return node }
