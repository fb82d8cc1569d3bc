// Package mobileschema is the contract between flexwork and its apps: the
// schema as clients see it (schema.graphql), every operation the apps ship
// (worker/, employer/, staff/ and shared/, one file per screen), and the
// persisted-query manifest Apollo's generator makes of them
// (persisted-queries.json), which the server accepts in trusted-documents
// mode beside the manifests the apps' own builds write.
package mobileschema

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"sync"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
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
	Source     string      `json:"-"` // where it was read, for errors
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

// Validate checks every operation file against the schema (in SDL) and
// returns the names of the operations; errors name the file and line. The
// manifest itself, persisted-queries.json, is written by Apollo's generator
// (apollo/manifest.mjs), so that its ids are the ones Apollo computes.
func Validate(schemaSDL string, sources map[string]string) ([]string, error) {
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
	var ops []string
	for _, op := range doc.Operations {
		if op.Name == "" {
			return nil, fmt.Errorf("%s:%d: every operation needs a name", op.Position.Src.Name, op.Position.Line)
		}
		ops = append(ops, op.Name)
	}
	sort.Strings(ops)
	return ops, nil
}

// Check validates every operation of the manifest against the schema: each
// body parses, holds the operation it is named for, validates, and hashes
// to its id. Errors name the manifest and the operation.
func (m *Manifest) Check(schema *ast.Schema) error {
	var errs []error
	for _, op := range m.Operations {
		sum := sha256.Sum256([]byte(op.Body))
		if op.ID != hex.EncodeToString(sum[:]) {
			errs = append(errs, fmt.Errorf("%s: %s: the id is not the SHA-256 of the body", m.Source, op.Name))
			continue
		}
		doc, err := parser.ParseQuery(&ast.Source{Name: op.Name, Input: op.Body})
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %s: %v", m.Source, op.Name, err))
			continue
		}
		if len(doc.Operations) != 1 || doc.Operations[0].Name != op.Name {
			errs = append(errs, fmt.Errorf("%s: %s: the body must hold exactly the operation %s", m.Source, op.Name, op.Name))
			continue
		}
		if verrs := validator.Validate(schema, doc); len(verrs) > 0 {
			errs = append(errs, fmt.Errorf("%s: %s: %v", m.Source, op.Name, verrs))
		}
	}
	return errors.Join(errs...)
}

// Parse reads a manifest in either format Apollo's tools write: the
// persisted query manifest ({"format": "apollo-persisted-query-manifest",
// "version": 1, "operations": [{id, name, type, body}]}, from Apollo
// Client's generator, Apollo Kotlin's and Apollo iOS's persistedQueries
// output), or Apollo iOS's legacy operation identifiers
// ({"<id>": {"name", "source"}}). source names it in errors.
func Parse(source string, b []byte) (*Manifest, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(b, &probe); err != nil {
		return nil, fmt.Errorf("%s: not a JSON object: %w", source, err)
	}
	if _, ok := probe["operations"]; ok {
		var m Manifest
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("%s: %w", source, err)
		}
		if m.Format != ManifestFormat || m.Version != 1 {
			return nil, fmt.Errorf("%s: format %q version %d, want %q version 1", source, m.Format, m.Version, ManifestFormat)
		}
		m.Source = source
		return &m, nil
	}
	m := &Manifest{Format: ManifestFormat, Version: 1, Source: source}
	for id, raw := range probe {
		var op struct{ Name, Source string }
		if err := json.Unmarshal(raw, &op); err != nil || op.Source == "" {
			return nil, fmt.Errorf("%s: %s is neither a persisted query manifest nor Apollo iOS operation identifiers", source, id)
		}
		typ := "query"
		if d, err := parser.ParseQuery(&ast.Source{Input: op.Source}); err == nil && len(d.Operations) == 1 {
			typ = string(d.Operations[0].Operation)
		}
		m.Operations = append(m.Operations, Operation{ID: id, Name: op.Name, Type: typ, Body: op.Source})
	}
	sort.Slice(m.Operations, func(i, j int) bool { return m.Operations[i].Name < m.Operations[j].Name })
	return m, nil
}

// LoadDir reads every manifest (*.json) in a folder: one per app and app
// version, kept while that version is in the field.
func LoadDir(dir string) ([]*Manifest, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []*Manifest
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".json" {
			continue
		}
		p := filepath.Join(dir, e.Name())
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		m, err := Parse(p, b)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

var embedded = sync.OnceValues(func() (*Manifest, error) {
	b, err := files.ReadFile("persisted-queries.json")
	if err != nil {
		return nil, err
	}
	return Parse("mobile-schema/persisted-queries.json", b)
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
