package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Certification is a worker's proof of a skill: a document uploaded straight
// to object storage and verified by staff. Only verified certificates that
// are valid on a shift's date count in screening.
type Certification struct{ ent.Schema }

func (Certification) Mixin() []ent.Mixin { return []ent.Mixin{withID("crt"), timeMixin{}} }

func (Certification) Fields() []ent.Field {
	return []ent.Field{
		field.String("worker_id").Immutable(),
		field.String("skill_id").Immutable(),
		field.String("title").NotEmpty().MaxLen(120),
		// Details beyond skill, title and status show through
		// Certification.details, to the people who may see them.
		field.String("issuer").Default("").MaxLen(120).Annotations(hidden),
		field.String("credential_number").Default("").MaxLen(64).Annotations(hidden),
		field.Time("issued_on").Optional().Nillable().Annotations(hidden),
		field.Time("expires_on").Optional().Nillable().Annotations(hidden),
		field.Enum("status").
			Values("AWAITING_UPLOAD", "PENDING_REVIEW", "VERIFIED", "REJECTED", "EXPIRED", "REVOKED").
			Default("AWAITING_UPLOAD").
			Annotations(entgql.OrderField("STATUS")),
		// The stored document, checked on the bytes, never on the client's
		// word. No upload form ever names this key: the server copies the
		// upload here when it completes, so the document cannot be replaced.
		field.String("object_key").Immutable().Annotations(hidden),
		// The key the upload form writes to, one per upload; cleared once the
		// form has expired and whatever it left is deleted. Certificates
		// from before uploads had their own key have none: their form wrote
		// object_key itself.
		field.String("upload_key").Optional().Nillable().Annotations(hidden),
		field.String("file_name").Default("").MaxLen(200).Annotations(hidden),
		field.String("content_type").Default("").Annotations(hidden),
		field.Int64("byte_size").Default(0).Annotations(hidden),
		field.String("sha256").Default("").Annotations(hidden),
		field.Time("uploaded_at").Optional().Nillable().Annotations(hidden),
		field.String("reviewed_by_id").Optional().Nillable().Annotations(hidden),
		field.Time("reviewed_at").Optional().Nillable().Annotations(hidden),
		field.String("review_reason").Default("").MaxLen(500).Annotations(hidden),
		field.Time("expiry_warned_at").Optional().Nillable().Annotations(hidden),
	}
}

func (Certification) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("worker", WorkerProfile.Type).Ref("certifications").Field("worker_id").Unique().Required().Immutable(),
		edge.To("skill", Skill.Type).Field("skill_id").Unique().Required().Immutable(),
	}
}

func (Certification) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("worker_id", "status"),
		index.Fields("status", "created_at"), // the staff review queue
		index.Fields("status", "expires_on"), // the expiry job
		// The local blob store asks, per upload, whether the form's key is
		// still wanted (market.UploadWanted).
		index.Fields("upload_key"),
		index.Fields("object_key"),
	}
}

func (Certification) Annotations() []schema.Annotation { return searchableNode }
