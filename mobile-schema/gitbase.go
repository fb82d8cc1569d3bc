package mobileschema

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// SchemaPath is the exported schema's path in the repository.
const SchemaPath = "mobile-schema/schema.graphql"

// ErrNoBase means there is nothing released to compare with: no git, no
// release tag and no main branch to branch from, or no schema there yet.
var ErrNoBase = errors.New("no base schema to compare with")

// BaseSchema finds the schema the installed apps were built against, in
// the git repository at dir: at ref if given, else at the last release tag
// (v*), else where this branch left main. It returns the schema and the
// revision it came from.
func BaseSchema(dir, ref string) (string, string, error) {
	git := func(args ...string) (string, error) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return "", fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
		}
		return strings.TrimSpace(string(out)), nil
	}
	if _, err := git("rev-parse", "--git-dir"); err != nil {
		return "", "", ErrNoBase
	}
	if ref == "" {
		if tag, err := git("describe", "--tags", "--abbrev=0", "--match", "v*"); err == nil {
			ref = tag
		}
	}
	if ref == "" {
		for _, main := range []string{"origin/main", "main"} {
			if base, err := git("merge-base", "HEAD", main); err == nil {
				ref = base
				break
			}
		}
	}
	if ref == "" {
		return "", "", ErrNoBase
	}
	sdl, err := git("show", ref+":"+SchemaPath)
	if err != nil {
		return "", ref, fmt.Errorf("%w: %s has no %s", ErrNoBase, ref, SchemaPath)
	}
	return sdl + "\n", ref, nil
}
