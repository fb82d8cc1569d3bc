package ratelimit_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"flexwork/server/ratelimit"
)

// eachStore runs the contract on the in-process store and on Redis.
func eachStore(t *testing.T, fn func(t *testing.T, s ratelimit.Store)) {
	t.Run("memory", func(t *testing.T) { fn(t, ratelimit.NewMemory()) })
	t.Run("redis", func(t *testing.T) {
		url := os.Getenv("TEST_REDIS_URL")
		if url == "" {
			if os.Getenv("FLEXWORK_TEST_REQUIRE_SERVICES") == "1" {
				t.Fatal("TEST_REDIS_URL is not set but FLEXWORK_TEST_REQUIRE_SERVICES=1")
			}
			t.Skip("TEST_REDIS_URL not set")
		}
		b := make([]byte, 6)
		_, _ = rand.Read(b)
		r, err := ratelimit.NewRedis(url, "flexwork-test-"+hex.EncodeToString(b)+":")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Close() })
		fn(t, r)
	})
}

func TestABurstThenTheRate(t *testing.T) {
	eachStore(t, func(t *testing.T, s ratelimit.Store) {
		ctx := context.Background()
		l := ratelimit.Limit{Rate: 6, Period: time.Minute, Burst: 3} // one every 10 s after 3 at once
		for i := range 3 {
			if wait, err := s.Allow(ctx, "ip:192.0.2.1", l); err != nil || wait != 0 {
				t.Fatalf("action %d of the burst: wait %v, %v", i+1, wait, err)
			}
		}
		wait, err := s.Allow(ctx, "ip:192.0.2.1", l)
		if err != nil || wait < 9*time.Second || wait > 10*time.Second {
			t.Fatalf("the fourth action: wait %v (%v), want about 10 s", wait, err)
		}
		if wait, _ := s.Allow(ctx, "ip:192.0.2.2", l); wait != 0 {
			t.Fatalf("another key was limited: %v", wait)
		}
	})
}

func TestFailuresLockOutLongerEachTime(t *testing.T) {
	eachStore(t, func(t *testing.T, s ratelimit.Store) {
		ctx := context.Background()
		b := ratelimit.Backoff{Free: 3, First: 2 * time.Second, Max: 10 * time.Second, Memory: time.Hour}
		var got []time.Duration
		for range 7 {
			d, err := s.Fail(ctx, "account:ana", b)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, d)
		}
		want := []time.Duration{0, 0, 0, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("lockouts after each failure = %v, want %v", got, want)
			}
		}
		if d, err := s.Locked(ctx, "account:ana"); err != nil || d < 9*time.Second || d > 10*time.Second {
			t.Fatalf("locked for %v (%v), want about 10 s", d, err)
		}
		if d, _ := s.Locked(ctx, "account:ben"); d != 0 {
			t.Fatalf("another account is locked for %v", d)
		}
		if err := s.Forget(ctx, "account:ana"); err != nil {
			t.Fatal(err)
		}
		if d, _ := s.Locked(ctx, "account:ana"); d != 0 {
			t.Fatalf("after a success the account is still locked for %v", d)
		}
		if d, _ := s.Fail(ctx, "account:ana", b); d != 0 {
			t.Fatalf("the first failure after a success locks for %v", d)
		}
	})
}
