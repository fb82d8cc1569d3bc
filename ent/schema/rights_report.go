package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// RightsReport is a report for those who supervise the platform (an
// auditor: a regulator or an industry association): the workers'-rights
// indicators of every organisation that hired in a period, and of the
// platform, as the CSV it was issued as. The CSV's SHA-256 is on the
// ledger, so a copy can be checked against the signed log. It names
// organisations, never people. Auditors and staff read it.
type RightsReport struct{ ent.Schema }

func (RightsReport) Mixin() []ent.Mixin { return []ent.Mixin{withID("rrp"), createdMixin{}} }

func (RightsReport) Fields() []ent.Field {
	return []ent.Field{
		field.Time("period_from").Immutable().Comment("The first instant of the period: hires whose shifts start from it count."),
		field.Time("period_to").Immutable().Comment("The end of the period, excluded."),
		field.Enum("jurisdiction").Values("GENERIC", "CN").Optional().Nillable().Immutable().
			Annotations(entgql.Type("Jurisdiction")).Comment("The organisations it counts: those of this jurisdiction; all when null."),
		field.String("issued_by_id").Immutable().Annotations(hidden),
		field.Text("csv").Immutable().Comment("The report as issued: a header, the platform's row, then a row per organisation by name. Rates are shares from 0 to 1, empty where nothing was counted."),
		field.String("sha256").Immutable().Comment("The CSV's SHA-256, hex; the ledger's entry names it."),
	}
}

func (RightsReport) Indexes() []ent.Index { return []ent.Index{index.Fields("created_at")} }

func (RightsReport) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipWhereInput, entgql.SkipOrderField)}
}
