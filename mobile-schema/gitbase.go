package mobileschema

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// SchemaPath is the exported schema's path in the repository.
const SchemaPath = "mobile-schema/schema.graphql"

// ReleasesDir holds every schema released to the apps, one file per
// release: v1.graphql, v1.1.graphql, v2.graphql. The newest is what the
// installed apps were built against and what the breaking-change gate
// compares with; releasing is committing a copy of schema.graphql here.
const ReleasesDir = "mobile-schema/releases"

// ErrNoBase means there is nothing released to compare with.
var ErrNoBase = errors.New("no base schema to compare with")

var releaseName = regexp.MustCompile(`^v(\d+)(?:\.(\d+))?\.graphql$`)

// LatestRelease returns the newest released schema in the repository at
// dir, and its name (v1.1).
func LatestRelease(dir string) (string, string, error) {
	entries, err := os.ReadDir(filepath.Join(dir, ReleasesDir))
	if errors.Is(err, os.ErrNotExist) {
		return "", "", fmt.Errorf("%w: no release in %s yet", ErrNoBase, ReleasesDir)
	}
	if err != nil {
		return "", "", err
	}
	type release struct {
		file         string
		major, minor int
	}
	var rs []release
	for _, e := range entries {
		m := releaseName.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		major, _ := strconv.Atoi(m[1])
		minor, _ := strconv.Atoi(m[2])
		rs = append(rs, release{e.Name(), major, minor})
	}
	if len(rs) == 0 {
		return "", "", fmt.Errorf("%w: no release in %s yet", ErrNoBase, ReleasesDir)
	}
	sort.Slice(rs, func(i, j int) bool {
		return rs[i].major < rs[j].major || rs[i].major == rs[j].major && rs[i].minor < rs[j].minor
	})
	newest := rs[len(rs)-1]
	b, err := os.ReadFile(filepath.Join(dir, ReleasesDir, newest.file))
	if err != nil {
		return "", "", err
	}
	return string(b), strings.TrimSuffix(newest.file, ".graphql"), nil
}

// SchemaAt returns the schema at a git revision of the repository at dir
// (to compare a release branch with what it branched from).
func SchemaAt(dir, ref string) (string, error) {
	cmd := exec.Command("git", "show", ref+":"+SchemaPath)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("git show %s:%s: %v: %s", ref, SchemaPath, err, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}
