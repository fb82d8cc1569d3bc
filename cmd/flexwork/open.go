package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"

	firebase "firebase.google.com/go/v4"
	"google.golang.org/api/option"

	"flexwork/ent/entdb"
	"flexwork/market"
	"flexwork/notifications"
	"flexwork/server"
	"flexwork/storage"
)

// command parses args into the configuration plus the command's own flags,
// which define adds to the flag set.
func command(name string, args []string, define func(fs *flag.FlagSet)) (server.Config, []string, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	if define != nil {
		define(fs)
	}
	done := server.ConfigFlags(fs, os.Getenv)
	if err := fs.Parse(args); err != nil {
		return server.Config{}, nil, err
	}
	cfg, err := done()
	return cfg, fs.Args(), err
}

// openDB opens the configured database. SQLite, the embedded default,
// migrates itself; PostgreSQL migrates when migrate is true and otherwise
// refuses to run on a schema that is behind.
func openDB(ctx context.Context, cfg server.Config, migrate bool, log *slog.Logger) (*entdb.DB, error) {
	url := cfg.DatabaseURL
	if url == "" {
		url = entdb.SQLiteURL(cfg.SQLitePath())
	}
	db, err := entdb.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	if db.Dialect == "sqlite3" || migrate {
		if err := db.Migrate(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("migrate: %w", err)
		}
	} else if pending, err := db.PendingMigrations(ctx); err != nil {
		db.Close()
		return nil, err
	} else if len(pending) > 0 {
		db.Close()
		return nil, fmt.Errorf("the database is behind by %d migration(s) (%s…): run `flexwork migrate` or serve with --flexwork_migrate=true", len(pending), pending[0])
	}
	if err := market.EnsureSkills(ctx, db.Client); err != nil {
		db.Close()
		return nil, err
	}
	log.Info("database ready", "dialect", db.Dialect)
	return db, nil
}

// deps builds the server's dependencies from the configuration.
func deps(ctx context.Context, cfg server.Config, db *entdb.DB, log *slog.Logger) (server.Deps, error) {
	d := server.Deps{DB: db, Log: log}
	if cfg.RedisURL != "" {
		b, err := notifications.NewRedisBroker(ctx, cfg.RedisURL, "")
		if err != nil {
			return d, err
		}
		d.Broker = b
		log.Info("live events go through Redis", "redis", redactURL(cfg.RedisURL))
	}
	if cfg.S3.Endpoint != "" {
		s, err := storage.NewS3(ctx, cfg.S3)
		if err != nil {
			return d, fmt.Errorf("S3 storage at %s: %w", cfg.S3.Endpoint, err)
		}
		d.Store = s
		log.Info("certificate documents go to S3", "endpoint", cfg.S3.Endpoint, "bucket", cfg.S3.Bucket)
	}
	switch {
	case cfg.FCMEndpoint != "":
		app, err := firebase.NewApp(ctx, &firebase.Config{ProjectID: firstOf(cfg.FirebaseProjectID, "flexwork")},
			option.WithEndpoint(cfg.FCMEndpoint), option.WithoutAuthentication())
		if err != nil {
			return d, err
		}
		mc, err := app.Messaging(ctx)
		if err != nil {
			return d, err
		}
		d.Sender = notifications.FCM{Client: mc}
		log.Warn("pushes go to FLEXWORK_FCM_ENDPOINT without credentials", "endpoint", cfg.FCMEndpoint)
	case cfg.FirebaseProjectID != "" && os.Getenv("GOOGLE_APPLICATION_CREDENTIALS") != "":
		app, err := firebase.NewApp(ctx, &firebase.Config{ProjectID: cfg.FirebaseProjectID})
		if err != nil {
			return d, err
		}
		mc, err := app.Messaging(ctx)
		if err != nil {
			return d, fmt.Errorf("firebase messaging: %w", err)
		}
		d.Sender = notifications.FCM{Client: mc}
		log.Info("pushes go through Firebase Cloud Messaging", "project", cfg.FirebaseProjectID)
	default:
		log.Warn("no Firebase credentials (FIREBASE_PROJECT_ID and GOOGLE_APPLICATION_CREDENTIALS): pushes are logged, not sent")
	}
	if cfg.Auth == "firebase" {
		if os.Getenv("FIREBASE_AUTH_EMULATOR_HOST") != "" {
			log.Warn("FIREBASE_AUTH_EMULATOR_HOST is set: Firebase ID tokens are NOT signature-checked")
		}
		app, err := firebase.NewApp(ctx, &firebase.Config{ProjectID: cfg.FirebaseProjectID})
		if err != nil {
			return d, fmt.Errorf("firebase: %w", err)
		}
		if d.FirebaseAuth, err = app.Auth(ctx); err != nil {
			return d, fmt.Errorf("firebase auth: %w", err)
		}
	}
	return d, nil
}

func firstOf(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// redactURL hides a password in a URL for logs.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable)"
	}
	return u.Redacted()
}
