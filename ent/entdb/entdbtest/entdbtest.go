// Package entdbtest gives tests a fresh, migrated database of each kind
// flexwork runs on: an SQLite file in a temporary directory, and a new
// PostgreSQL database on the server named by TEST_POSTGRES_URL, dropped when
// the test ends.
//
// Without TEST_POSTGRES_URL the PostgreSQL variants are skipped — unless
// FLEXWORK_TEST_REQUIRE_POSTGRES=1, which the test script sets so that CI can
// never pass without them.
package entdbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"entgo.io/ent/dialect"

	"flexwork/ent/entdb"
	"flexwork/market"
)

// Dialects are the databases every database test runs on.
var Dialects = []string{dialect.SQLite, dialect.Postgres}

// Each runs fn once per dialect, as a subtest named after it, with a fresh
// database.
func Each(t *testing.T, fn func(t *testing.T, db *entdb.DB)) {
	t.Helper()
	for _, d := range Dialects {
		t.Run(d, func(t *testing.T) { fn(t, Open(t, d)) })
	}
}

// Open returns a fresh, migrated database of the given dialect with the
// skills taxonomy loaded, closed (and for PostgreSQL dropped) after the test.
func Open(t testing.TB, dialectName string) *entdb.DB {
	t.Helper()
	db := OpenEmpty(t, dialectName)
	ctx := context.Background()
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if err := market.EnsureSkills(ctx, db.Client); err != nil {
		t.Fatalf("skills: %v", err)
	}
	return db
}

// OpenEmpty is Open without migrating.
func OpenEmpty(t testing.TB, dialectName string) *entdb.DB {
	t.Helper()
	ctx := context.Background()
	var dbURL string
	switch dialectName {
	case dialect.SQLite:
		dbURL = entdb.SQLiteURL(filepath.Join(t.TempDir(), "test.db"))
	case dialect.Postgres:
		dbURL = NewPostgresDatabase(t)
	default:
		t.Fatalf("unknown dialect %q", dialectName)
	}
	db, err := entdb.Open(ctx, dbURL)
	if err != nil {
		t.Fatalf("open %s: %v", dialectName, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// NewPostgresDatabase creates an empty PostgreSQL database for the test and
// returns its URL; it is dropped when the test ends.
func NewPostgresDatabase(t testing.TB) string {
	t.Helper()
	admin := os.Getenv("TEST_POSTGRES_URL")
	if admin == "" {
		if os.Getenv("FLEXWORK_TEST_REQUIRE_POSTGRES") == "1" {
			t.Fatal("TEST_POSTGRES_URL is not set but FLEXWORK_TEST_REQUIRE_POSTGRES=1")
		}
		t.Skip("TEST_POSTGRES_URL not set: run the tests with scripts/test.sh to include PostgreSQL")
	}
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("TEST_POSTGRES_URL: %v", err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := os.Getenv("FLEXWORK_TEST_DB_PREFIX")
	if name == "" {
		name = "flexwork_test"
	}
	name += "_" + hex.EncodeToString(b)
	conn, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		c, err := sql.Open("pgx", admin)
		if err != nil {
			return
		}
		defer c.Close()
		_, _ = c.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	u.Path = "/" + name
	return u.String()
}
