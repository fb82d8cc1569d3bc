// Package schema is flexwork's data model: one file per entity. The GraphQL API
// is derived from it by entgql (annotations), and who may read or change each
// entity is declared in its Policy, composed from the rules in ent/rule.
package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/mixin"

	"flexwork/ent/schema/pulid"
)

// idMixin gives an entity an opaque, sortable, prefixed string ID.
type idMixin struct {
	mixin.Schema
	prefix   string
	internal bool
}

// withID is the ID of a GraphQL node.
func withID(prefix string) idMixin { return idMixin{prefix: prefix} }

// withInternalID is the ID of an entity the API never shows.
func withInternalID(prefix string) idMixin { return idMixin{prefix: prefix, internal: true} }

func (m idMixin) Fields() []ent.Field {
	return []ent.Field{
		field.String("id").
			Immutable().
			NotEmpty().
			DefaultFunc(func() string { return pulid.New(m.prefix) }),
	}
}

func (m idMixin) Annotations() []schema.Annotation {
	return []schema.Annotation{pulid.Annotation{Prefix: m.prefix, Internal: m.internal}}
}

// now is the default for timestamps: flexwork stores every time in UTC.
func now() time.Time { return time.Now().UTC() }

// timeMixin records when a row was created and last changed.
type timeMixin struct{ mixin.Schema }

func (timeMixin) Fields() []ent.Field {
	return []ent.Field{
		field.Time("created_at").
			Immutable().
			Default(now).
			Annotations(entgql.OrderField("CREATED_AT")),
		field.Time("updated_at").
			Default(now).
			UpdateDefault(now).
			Annotations(entgql.Skip(entgql.SkipWhereInput)),
	}
}

// createdMixin is timeMixin for rows that are never updated.
type createdMixin struct{ mixin.Schema }

func (createdMixin) Fields() []ent.Field {
	return []ent.Field{
		field.Time("created_at").
			Immutable().
			Default(now).
			Annotations(entgql.OrderField("CREATED_AT")),
	}
}

// Shared annotation sets.
var (
	// asID types a plain string column holding another entity's ID as ID in
	// GraphQL (edge fields get this by themselves).
	asID = entgql.Type("ID")
	// hidden keeps a field or edge out of the GraphQL API entirely.
	hidden = entgql.Skip()
	// noWhere keeps a field or edge out of the generated where-inputs, so a
	// client cannot probe it with filters.
	noWhere = entgql.Skip(entgql.SkipWhereInput)
	// node makes an entity a Relay node with connections, but without
	// where-inputs: most lists are read, not searched.
	node = []schema.Annotation{entgql.RelayConnection(), entgql.Skip(entgql.SkipWhereInput)}
	// searchableNode is node with where-inputs for lists the apps filter.
	searchableNode = []schema.Annotation{entgql.RelayConnection()}
)
