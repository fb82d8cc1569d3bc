package mobileschema

import (
	"bufio"
	"fmt"
	"sort"
	"strings"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// Change is one difference between two schemas that matters to installed
// apps. Breaking changes fail requests an installed app makes; the others
// are worth a look (an enum value an old app has never seen).
type Change struct {
	Path     string // Type, Type.field or Type.field(arg)
	What     string
	Breaking bool
}

// String is how the gate prints a change and how acknowledgements name it.
func (c Change) String() string { return c.Path + ": " + c.What }

// Diff compares the schema the installed apps were built against with the
// current one.
func Diff(oldSDL, newSDL string) ([]Change, error) {
	before, err := gqlparser.LoadSchema(&ast.Source{Name: "old schema.graphql", Input: oldSDL})
	if err != nil {
		return nil, fmt.Errorf("old schema: %w", err)
	}
	after, err := gqlparser.LoadSchema(&ast.Source{Name: "new schema.graphql", Input: newSDL})
	if err != nil {
		return nil, fmt.Errorf("new schema: %w", err)
	}
	var d differ
	names := make([]string, 0, len(before.Types))
	for name, def := range before.Types {
		if !def.BuiltIn {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		old, cur := before.Types[name], after.Types[name]
		switch {
		case cur == nil:
			d.breaking(name, "type removed")
		case old.Kind != cur.Kind:
			d.breaking(name, fmt.Sprintf("changed from %s to %s", kind(old.Kind), kind(cur.Kind)))
		default:
			d.typ(old, cur)
		}
	}
	return d.changes, nil
}

type differ struct{ changes []Change }

func (d *differ) breaking(path, what string) {
	d.changes = append(d.changes, Change{Path: path, What: what, Breaking: true})
}

func (d *differ) dangerous(path, what string) {
	d.changes = append(d.changes, Change{Path: path, What: what})
}

func kind(k ast.DefinitionKind) string { return strings.ToLower(string(k)) }

func (d *differ) typ(old, cur *ast.Definition) {
	switch old.Kind {
	case ast.Object, ast.Interface:
		for _, f := range old.Fields {
			nf := cur.Fields.ForName(f.Name)
			path := old.Name + "." + f.Name
			if nf == nil {
				d.breaking(path, "field removed")
				continue
			}
			if !compatible(f.Type, nf.Type, true) {
				d.breaking(path, fmt.Sprintf("type changed from %s to %s", f.Type, nf.Type))
			}
			d.arguments(path, f.Arguments, nf.Arguments)
		}
		for _, i := range old.Interfaces {
			if !contains(cur.Interfaces, i) {
				d.breaking(old.Name, "no longer implements "+i)
			}
		}
	case ast.InputObject:
		for _, f := range old.Fields {
			nf := cur.Fields.ForName(f.Name)
			path := old.Name + "." + f.Name
			switch {
			case nf == nil:
				d.breaking(path, "input field removed")
			case !compatible(f.Type, nf.Type, false):
				d.breaking(path, fmt.Sprintf("type changed from %s to %s", f.Type, nf.Type))
			}
		}
		for _, nf := range cur.Fields {
			if old.Fields.ForName(nf.Name) == nil && nf.Type.NonNull && nf.DefaultValue == nil {
				d.breaking(old.Name+"."+nf.Name, "required input field added")
			}
		}
	case ast.Enum:
		for _, v := range old.EnumValues {
			if cur.EnumValues.ForName(v.Name) == nil {
				d.breaking(old.Name+"."+v.Name, "enum value removed")
			}
		}
		for _, v := range cur.EnumValues {
			if old.EnumValues.ForName(v.Name) == nil {
				d.dangerous(old.Name+"."+v.Name, "enum value added; installed apps must treat unknown values gracefully")
			}
		}
	case ast.Union:
		for _, t := range old.Types {
			if !contains(cur.Types, t) {
				d.breaking(old.Name, "union member "+t+" removed")
			}
		}
	}
}

func (d *differ) arguments(path string, old, cur ast.ArgumentDefinitionList) {
	for _, a := range old {
		na := cur.ForName(a.Name)
		p := path + "(" + a.Name + ")"
		switch {
		case na == nil:
			d.breaking(p, "argument removed")
		case !compatible(a.Type, na.Type, false):
			d.breaking(p, fmt.Sprintf("type changed from %s to %s", a.Type, na.Type))
		case a.DefaultValue != nil && (na.DefaultValue == nil || a.DefaultValue.String() != na.DefaultValue.String()):
			d.dangerous(p, "default value changed")
		}
	}
	for _, na := range cur {
		if old.ForName(na.Name) == nil && na.Type.NonNull && na.DefaultValue == nil {
			d.breaking(path+"("+na.Name+")", "required argument added")
		}
	}
}

// compatible reports whether a type may change from old to cur without
// breaking installed apps: what the server returns (output) may become
// stricter, nullable to non-null; what the app sends may become looser,
// non-null to nullable; nothing may become a different type.
func compatible(old, cur *ast.Type, output bool) bool {
	if old.NonNull != cur.NonNull && old.NonNull == output {
		return false
	}
	if (old.Elem == nil) != (cur.Elem == nil) {
		return false
	}
	if old.Elem != nil {
		return compatible(old.Elem, cur.Elem, output)
	}
	return old.NamedType == cur.NamedType
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Acknowledgements reads the acknowledgements file: one line per breaking
// change released on purpose, the change exactly as the gate prints it, then
// " | " and why. Blank lines and lines starting with # are skipped. A line
// with no reason is an error: the next person needs to know why.
func Acknowledgements(text string) (map[string]string, error) {
	out := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		change, reason, ok := strings.Cut(line, " | ")
		if !ok || strings.TrimSpace(reason) == "" {
			return nil, fmt.Errorf("acknowledgements line %d: want \"<change> | <reason>\", got %q", n, line)
		}
		out[strings.TrimSpace(change)] = strings.TrimSpace(reason)
	}
	return out, sc.Err()
}

// Unacknowledged are the breaking changes not in the acknowledgements.
func Unacknowledged(changes []Change, acks map[string]string) []Change {
	var out []Change
	for _, c := range changes {
		if c.Breaking && acks[c.String()] == "" {
			out = append(out, c)
		}
	}
	return out
}
