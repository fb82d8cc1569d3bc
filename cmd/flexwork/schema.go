package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"flexwork/graph"
	mobileschema "flexwork/mobile-schema"
)

// schema prints or writes the schema the apps see, or checks it for
// breaking changes.
func schema(args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "check":
			return schemaCheck(args[1:])
		case "manifests":
			return schemaManifests(args[1:])
		}
	}
	fs := flag.NewFlagSet("schema", flag.ContinueOnError)
	out := fs.String("out", "", "write to this file instead of standard output")
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, err := graph.ClientSchema()
	if err != nil {
		return err
	}
	return write(*out, []byte(s))
}

func write(path string, b []byte) error {
	if path == "" {
		_, err := os.Stdout.Write(b)
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// schemaManifests checks a folder of the apps' persisted query manifests
// against the server's schema, as the server does when it starts with
// PERSISTED_QUERY_MANIFESTS: an app's CI runs it before the manifest ships.
func schemaManifests(args []string) error {
	fs := flag.NewFlagSet("schema manifests", flag.ContinueOnError)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: flexwork schema manifests DIR")
	}
	sdl, err := graph.ClientSchema()
	if err != nil {
		return err
	}
	schema, gqlErr := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql", Input: sdl})
	if gqlErr != nil {
		return gqlErr
	}
	manifests, err := mobileschema.LoadDir(fs.Arg(0))
	if err != nil {
		return err
	}
	var errs []error
	for _, m := range manifests {
		if err := m.Check(schema); err != nil {
			errs = append(errs, err)
			continue
		}
		fmt.Printf("%s: %d operations fit the schema\n", m.Source, len(m.Operations))
	}
	return errors.Join(errs...)
}

// schemaCheck is the breaking-change gate: it lists what changed since the
// base and fails on breaking changes not acknowledged.
func schemaCheck(args []string) error {
	fs := flag.NewFlagSet("schema check", flag.ContinueOnError)
	base := fs.String("base", "", "git revision to compare with (default: the newest release in mobile-schema/releases)")
	repo := fs.String("repo", ".", "the repository")
	if err := fs.Parse(args); err != nil {
		return err
	}
	old, ref, err := mobileschema.LatestRelease(*repo)
	if *base != "" {
		ref = *base
		old, err = mobileschema.SchemaAt(*repo, *base)
	}
	if errors.Is(err, mobileschema.ErrNoBase) {
		fmt.Println("nothing to compare with:", err)
		return nil
	}
	if err != nil {
		return err
	}
	cur, err := os.ReadFile(filepath.Join(*repo, mobileschema.SchemaPath))
	if err != nil {
		return err
	}
	ackText, err := os.ReadFile(filepath.Join(*repo, mobileschema.AcknowledgementsPath))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	acks, err := mobileschema.Acknowledgements(string(ackText))
	if err != nil {
		return err
	}
	changes, err := mobileschema.Diff(old, string(cur))
	if err != nil {
		return err
	}
	fmt.Printf("schema changes since %s: %d\n", ref, len(changes))
	for _, c := range changes {
		mark := "  note     "
		switch {
		case c.Breaking && acks[c.String()] != "":
			mark = "  accepted "
		case c.Breaking:
			mark = "  BREAKING "
		}
		fmt.Println(mark + c.String())
	}
	if bad := mobileschema.Unacknowledged(changes, acks); len(bad) > 0 {
		names := make([]string, len(bad))
		for i, c := range bad {
			names[i] = c.String()
		}
		return fmt.Errorf("%d breaking change(s) would break installed apps; keep the old shape (deprecate, add alongside) or acknowledge each in %s with a reason:\n  %s",
			len(bad), mobileschema.AcknowledgementsPath, strings.Join(names, "\n  "))
	}
	return nil
}
