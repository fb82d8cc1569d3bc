// Package gqlschema adjusts the GraphQL schema entgql writes from the ent
// schema (graph/schema/ent.graphql) to the conventions of the whole API, so
// that generated and hand-written parts read as one: times are DateTime,
// every connection pages forward by a `first` that has a default and a
// maximum, optional text is null when it was not given, and every type,
// field and enum value says what it is.
package gqlschema

import (
	_ "embed"
	"fmt"
	"strings"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/entc/gen"
	"entgo.io/ent/schema/field"
	"github.com/vektah/gqlparser/v2/ast"
)

// Hooks are the adjustments, in order.
var Hooks = []entgql.SchemaHook{DateTime, ForwardPages, OptionalText, NonNullLists, Describe}

// DefaultPage and MaxPage are every connection's page sizes.
const (
	DefaultPage = 20
	MaxPage     = 100
)

// DateTime renames entgql's Time scalar to DateTime, RFC 3339, as the
// hand-written schema names it.
func DateTime(_ *gen.Graph, s *ast.Schema) error {
	rename := func(t *ast.Type) {
		for ; t != nil; t = t.Elem {
			if t.NamedType == "Time" {
				t.NamedType = "DateTime"
			}
		}
	}
	for _, def := range s.Types {
		for _, f := range def.Fields {
			rename(f.Type)
			for _, a := range f.Arguments {
				rename(a.Type)
			}
		}
	}
	delete(s.Types, "Time")
	return nil
}

// ForwardPages makes every connection page forward only — `first` (1 to
// 100, default 20) and `after` — as the apps page: a screen loads more as
// it scrolls down.
func ForwardPages(_ *gen.Graph, s *ast.Schema) error {
	for _, def := range s.Types {
		for _, f := range def.Fields {
			if f.Arguments.ForName("first") == nil {
				continue
			}
			var args ast.ArgumentDefinitionList
			for _, a := range f.Arguments {
				switch a.Name {
				case "last", "before":
					continue
				case "first":
					a.Type = ast.NonNullNamedType("Int", nil)
					a.DefaultValue = &ast.Value{Kind: ast.IntValue, Raw: "20"}
					a.Description = "How many to return: 1 to 100."
				case "after":
					a.Description = "The endCursor of the page before; none for the first page."
				}
				args = append(args, a)
			}
			f.Arguments = args
		}
	}
	return nil
}

// OptionalText makes the text an entity may lack — a string field that
// defaults to "" (a shift's description, a review's reply) — a nullable
// String, described as such: an app tells "not given" by null, never by
// "". The server answers null for "" in every nullable String
// (server.emptyTextAsNull).
func OptionalText(g *gen.Graph, s *ast.Schema) error {
	for _, n := range g.Nodes {
		def := s.Types[n.Name]
		if def == nil {
			continue
		}
		for _, f := range n.Fields {
			if f.Type.Type != field.TypeString || !f.Default || f.DefaultValue() != "" {
				continue
			}
			gf := def.Fields.ForName(camel(f.Name))
			if gf == nil || gf.Type.NamedType != "String" || !gf.Type.NonNull {
				continue
			}
			gf.Type.NonNull = false
			if gf.Description == "" {
				gf.Description = "Null when not given."
			}
		}
	}
	return nil
}

// camel is entgql's GraphQL name of an ent field: "cancel_reason" → "cancelReason".
func camel(s string) string {
	parts := strings.Split(s, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// NonNullLists says of every list an entity answers that it is never null,
// nor any item in it: `[Shift!]!`, `[ShiftEdge!]!`. An empty list is empty,
// not null (the server answers [] for a Go nil: server.emptiness).
func NonNullLists(_ *gen.Graph, s *ast.Schema) error {
	for _, def := range s.Types {
		// The root's node and nodes keep Relay's types: nodes answers null
		// for an ID the viewer may not see.
		if def.Kind != ast.Object && def.Kind != ast.Interface || def.Name == "Query" {
			continue
		}
		for _, f := range def.Fields {
			switch {
			case f.Type.Elem != nil:
				f.Type.NonNull = true
				f.Type.Elem.NonNull = true
			case strings.HasPrefix(f.Type.NamedType, "[") && strings.HasSuffix(f.Type.NamedType, "!]"):
				// a JSON list field, its type written as a name: [String!]
				f.Type.NonNull = true
			}
		}
	}
	return nil
}

//go:embed descriptions.txt
var descriptions string

// Describe gives the generated types, fields and enum values the
// descriptions of descriptions.txt, where the ent schema gave none: an app
// developer reads them in GraphiQL and in the code Apollo generates. A
// line that names nothing in the schema is an error.
func Describe(_ *gen.Graph, s *ast.Schema) error {
	for n, line := range strings.Split(descriptions, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, text, ok := strings.Cut(line, "\t")
		if !ok {
			return fmt.Errorf("descriptions.txt:%d: want \"Type.field<TAB>text\"", n+1)
		}
		typ, member, _ := strings.Cut(key, ".")
		def := s.Types[typ]
		switch {
		case def == nil:
			return fmt.Errorf("descriptions.txt:%d: no type %s", n+1, typ)
		case member == "":
			def.Description = describe(def.Description, text)
		case def.Fields.ForName(member) != nil:
			f := def.Fields.ForName(member)
			f.Description = describe(f.Description, text)
		case def.EnumValues.ForName(member) != nil:
			v := def.EnumValues.ForName(member)
			v.Description = describe(v.Description, text)
		default:
			return fmt.Errorf("descriptions.txt:%d: %s has no %s", n+1, typ, member)
		}
	}
	return nil
}

// describe keeps a description the ent schema gave.
func describe(have, text string) string {
	if have != "" {
		return have
	}
	return text
}
