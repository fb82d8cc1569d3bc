package entdb

import (
	"strings"
	"testing"
	"testing/fstest"

	"flexwork/ent/migrate/migrations"
)

func TestEditedMigrationIsRefused(t *testing.T) {
	fsys := fstest.MapFS{}
	names, _ := migrations.FS.ReadDir(".")
	for _, e := range names {
		b, err := migrations.FS.ReadFile(e.Name())
		if err != nil {
			t.Fatal(err)
		}
		fsys[e.Name()] = &fstest.MapFile{Data: b}
	}
	if _, err := migrationFiles(fsys); err != nil {
		t.Fatalf("the committed migrations do not validate: %v", err)
	}
	for name, f := range fsys {
		if strings.HasSuffix(name, ".sql") {
			f.Data = append(f.Data, []byte("\nDROP TABLE users;\n")...)
			break
		}
	}
	if _, err := migrationFiles(fsys); err == nil || !strings.Contains(err.Error(), "atlas.sum") {
		t.Fatalf("an edited migration file was accepted (err = %v)", err)
	}
}
