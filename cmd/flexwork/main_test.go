package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"flexwork/ent/entdb/entdbtest"
)

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestMigrateThenServe is what an operator does on a new PostgreSQL: serve
// refuses the empty database, migrate brings it up to date, serve starts and
// answers, and stops cleanly on a signal.
func TestMigrateThenServe(t *testing.T) {
	dbURL := entdbtest.NewPostgresDatabase(t)
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	addr := freeAddr(t)
	flags := []string{"--database_url=" + dbURL, "--flexwork_addr=" + addr, "--flexwork_data_dir=" + t.TempDir()}
	ctx := context.Background()

	err := run(ctx, append([]string{"serve"}, flags...), log)
	if err == nil || !strings.Contains(err.Error(), "flexwork migrate") {
		t.Fatalf("serve on an empty database: err = %v, want a hint to migrate", err)
	}
	if err := run(ctx, append([]string{"migrate"}, flags...), log); err != nil {
		t.Fatalf("migrate: %v", err)
	}

	serveCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- run(serveCtx, append([]string{"serve", "--demo"}, flags...), log) }()
	var status int
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			status = resp.StatusCode
			resp.Body.Close()
			break
		}
	}
	if status != http.StatusOK {
		stop()
		t.Fatalf("/readyz = %d, want 200 (serve error: %v)", status, <-done)
	}
	resp, err := http.Post("http://"+addr+"/graphql", "application/json",
		strings.NewReader(`{"query":"{ skills(first: 1) { totalCount } }"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `"totalCount":60`) {
		t.Fatalf("skills on the migrated database: %s", body)
	}
	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve after shutdown: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not shut down")
	}
}
