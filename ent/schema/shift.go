package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"flexwork/ent/schema/enum"
)

// Shift is a piece of work an employer posts: when, where, what it pays, how
// many workers it needs, and who may take it.
//
// draft → published → (filled) → in_progress → completed;
// draft/published/filled → cancelled.
//
// `filled` counts hired workers; it only moves through a conditional UPDATE
// (filled < slots), so a shift never hires more workers than it has slots.
type Shift struct{ ent.Schema }

func (Shift) Mixin() []ent.Mixin { return []ent.Mixin{withID("shf"), timeMixin{}} }

func (Shift) Fields() []ent.Field {
	return []ent.Field{
		field.String("employer_id").Immutable(),
		field.String("created_by_id").Immutable().Annotations(hidden),
		field.String("title").NotEmpty().MaxLen(120),
		field.String("description").Default("").MaxLen(4000),
		field.Enum("engagement_type").GoType(enum.EngagementType("")).
			Annotations(entgql.Type("EngagementType")),
		field.Enum("status").
			Values("DRAFT", "PUBLISHED", "FILLED", "IN_PROGRESS", "COMPLETED", "CANCELLED").
			Default("DRAFT").
			Annotations(entgql.OrderField("STATUS")),
		// Place.
		field.String("address").NotEmpty().MaxLen(300),
		field.Float("lat"),
		field.Float("lng"),
		field.Int("geofence_radius_m").Default(200).Comment("check-in must happen this close to the place"),
		// Time. Stored in UTC; time_zone is the place's IANA zone for display and contracts.
		field.Time("starts_at").Annotations(entgql.OrderField("STARTS_AT")),
		field.Time("ends_at"),
		field.String("time_zone"),
		field.Int("unpaid_break_minutes").Default(0),
		// Pay, in minor units of an ISO 4217 currency.
		field.Int64("pay_rate").Annotations(entgql.OrderField("PAY_RATE")),
		field.String("currency").MaxLen(3),
		field.Enum("pay_unit").Values("HOUR", "SHIFT"),
		field.Int64("hourly_rate").Default(0).Annotations(entgql.OrderField("HOURLY_RATE")).
			Comment("pay per paid hour, for comparing hourly and per-shift pay"),
		field.Int("slots"),
		// Days after approval within which pay is due: the settlement cycle
		// the contract states (CN part-time: at most 15).
		field.Int("pay_cycle_days").Default(7),
		// The third party of dispatch and outsourcing: the agency or
		// contractor that is the worker's legal employer and signs.
		field.String("agency_id").Optional().Nillable().Immutable(),
		// What kind of post a dispatched worker fills (CN: temporary,
		// auxiliary or substitute) and for how long the post exists.
		field.Enum("post_nature").Values("TEMPORARY", "AUXILIARY", "SUBSTITUTE").Optional().Nillable().
			Annotations(entgql.Type("DispatchPost")),
		field.Int("post_months").Optional().Nillable(),
		// The shifts posted together by one recurrence rule share it
		// (createShiftSeries), so that they can be found and edited together.
		field.String("series_id").Optional().Nillable().Immutable().Annotations(asID),
		// The required skills again, as IDs: screening and the apps read them
		// from here and the skills taxonomy in memory, without a join per
		// page; the edges below serve filters.
		field.Strings("required_skill_ids").Optional().Annotations(hidden),
		field.Strings("required_certification_ids").Optional().Annotations(hidden),
		// Courses the employer names for this shift, beyond those its
		// skills ask (Course.skill_id); a safety briefing every hire
		// acknowledges before check-in.
		field.Strings("required_course_ids").Optional().Annotations(hidden),
		field.Text("safety_briefing").Default("").MaxLen(4000).
			Comment("Occupational health and safety briefing every hire acknowledges before check-in; empty when none."),
		field.Int("filled").Default(0),
		// Counts changes to what a hire agrees to (times, place, pay):
		// an acceptance made on terms read before a change is refused, so
		// every contract holds the terms of the shift it was signed for.
		field.Int("terms_version").Default(1).Annotations(hidden),
		// Screening rules.
		field.Int("min_credit_score").Optional().Nillable(),
		field.Int("max_distance_km").Optional().Nillable(),
		field.Bool("newcomers_allowed").Default(true),
		field.Bool("nda").Default(false),
		field.Time("published_at").Optional().Nillable(),
		field.Time("cancelled_at").Optional().Nillable(),
		field.String("cancel_reason").Default("").MaxLen(500),
		// The backfill of a cancelled hire's slot (market/backfill.go): the
		// step it last took, or how it ended, and when. Managers read it
		// through Shift.backfill; nobody else sees it.
		field.Enum("backfill").Values("STANDBY", "ROSTER", "MATCHED", "FILLED", "EXHAUSTED", "STOPPED", "CLOSED").
			Optional().Nillable().Annotations(hidden),
		field.Time("backfill_at").Optional().Nillable().Annotations(hidden),
		// Where the shift falls in its local week (week.Span): the minute of
		// its local start (Monday 00:00 is 0; -1 until computed) and its
		// length on the clock. Workers' weekly availability is matched
		// against these in SQL, whatever the shift's time zone.
		field.Int("week_minute").Default(-1).Annotations(hidden),
		// A boost (market/boost.go): added to the pay, in its unit, of every
		// hire made while it is on; and the most the sweep may raise it to
		// by itself as the start nears unfilled, when the employer said so.
		field.Int64("boost").Default(0).Annotations(hidden),
		field.Int64("boost_cap").Optional().Nillable().Annotations(hidden),
		field.Int("week_minutes").Default(0).Annotations(hidden),
	}
}

func (Shift) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("employer", Employer.Type).Ref("shifts").Field("employer_id").Unique().Required().Immutable(),
		edge.To("agency", Employer.Type).Field("agency_id").Unique().Immutable().Annotations(noWhere),
		edge.To("required_skills", Skill.Type).Annotations(hidden),
		edge.To("required_certifications", Skill.Type).Annotations(hidden),
		edge.To("applications", Application.Type).Annotations(entgql.RelayConnection(), noWhere),
		edge.To("offers", Offer.Type).Annotations(entgql.RelayConnection(), noWhere),
		edge.To("assignments", Assignment.Type).Annotations(entgql.RelayConnection(), noWhere),
	}
}

func (Shift) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("status", "starts_at"),
		// The feed: shifts by status and place, carrying what the feed
		// filters on, so that choosing a page is an index-only scan.
		index.Fields("status", "lat", "lng").StorageKey("shift_feed").Annotations(
			entsql.IncludeColumns("starts_at", "filled", "slots", "id")),
		index.Fields("employer_id", "starts_at"),
		index.Fields("series_id", "starts_at"),
		index.Fields("backfill"), // the sweep finds the cascades still running
	}
}

func (Shift) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField(), entgql.MultiOrder()}
}
