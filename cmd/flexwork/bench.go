package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"time"

	"flexwork/cmd/flexwork/internal/bench"
	"flexwork/ent/entdb"
	"flexwork/market"
	"flexwork/server"
)

const benchUsage = `usage:
  flexwork bench seed --scale N [--seed S] [--database_url URL]
      fill an empty database with a marketplace: at scale 1, 100,000 workers,
      5,000 employers, 200,000 shifts, 1,000,000 applications, 300,000
      assignments, 400,000 reviews (migrates it first)
  flexwork bench run SCENARIO [--concurrency C] [--duration D] [--database_url URL]
      drive a server on a seeded database over HTTP; SCENARIO is feed, shift,
      candidates, apply, accept-race, mixed, floor (feed through GraphQL and
      the raw-SQL floor, with their ratio), suggest (paySuggestion) or
      backfill (a cancelled hire's cascade, in process); prints throughput,
      latency percentiles, errors and SQL statements per request; --replicas N
      starts N servers on the database (with --redis_url, one Redis)
  flexwork bench floor [--database_url URL] [--flexwork_addr A]
      serve the raw-SQL floor of the feed (POST /graphql, ShiftFeed's body)
  flexwork bench requests [--n N] [--database_url URL]
      print N feed requests (token, tab, body) for scripts/wrk-feed.lua`

func benchCmd(ctx context.Context, args []string, log *slog.Logger) error {
	if len(args) == 0 {
		return errors.New(benchUsage)
	}
	switch args[0] {
	case "seed":
		var scale float64
		var seed uint64
		cfg, _, err := command("bench seed", args[1:], func(fs *flag.FlagSet) {
			fs.Float64Var(&scale, "scale", 0.01, "size of the marketplace (1 = 100,000 workers)")
			fs.Uint64Var(&seed, "seed", 1, "random seed: the same seed and scale give the same marketplace")
		})
		if err != nil {
			return err
		}
		db, err := openDB(ctx, cfg, true, log)
		if err != nil {
			return err
		}
		defer db.Close()
		if _, err = bench.Seed(ctx, db, scale, seed, os.Stdout); err != nil {
			return err
		}
		return checkpointAll(ctx, cfg, db, log)
	case "run":
		if len(args) < 2 {
			return errors.New(benchUsage)
		}
		o := bench.Options{Out: os.Stdout}
		cfg, _, err := command("bench run", args[2:], func(fs *flag.FlagSet) {
			fs.IntVar(&o.Concurrency, "concurrency", 32, "requests in flight")
			fs.DurationVar(&o.Duration, "duration", 30*time.Second, "how long to measure")
			fs.Uint64Var(&o.Seed, "seed", 1, "random seed of the virtual users")
			fs.StringVar(&o.CPUProfile, "cpuprofile", "", "write the server's CPU profile of the measured run to this file")
			fs.IntVar(&o.Replicas, "replicas", 1, "servers sharing the database (give them a Redis with --redis_url); requests go to each in turn")
			fs.BoolVar(&o.Strict, "strict", false, "fail when any request failed")
		})
		if err != nil {
			return err
		}
		if cfg.RedisURL != "" {
			o.Env = append(o.Env, "REDIS_URL="+cfg.RedisURL)
		}
		o.DatabaseURL = cfg.DatabaseURL
		if o.DatabaseURL == "" {
			o.DatabaseURL = entdb.SQLiteURL(cfg.SQLitePath())
		}
		raiseFileLimit()
		return bench.Run(ctx, args[1], o)
	case "floor": // started by `bench run floor`
		cfg, _, err := command("bench floor", args[1:], nil)
		if err != nil {
			return err
		}
		tuneGC(log) // as `serve` does: the ratio compares code, not settings
		return bench.ServeFloor(ctx, cfg.DatabaseURL, cfg.Addr)
	case "requests":
		var n int
		cfg, _, err := command("bench requests", args[1:], func(fs *flag.FlagSet) {
			fs.IntVar(&n, "n", 4000, "requests to write")
		})
		if err != nil {
			return err
		}
		return bench.FeedRequests(ctx, cfg.DatabaseURL, n, 1, os.Stdout)
	}
	return errors.New(benchUsage)
}

// checkpointAll brings the ledger's log up to date after seeding, so the
// server's checkpoint job does not spend the measured runs catching up.
func checkpointAll(ctx context.Context, cfg server.Config, db *entdb.DB, log *slog.Logger) error {
	key, err := server.LedgerLog(cfg, log)
	if err != nil {
		return err
	}
	m, start, size := market.New(db, market.WithLog(key)), time.Now(), int64(-1)
	for {
		cp, err := m.Checkpoint(ctx)
		if err != nil {
			return err
		}
		if cp == nil || cp.Size == size {
			break
		}
		size = cp.Size
	}
	fmt.Printf("ledger checkpointed: %d entries in %s\n", max(size, 0), time.Since(start).Round(time.Millisecond))
	return nil
}
