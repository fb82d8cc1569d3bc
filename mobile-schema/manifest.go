// Package mobileschema is the contract between flexwork and its apps: the
// schema as clients see it (schema.graphql), every operation the apps ship
// (worker/, employer/, staff/ and shared/, one file per screen), and the
// persisted-query manifest generated from them (persisted-queries.json),
// which the server accepts in trusted-documents mode.
package mobileschema

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"sync"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

// The folders of operations: each app compiles its own folder and shared/.
var operationDirs = []string{"shared", "worker", "employer", "staff"}

//go:embed schema.graphql persisted-queries.json shared worker employer staff
var files embed.FS

// ManifestFormat names Apollo's persisted query manifest format.
const ManifestFormat = "apollo-persisted-query-manifest"

// Manifest is a persisted query manifest in Apollo's format.
type Manifest struct {
	Format     string      `json:"format"`
	Version    int         `json:"version"`
	Operations []Operation `json:"operations"`
}

// Operation is one operation the apps may run: its body is the operation
// and every fragment it uses; its id is the hex SHA-256 of the body.
type Operation struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"`
	Body string `json:"body"`
}

// Schema is the exported schema the operations were checked against.
func Schema() string {
	b, _ := files.ReadFile("schema.graphql")
	return string(b)
}

// AcknowledgementsPath is the acknowledgements file's path in the repository.
const AcknowledgementsPath = "mobile-schema/acknowledged-breaking-changes.txt"

// Files returns the operation files compiled into this binary, by path
// (worker/feed.graphql …).
func Files() (map[string]string, error) { return FilesFrom(files) }

// FilesFrom reads the operation files from a mobile-schema folder.
func FilesFrom(fsys fs.FS) (map[string]string, error) {
	out := map[string]string{}
	for _, dir := range operationDirs {
		entries, err := fs.ReadDir(fsys, dir)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if path.Ext(e.Name()) != ".graphql" {
				continue
			}
			p := path.Join(dir, e.Name())
			b, err := fs.ReadFile(fsys, p)
			if err != nil {
				return nil, err
			}
			out[p] = string(b)
		}
	}
	return out, nil
}

// Build checks every operation file against the schema (in SDL) and
// returns the manifest, operations sorted by name. Errors name the file
// and line.
func Build(schemaSDL string, sources map[string]string) (*Manifest, error) {
	schema, err := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql", Input: schemaSDL})
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	// One document of every file, so fragments are shared and names are
	// unique across both apps.
	doc := &ast.QueryDocument{}
	names := make([]string, 0, len(sources))
	for name := range sources {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		d, err := parser.ParseQuery(&ast.Source{Name: name, Input: sources[name]})
		if err != nil {
			return nil, err
		}
		doc.Operations = append(doc.Operations, d.Operations...)
		doc.Fragments = append(doc.Fragments, d.Fragments...)
	}
	if errs := validator.Validate(schema, doc); len(errs) > 0 {
		return nil, errs
	}
	m := &Manifest{Format: ManifestFormat, Version: 1}
	for _, op := range doc.Operations {
		if op.Name == "" {
			return nil, fmt.Errorf("%s:%d: every operation needs a name", op.Position.Src.Name, op.Position.Line)
		}
		body := printOperation(op, doc.Fragments)
		sum := sha256.Sum256([]byte(body))
		m.Operations = append(m.Operations, Operation{ID: hex.EncodeToString(sum[:]), Name: op.Name,
			Type: string(op.Operation), Body: body})
	}
	sort.Slice(m.Operations, func(i, j int) bool { return m.Operations[i].Name < m.Operations[j].Name })
	return m, nil
}

// printOperation writes an operation and the fragments it uses, those sorted by
// name, as one document: the body the apps send and the server runs.
func printOperation(op *ast.OperationDefinition, all ast.FragmentDefinitionList) string {
	used := map[string]bool{}
	var visit func(ast.SelectionSet)
	visit = func(set ast.SelectionSet) {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				visit(s.SelectionSet)
			case *ast.InlineFragment:
				visit(s.SelectionSet)
			case *ast.FragmentSpread:
				if !used[s.Name] {
					used[s.Name] = true
					visit(all.ForName(s.Name).SelectionSet)
				}
			}
		}
	}
	visit(op.SelectionSet)
	doc := &ast.QueryDocument{Operations: ast.OperationList{op}}
	for _, f := range all {
		if used[f.Name] {
			doc.Fragments = append(doc.Fragments, f)
		}
	}
	sort.Slice(doc.Fragments, func(i, j int) bool { return doc.Fragments[i].Name < doc.Fragments[j].Name })
	var b bytes.Buffer
	formatter.NewFormatter(&b, formatter.WithIndent("  ")).FormatQueryDocument(doc)
	return b.String()
}

// JSON is the manifest as written to persisted-queries.json.
func (m *Manifest) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

var embedded = sync.OnceValues(func() (*Manifest, error) {
	b, err := files.ReadFile("persisted-queries.json")
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("persisted-queries.json: %w", err)
	}
	if m.Format != ManifestFormat || m.Version != 1 {
		return nil, fmt.Errorf("persisted-queries.json: format %q version %d, want %q version 1", m.Format, m.Version, ManifestFormat)
	}
	return &m, nil
})

// Embedded is the manifest compiled into this binary.
func Embedded() (*Manifest, error) { return embedded() }

// ByID indexes the operations by id.
func (m *Manifest) ByID() map[string]Operation {
	out := make(map[string]Operation, len(m.Operations))
	for _, op := range m.Operations {
		out[op.ID] = op
	}
	return out
}
