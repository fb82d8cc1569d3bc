package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"flexwork/cmd/flexwork/internal/bench"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/notifications/brokertest"
)

// asFlexwork makes this test binary, started again by a test with the
// variable set, be the flexwork command: the bench starts its servers as
// children of the running executable.
const asFlexwork = "FLEXWORK_TEST_BINARY_IS_FLEXWORK"

func TestMain(m *testing.M) {
	if os.Getenv(asFlexwork) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// TestTwoReplicasShareOnePostgreSQLAndOneRedis runs two server processes
// on one PostgreSQL database and one Redis, as a load balancer would see
// them, under the bench's mixed scenario (80 % feed, 10 % shift, 5 %
// apply, 5 % candidates) and then its accept race (workers holding
// offers for two-slot shifts all accept at once, their requests spread
// over both replicas): no request fails, and no shift is hired beyond its
// slots (the race fails on an overfill, by the shifts' counters and by the
// assignments).
func TestTwoReplicasShareOnePostgreSQLAndOneRedis(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two servers; skipped with -short")
	}
	redisURL := brokertest.RedisURL(t)
	dbURL := entdbtest.NewPostgresDatabase(t)
	ctx := context.Background()
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	seed := []string{"bench", "seed", "--scale", "0.01", "--database_url", dbURL, "--flexwork_data_dir", t.TempDir()}
	if err := run(ctx, seed, log); err != nil {
		t.Fatalf("seed: %v", err)
	}
	t.Setenv(asFlexwork, "1")
	for _, scenario := range []string{"mixed", "accept-race"} {
		var out bytes.Buffer
		err := bench.Run(ctx, scenario, bench.Options{
			DatabaseURL: dbURL, Concurrency: 16, Duration: 4 * time.Second, Out: &out, Seed: 1,
			Replicas: 2, Env: []string{"REDIS_URL=" + redisURL}, Strict: true,
		})
		t.Logf("%s", out.Bytes())
		if err != nil {
			t.Fatalf("%s on two replicas: %v", scenario, err)
		}
	}
}

// TestLiveEventsReachSubscribersOfEveryReplica runs `flexwork load
// subscribers` over two servers sharing one PostgreSQL and one Redis, its
// sockets held by two processes of the tool and spread over both servers:
// every subscriber hears of every shift published through the first one.
func TestLiveEventsReachSubscribersOfEveryReplica(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two servers; skipped with -short")
	}
	redisURL := brokertest.RedisURL(t)
	dbURL := entdbtest.NewPostgresDatabase(t)
	t.Setenv(asFlexwork, "1")
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	args := []string{"load", "subscribers", "--n", "40", "--shifts", "2", "--processes", "2",
		"--database_url", dbURL, "--redis_url", redisURL}
	if err := run(context.Background(), args, log); err != nil {
		t.Fatalf("load subscribers on two replicas: %v", err)
	}
}
