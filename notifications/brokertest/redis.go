// Package brokertest finds the services the broker's tests need.
package brokertest

import (
	"os"
	"testing"
)

// RedisURL is the Redis the test script started (TEST_REDIS_URL); without
// one the test skips, or fails when FLEXWORK_TEST_REQUIRE_SERVICES=1, as in
// CI.
func RedisURL(t testing.TB) string {
	t.Helper()
	url := os.Getenv("TEST_REDIS_URL")
	if url == "" {
		if os.Getenv("FLEXWORK_TEST_REQUIRE_SERVICES") == "1" {
			t.Fatal("TEST_REDIS_URL is not set but FLEXWORK_TEST_REQUIRE_SERVICES=1")
		}
		t.Skip("TEST_REDIS_URL not set: run the tests with scripts/test.sh to include Redis")
	}
	return url
}
