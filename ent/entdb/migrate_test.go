package entdb_test

import (
	"context"
	"testing"

	"flexwork/ent/entdb/entdbtest"
)

// TestMigrationsMatchTheSchema applies the committed migration files to an
// empty database and asks ent what is still missing: nothing may be. When
// this fails after a schema change, run `flexwork migrate diff NAME`.
func TestMigrationsMatchTheSchema(t *testing.T) {
	for _, d := range entdbtest.Dialects {
		t.Run(d, func(t *testing.T) {
			ctx := context.Background()
			db := entdbtest.OpenEmpty(t, d)
			if err := db.Migrate(ctx); err != nil {
				t.Fatalf("migrate an empty database: %v", err)
			}
			if err := db.Migrate(ctx); err != nil {
				t.Fatalf("migrate twice: %v", err)
			}
			pending, err := db.Pending(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if pending != "" {
				t.Fatalf("after migrating, the schema still needs:\n%s\nrun `flexwork migrate diff NAME --dev-url …`", pending)
			}
			files, err := db.PendingMigrations(ctx)
			if err != nil || len(files) != 0 {
				t.Fatalf("pending migration files after migrate: %v %v", files, err)
			}
		})
	}
}

func TestPendingMigrationsOnAnEmptyDatabase(t *testing.T) {
	db := entdbtest.OpenEmpty(t, "postgres")
	files, err := db.PendingMigrations(context.Background())
	if err != nil || len(files) == 0 {
		t.Fatalf("an empty database has pending %v (err %v); want every file", files, err)
	}
}
