package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// RealName is a person's real-name verification (实名认证): the legal name
// and identity number they gave, and where the check stands. The number
// is sealed at rest (market/sealed: envelope encryption under the data
// key from configuration), shown masked, and kept once more as a keyed
// digest so that one identity verifies one account. One per user; the
// user and staff read it.
type RealName struct{ ent.Schema }

func (RealName) Mixin() []ent.Mixin { return []ent.Mixin{withID("rnm"), timeMixin{}} }

func (RealName) Fields() []ent.Field {
	return []ent.Field{
		field.String("user_id").Unique().Immutable().Annotations(asID, noWhere),
		field.String("legal_name").MaxLen(100).Comment("as on the identity card"),
		field.Enum("id_type").Values("PRC_RESIDENT_ID").Default("PRC_RESIDENT_ID").
			Annotations(entgql.Type("IdentityDocumentType")),
		field.Bytes("id_number_sealed").Sensitive().Annotations(hidden),
		field.String("id_number_masked").Comment("the first and last four characters, stars between"),
		field.String("id_number_digest").Optional().Nillable().Unique().Sensitive().Annotations(hidden).
			Comment("HMAC-SHA256 of the number under a key derived from the data key: one identity, one account; cleared when rejected, so a mistaken claim holds no number"),
		field.Enum("status").Values("PENDING", "VERIFIED", "REJECTED").Default("PENDING").
			Annotations(entgql.Type("RealNameStatus")),
		field.String("checked_by").Default("").Annotations(hidden).Comment("the identity service's name, or the staff member's user ID"),
		field.String("check_ref").Default("").Annotations(hidden),
		field.String("reason").Default("").MaxLen(300).Annotations(noWhere).Comment("why it was rejected"),
		field.Time("verified_at").Optional().Nillable().Annotations(noWhere),
	}
}

func (RealName) Indexes() []ent.Index { return []ent.Index{index.Fields("status")} }

func (RealName) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipWhereInput, entgql.SkipOrderField)}
}
