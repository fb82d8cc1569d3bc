package market_test

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ledger"
	"flexwork/market"
)

// TestCheckpointersRace: two checkpoint runs at once (a job that overran
// its interval, two replicas) leave one checkpoint per size and a log that
// verifies, on both databases.
func TestCheckpointersRace(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		// A few hires: the ledger's entries.
		for _, name := range []string{"Ana", "Ben", "Chiara"} {
			wk := w.worker(name)
			if _, err := w.m.AcceptOffer(wk, w.offer(wk, w.shift(72*time.Hour, 4, 3)).ID); err != nil {
				t.Fatal(err)
			}
		}
		skey, vkey, err := ledger.NewKey("flexwork.test/ledger", bytes.Repeat([]byte{1}, 32))
		if err != nil {
			t.Fatal(err)
		}
		l, err := market.NewLog(skey, vkey)
		if err != nil {
			t.Fatal(err)
		}
		m := market.New(db, market.WithLog(l))
		var wg sync.WaitGroup
		sizes := make([]int64, 4)
		for i := range sizes {
			wg.Go(func() {
				cp, err := m.Checkpoint(context.Background())
				if err != nil {
					t.Errorf("checkpointer %d: %v", i, err)
					return
				}
				sizes[i] = cp.Size
			})
		}
		wg.Wait()
		for i, s := range sizes {
			if s != sizes[0] || s == 0 {
				t.Fatalf("checkpointer %d saw size %d, the first %d", i, s, sizes[0])
			}
		}
		if n, err := m.VerifyLog(context.Background()); err != nil || n != 1 {
			t.Fatalf("the log after the race: %d checkpoints, %v", n, err)
		}
	})
}
