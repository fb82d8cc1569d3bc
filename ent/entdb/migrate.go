package entdb

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	atlas "ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql/schema"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"flexwork/ent/migrate/migrations"
)

// Migrate brings the schema up to date. SQLite, the embedded default,
// migrates itself from the ent schema. PostgreSQL applies the versioned
// migration files in ent/migrate/migrations, in order, each in its own
// transaction, recording each in flexwork_schema_migrations; a file already
// applied is never applied again, and two servers starting at once take
// turns (an advisory lock).
//
// River's job tables follow, migrated by River's own migrator.
func (d *DB) Migrate(ctx context.Context) error {
	var err error
	if d.Dialect == dialect.SQLite {
		if err = d.Client.Schema.Create(ctx); err == nil {
			err = d.fillShiftWeeks(ctx)
		}
	} else {
		err = applyMigrations(ctx, d.SQL, migrations.FS)
	}
	if err != nil {
		return err
	}
	migrator, err := rivermigrate.New(d.RiverDriver(), nil)
	if err != nil {
		return err
	}
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrate river: %w", err)
	}
	return nil
}

// RiverDriver is River's driver for this database: both work through
// database/sql, so that jobs can be enqueued in the transaction of the
// change that causes them.
func (d *DB) RiverDriver() riverdriver.Driver[*sql.Tx] {
	if d.Dialect == dialect.SQLite {
		return riversqlite.New(d.SQL)
	}
	return riverdatabasesql.New(d.SQL)
}

// migrationLock is the advisory lock key that serialises migrators.
const migrationLock = 7_202_611

func applyMigrations(ctx context.Context, db *sql.DB, fsys fs.FS) error {
	files, err := migrationFiles(fsys)
	if err != nil {
		return err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLock); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLock)
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS flexwork_schema_migrations (
		version text PRIMARY KEY,
		applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	applied := map[string]bool{}
	rows, err := conn.QueryContext(ctx, "SELECT version FROM flexwork_schema_migrations")
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return err
		}
		applied[v] = true
	}
	rows.Close()
	for _, f := range files {
		if applied[f.version] {
			continue
		}
		if err := applyOne(ctx, conn, f); err != nil {
			return err
		}
	}
	return nil
}

func applyOne(ctx context.Context, conn *sql.Conn, f migrationFile) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Without arguments pgx sends the file as one simple-protocol query, so a
	// file may hold many statements.
	if _, err := tx.ExecContext(ctx, f.sql); err != nil {
		return fmt.Errorf("migrate: %s: %w", f.version, err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO flexwork_schema_migrations (version) VALUES ($1)", f.version); err != nil {
		return fmt.Errorf("migrate: record %s: %w", f.version, err)
	}
	return tx.Commit()
}

type migrationFile struct{ version, sql string }

// migrationFiles reads the migration directory in order and checks it
// against its atlas.sum, so an edited or half-merged file is refused
// before anything runs.
func migrationFiles(fsys fs.FS) ([]migrationFile, error) {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	dir := &atlas.MemDir{}
	var files []migrationFile
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		if err := dir.WriteFile(name, b); err != nil {
			return nil, err
		}
		files = append(files, migrationFile{version: strings.TrimSuffix(path.Base(name), ".sql"), sql: string(b)})
	}
	sum, err := fs.ReadFile(fsys, atlas.HashFileName)
	if err != nil {
		return nil, fmt.Errorf("migrate: %s: %w", atlas.HashFileName, err)
	}
	if err := dir.WriteFile(atlas.HashFileName, sum); err != nil {
		return nil, err
	}
	if err := atlas.Validate(dir); err != nil {
		return nil, fmt.Errorf("migrate: migration files do not match %s (edited after generation?): %w", atlas.HashFileName, err)
	}
	return files, nil
}

// PendingMigrations lists the migration files a PostgreSQL database has not
// applied yet; SQLite has none.
func (d *DB) PendingMigrations(ctx context.Context) ([]string, error) {
	if d.Dialect == dialect.SQLite {
		return nil, nil
	}
	files, err := migrationFiles(migrations.FS)
	if err != nil {
		return nil, err
	}
	applied := map[string]bool{}
	rows, err := d.SQL.QueryContext(ctx, "SELECT version FROM flexwork_schema_migrations")
	if err == nil {
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return nil, err
			}
			applied[v] = true
		}
		rows.Close()
	}
	// No table yet means nothing is applied.
	var pending []string
	for _, f := range files {
		if !applied[f.version] {
			pending = append(pending, f.version)
		}
	}
	return pending, nil
}

// Diff writes a new migration file to dirPath holding the changes that take
// the schema the existing files build to the current ent schema. devURL
// must name an empty PostgreSQL database to replay the files on.
func Diff(ctx context.Context, devURL, dirPath, name string) error {
	dir, err := atlas.NewLocalDir(dirPath)
	if err != nil {
		return err
	}
	dev, err := Open(ctx, devURL)
	if err != nil {
		return err
	}
	defer dev.Close()
	if dev.Dialect != dialect.Postgres {
		return fmt.Errorf("migrate diff: the dev database must be PostgreSQL")
	}
	return dev.Client.Schema.NamedDiff(ctx, name,
		schema.WithDir(dir),
		schema.WithMigrationMode(schema.ModeReplay),
		schema.WithDialect(dialect.Postgres),
		schema.WithFormatter(atlas.DefaultFormatter),
		schema.WithDropColumn(true),
		schema.WithDropIndex(true),
	)
}

// Pending writes to w the statements that would bring db to the ent schema;
// empty output means the migrations are complete. Tests use it.
func (d *DB) Pending(ctx context.Context) (string, error) {
	var b strings.Builder
	err := d.Client.Schema.WriteTo(ctx, &b, schema.WithDropColumn(true), schema.WithDropIndex(true))
	out := strings.TrimSpace(strings.NewReplacer("BEGIN;", "", "COMMIT;", "").Replace(b.String()))
	return out, err
}
