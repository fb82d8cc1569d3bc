package entdb_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"flexwork/ent/entdb/entdbtest"
)

// backendPID is the PostgreSQL backend serving the pool's one connection.
func backendPID(t *testing.T, db *sql.DB) int {
	t.Helper()
	var pid int
	if err := db.QueryRowContext(context.Background(), "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		t.Fatalf("pg_backend_pid: %v", err)
	}
	return pid
}

// cancelledAfter returns a context cancelled d from now, as a client's
// request is when the client goes away.
func cancelledAfter(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(d, cancel)
	t.Cleanup(cancel)
	return ctx
}

// TestAClientThatGoesAwayCostsNoConnection: a request whose client
// disconnects while its statement runs must not cost PostgreSQL a new
// backend (a fork, authentication, statements prepared again). A short
// statement finishes; a long one is cancelled on the server; either way the
// connection goes back to the pool.
func TestAClientThatGoesAwayCostsNoConnection(t *testing.T) {
	db := entdbtest.OpenEmpty(t, dialect.Postgres)
	db.SQL.SetMaxOpenConns(1)
	pid := backendPID(t, db.SQL)

	t.Run("a short statement finishes", func(t *testing.T) {
		for i := range 5 {
			_, _ = db.SQL.ExecContext(cancelledAfter(t, 10*time.Millisecond), "SELECT pg_sleep(0.05)")
			if got := backendPID(t, db.SQL); got != pid {
				t.Fatalf("after cancelled statement %d the pool's backend is %d, was %d: the connection was closed", i, got, pid)
			}
		}
	})

	t.Run("a long statement is cancelled on the server", func(t *testing.T) {
		start := time.Now()
		_, err := db.SQL.ExecContext(cancelledAfter(t, 10*time.Millisecond), "SELECT pg_sleep(60)")
		if err == nil {
			t.Fatal("a statement cancelled after 10 ms of 60 s succeeded")
		}
		if took := time.Since(start); took > 20*time.Second {
			t.Fatalf("the cancelled statement held its connection %v", took)
		}
		if got := backendPID(t, db.SQL); got != pid {
			t.Fatalf("after a cancelled long statement the pool's backend is %d, was %d", got, pid)
		}
	})

	t.Run("a transaction is rolled back and its connection kept", func(t *testing.T) {
		ctx := context.Background()
		if _, err := db.SQL.ExecContext(ctx, "CREATE TABLE cancelled (x int)"); err != nil {
			t.Fatal(err)
		}
		tx, err := db.SQL.BeginTx(cancelledAfter(t, 30*time.Millisecond), nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec("INSERT INTO cancelled VALUES (1)"); err != nil {
			t.Fatal(err)
		}
		_, _ = tx.Exec("SELECT pg_sleep(0.1)")
		if err := tx.Commit(); err == nil {
			t.Fatal("a transaction whose client went away committed")
		}
		var n int
		if err := db.SQL.QueryRowContext(ctx, "SELECT count(*) FROM cancelled").Scan(&n); err != nil || n != 0 {
			t.Fatalf("rows left by the cancelled transaction: %d (%v); want 0", n, err)
		}
		if got := backendPID(t, db.SQL); got != pid {
			t.Fatalf("after a cancelled transaction the pool's backend is %d, was %d", got, pid)
		}
	})
}

// TestCancellationsRaceTransactions: many transactions, each writing a pair
// of rows around a short statement, cancelled at random moments in
// parallel. Every pair is written whole or not at all, and the pool never
// opens more backends than it may hold at once.
func TestCancellationsRaceTransactions(t *testing.T) {
	const workers, each, poolSize = 8, 25, 4
	db := entdbtest.OpenEmpty(t, dialect.Postgres)
	db.SQL.SetMaxOpenConns(poolSize)
	if _, err := db.SQL.Exec("CREATE TABLE pairs (k int, half text)"); err != nil {
		t.Fatal(err)
	}
	var (
		mu        sync.Mutex
		pids      = map[int]bool{}
		committed int
		wg        sync.WaitGroup
	)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				k := w*each + i
				pid, ok, err := writePair(db.SQL, k, time.Duration(rand.IntN(25))*time.Millisecond)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				pids[pid] = true
				if ok {
					committed++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	var halves int
	if err := db.SQL.QueryRow(`SELECT count(*) FROM (SELECT k FROM pairs GROUP BY k HAVING count(*) <> 2) AS h`).Scan(&halves); err != nil {
		t.Fatal(err)
	}
	var rows int
	if err := db.SQL.QueryRow("SELECT count(*) FROM pairs").Scan(&rows); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d of %d transactions committed, on %d backends", committed, workers*each, len(pids))
	if halves != 0 {
		t.Errorf("%d pairs were written in half", halves)
	}
	if rows != 2*committed {
		t.Errorf("%d rows for %d committed pairs", rows, committed)
	}
	if committed == 0 || committed == workers*each {
		t.Errorf("%d of %d committed: the cancellations did not race the transactions", committed, workers*each)
	}
	if len(pids) > poolSize {
		t.Errorf("the pool of %d used %d backends: cancelled statements closed connections", poolSize, len(pids))
	}
}

// writePair writes rows (k, a) and (k, b) in one transaction whose context
// is cancelled after cancelAt. It returns the backend that served it and
// whether the transaction committed; err is only for failures that are not
// the cancellation's.
func writePair(db *sql.DB, k int, cancelAt time.Duration) (pid int, committed bool, err error) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tx, err := db.BeginTx(ctx, nil) // ctx is cancelled only once the transaction has begun
	if err != nil {
		return 0, false, fmt.Errorf("pair %d: begin: %w", k, err)
	}
	defer tx.Rollback()
	if err := tx.QueryRow("SELECT pg_backend_pid()").Scan(&pid); err != nil {
		return 0, false, fmt.Errorf("pair %d: pid: %w", k, err)
	}
	time.AfterFunc(cancelAt, cancel)
	steps := []struct {
		query string
		args  []any
	}{
		{"INSERT INTO pairs VALUES ($1, 'a')", []any{k}},
		{"SELECT pg_sleep(0.01)", nil},
		{"INSERT INTO pairs VALUES ($1, 'b')", []any{k}},
	}
	for _, s := range steps {
		if _, err := tx.Exec(s.query, s.args...); err != nil {
			if ctx.Err() != nil {
				return pid, false, nil
			}
			return pid, false, fmt.Errorf("pair %d: %s: %w", k, s.query, err)
		}
	}
	if err := tx.Commit(); err != nil {
		if errors.Is(err, sql.ErrTxDone) || errors.Is(err, context.Canceled) {
			return pid, false, nil
		}
		return pid, false, fmt.Errorf("pair %d: commit: %w", k, err)
	}
	return pid, true, nil
}
