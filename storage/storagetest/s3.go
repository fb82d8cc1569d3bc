package storagetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"flexwork/storage"
)

// S3 opens a fresh bucket on the S3 server the test script started
// (TEST_S3_ENDPOINT, TEST_S3_ACCESS_KEY, TEST_S3_SECRET_KEY). Without one it
// skips, or fails when FLEXWORK_TEST_REQUIRE_SERVICES=1, as in CI.
func S3(t testing.TB) *storage.S3 {
	t.Helper()
	endpoint := os.Getenv("TEST_S3_ENDPOINT")
	if endpoint == "" {
		if os.Getenv("FLEXWORK_TEST_REQUIRE_SERVICES") == "1" {
			t.Fatal("TEST_S3_ENDPOINT is not set but FLEXWORK_TEST_REQUIRE_SERVICES=1")
		}
		t.Skip("TEST_S3_ENDPOINT not set: run the tests with scripts/test.sh to include the S3 server")
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	s, err := storage.NewS3(context.Background(), storage.S3Config{
		Endpoint: endpoint, Bucket: "flexwork-test-" + hex.EncodeToString(b),
		AccessKey: os.Getenv("TEST_S3_ACCESS_KEY"), SecretKey: os.Getenv("TEST_S3_SECRET_KEY"),
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}
