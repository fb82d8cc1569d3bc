package flexwork

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGeneratedCodeIsFresh copies the source tree, runs `go generate ./...`
// in the copy, and fails if any file comes out different — ent's client, the
// entities' GraphQL schema, gqlgen's executor and resolvers' stubs, the
// apps' schema. Generated code is regenerated, never edited by hand.
func TestGeneratedCodeIsFresh(t *testing.T) {
	if testing.Short() {
		t.Skip("regenerates everything; skipped with -short")
	}
	src, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	files := sourceFiles(t, src)
	dst := t.TempDir()
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dst, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Apollo's manifest generator runs from mobile-schema/apollo's packages;
	// the copy borrows them rather than installing them again.
	if nm := filepath.Join(src, "mobile-schema", "apollo", "node_modules"); dirExists(nm) {
		if err := os.Symlink(nm, filepath.Join(dst, "mobile-schema", "apollo", "node_modules")); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("go", "generate", "./...")
	cmd.Dir = dst
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go generate: %v\n%s", err, out)
	}
	var stale []string
	want := map[string]bool{}
	for _, f := range files {
		want[f] = true
		got, err := os.ReadFile(filepath.Join(dst, f))
		if err != nil {
			stale = append(stale, f+" (deleted by go generate)")
			continue
		}
		orig, _ := os.ReadFile(filepath.Join(src, f))
		if !bytes.Equal(orig, got) {
			stale = append(stale, f)
		}
	}
	_ = filepath.WalkDir(dst, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && d.Type()&fs.ModeSymlink == 0 {
			if rel, _ := filepath.Rel(dst, p); !want[rel] {
				stale = append(stale, rel+" (new)")
			}
		}
		return nil
	})
	if len(stale) > 0 {
		t.Fatalf("generated files are stale; run `go generate ./...` and commit:\n  %s", strings.Join(stale, "\n  "))
	}
}

// sourceFiles lists the repository's files: git's view when there is one
// (tracked plus new, minus ignored), else every file but .git and caches.
func sourceFiles(t *testing.T, dir string) []string {
	cmd := exec.Command("git", "ls-files", "--cached", "--others", "--exclude-standard")
	cmd.Dir = dir
	if out, err := cmd.Output(); err == nil {
		var files []string
		for _, f := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if _, err := os.Stat(filepath.Join(dir, f)); err == nil && f != "" {
				files = append(files, f)
			}
		}
		return files
	}
	var files []string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() && (rel == ".git" || rel == ".cache" || rel == "data" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if err == nil && !d.IsDir() {
			files = append(files, rel)
		}
		return nil
	})
	return files
}

func dirExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// TestTheScanTemplateIsEntsButForScanValues: ent/template/scan.tmpl
// replaces ent's "dialect/sql/decode/one" to give scanValues one slab a
// row; everything else in it must stay what the ent in go.mod writes, so
// an upgrade of ent that changes its template fails here until the copy
// is brought up to date.
func TestTheScanTemplateIsEntsButForScanValues(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "entgo.io/ent").Output()
	if err != nil {
		t.Fatalf("go list -m entgo.io/ent: %v", err)
	}
	ents, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "entc", "gen", "template", "dialect", "sql", "decode.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	ours, err := os.ReadFile(filepath.Join("ent", "template", "scan.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	// parts splits the template's definition into what comes before
	// scanValues and what comes after it.
	parts := func(name string, text []byte) (before, after string) {
		s := string(text)
		start := strings.Index(s, `{{ define "dialect/sql/decode/one" }}`)
		scan := strings.Index(s, "// scanValues returns")
		assign := strings.Index(s, "// assignValues assigns")
		if start < 0 || scan < start || assign < scan {
			t.Fatalf("%s: no dialect/sql/decode/one with scanValues before assignValues", name)
		}
		end := strings.Index(s[assign:], "\n{{ end }}")
		if end < 0 {
			t.Fatalf("%s: dialect/sql/decode/one has no end", name)
		}
		return s[start:scan], s[assign : assign+end]
	}
	entBefore, entAfter := parts("ent's decode.tmpl", ents)
	ourBefore, ourAfter := parts("scan.tmpl", ours)
	if ourBefore != entBefore {
		t.Errorf("scan.tmpl's text before scanValues differs from ent's:\n%s\nent's:\n%s", ourBefore, entBefore)
	}
	if ourAfter != entAfter {
		t.Errorf("scan.tmpl's text after scanValues differs from ent's:\n%s\nent's:\n%s", ourAfter, entAfter)
	}
}
