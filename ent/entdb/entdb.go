// Package entdb opens flexwork's database — SQLite by default, PostgreSQL
// when given a postgres:// URL — and brings its schema up to date.
//
// Importing this package also registers the privacy policies and hooks of
// ent/schema (ent/runtime). Open every client through it.
package entdb

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver, which tests and tools open
	_ "modernc.org/sqlite"             // registers the "sqlite" driver (pure Go)

	"flexwork/ent"
	_ "flexwork/ent/runtime" // privacy policies: without this import every rule is silently off
)

// DB is an open database: the ent client and the pool beneath it.
type DB struct {
	*ent.Client
	SQL        *sql.DB
	Dialect    string // dialect.SQLite or dialect.Postgres
	statements *atomic.Int64
}

// sqlitePragmas are what SQLite needs to behave as flexwork expects:
// foreign keys enforced; writers wait for each other (busy_timeout) instead
// of failing; WAL so readers never block writers; times read back in UTC;
// and transactions that take the write lock at BEGIN (txlock=immediate), so
// two transactions never deadlock upgrading from read to write.
const sqlitePragmas = "_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
	"&_pragma=synchronous(NORMAL)&_time_format=sqlite&_txlock=immediate"

// SQLiteURL returns the database URL of an SQLite file.
func SQLiteURL(path string) string { return "sqlite:" + path }

// Open connects to the database named by rawURL: "postgres://…" (or
// "postgresql://…") for PostgreSQL, "sqlite:PATH" for an SQLite file.
func Open(ctx context.Context, rawURL string) (*DB, error) {
	var (
		db          *sql.DB
		err         error
		dialectName string
	)
	switch {
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		dialectName = dialect.Postgres
		db, err = openPostgres(rawURL)
		if err == nil {
			db.SetMaxOpenConns(32)
			db.SetMaxIdleConns(32)
			db.SetConnMaxIdleTime(5 * time.Minute)
		}
	case strings.HasPrefix(rawURL, "sqlite:"):
		dialectName = dialect.SQLite
		path := strings.TrimPrefix(rawURL, "sqlite:")
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, fmt.Errorf("entdb: data directory: %w", err)
		}
		db, err = sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+sqlitePragmas)
		if err == nil {
			// Idle connections keep the WAL index warm; writers queue on
			// busy_timeout, so more connections only add readers.
			db.SetMaxOpenConns(16)
			db.SetMaxIdleConns(16)
		}
	default:
		return nil, fmt.Errorf("entdb: unsupported database URL %q (want postgres://… or sqlite:PATH)", redact(rawURL))
	}
	if err != nil {
		return nil, fmt.Errorf("entdb: open: %w", err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("entdb: connect to %s: %w", redact(rawURL), err)
	}
	n := new(atomic.Int64)
	drv := counting{Driver: entsql.OpenDB(dialectName, db), n: n}
	return &DB{Client: ent.NewClient(ent.Driver(drv)), SQL: db, Dialect: dialectName, statements: n}, nil
}

// Close closes the client and its pool.
func (d *DB) Close() error { return d.Client.Close() }

// Ping checks that the database answers; /readyz uses it.
func (d *DB) Ping(ctx context.Context) error { return d.SQL.PingContext(ctx) }

// redact hides the password of a database URL for logs and errors.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Analyze refreshes the planner's statistics after a bulk load; on
// PostgreSQL it also vacuums, which marks pages all-visible so that
// index-only scans (the feed's) need not visit the table.
func (d *DB) Analyze(ctx context.Context) error {
	stmt := "ANALYZE"
	if d.Dialect == dialect.Postgres {
		stmt = "VACUUM ANALYZE"
	}
	_, err := d.SQL.ExecContext(ctx, stmt)
	return err
}
