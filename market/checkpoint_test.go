package market_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/ledgerentry"
	"flexwork/ent/rule"
	"flexwork/ledger"
	"flexwork/market"
)

// signingMarket is a market over db that signs checkpoints with a test key
// made from seed.
func signingMarket(t *testing.T, db *entdb.DB, seed byte) *market.Market {
	t.Helper()
	skey, vkey, err := ledger.NewKey("flexwork.test/ledger", bytes.Repeat([]byte{seed}, 32))
	if err != nil {
		t.Fatal(err)
	}
	l, err := market.NewLog(skey, vkey)
	if err != nil {
		t.Fatal(err)
	}
	return market.New(db, market.WithLog(l))
}

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
		m := signingMarket(t, db, 1)
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

// TestTheSequencerRacesTheHires: hires commit their ledger entries while
// sequencers run; every entry ends up in exactly one place, the places run
// 1…n without a gap, and the log built over them verifies, on both
// databases.
func TestTheSequencerRacesTheHires(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		type hire struct {
			worker context.Context
			offer  string
		}
		hires := make([]hire, 16)
		for i := range hires {
			wk := w.worker(fmt.Sprintf("Worker %d", i))
			hires[i] = hire{wk, w.offer(wk, w.shift(72*time.Hour, 4, 1)).ID}
		}
		m := signingMarket(t, db, 2)
		ctx := context.Background()
		var (
			wg   sync.WaitGroup
			done = make(chan struct{})
		)
		for i := range 2 {
			wg.Go(func() {
				for {
					select {
					case <-done:
						return
					default:
					}
					if _, err := m.Checkpoint(ctx); err != nil {
						t.Errorf("sequencer %d: %v", i, err)
						return
					}
					// A breath between runs (the job's is 5 s): back to
					// back, two sequencers would hold SQLite's one write
					// lock nearly all the time.
					time.Sleep(5 * time.Millisecond)
				}
			})
		}
		var hired sync.WaitGroup
		for _, h := range hires {
			hired.Go(func() {
				if _, err := w.m.AcceptOffer(h.worker, h.offer); err != nil {
					t.Errorf("hire: %v", err)
				}
			})
		}
		hired.Wait()
		close(done)
		wg.Wait()
		cp, err := m.Checkpoint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sys := rule.System(ctx)
		total := db.LedgerEntry.Query().CountX(sys)
		if waiting := db.LedgerEntry.Query().Where(ledgerentry.SeqIsNil()).CountX(sys); waiting != 0 || cp.Size != int64(total) {
			t.Fatalf("%d of %d entries without a place; checkpoint size %d", waiting, total, cp.Size)
		}
		if n, err := m.VerifyLedger(ctx); err != nil || n != int64(total) {
			t.Fatalf("ledger: %d of %d entries, %v", n, total, err)
		}
		if n, err := m.VerifyLog(ctx); err != nil || n == 0 {
			t.Fatalf("the log after the race: %d checkpoints, %v", n, err)
		}
	})
}

// TestLedgerVerifyCatchesEveryRewrite: with the log checkpointed, two
// entries swapped, or the log truncated and regrown with another entry,
// fail `ledger verify`'s log check (VerifyLog) though every entry still
// hashes to what it says; put back, the log verifies again.
func TestLedgerVerifyCatchesEveryRewrite(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		for _, name := range []string{"Ana", "Ben"} {
			wk := w.worker(name)
			if _, err := w.m.AcceptOffer(wk, w.offer(wk, w.shift(72*time.Hour, 4, 1)).ID); err != nil {
				t.Fatal(err)
			}
		}
		m, ctx := signingMarket(t, db, 3), context.Background()
		cp, err := m.Checkpoint(ctx)
		if err != nil || cp == nil || cp.Size < 2 {
			t.Fatalf("checkpoint: %v %v", cp, err)
		}
		exec := func(q string, args ...any) {
			t.Helper()
			if db.Dialect == "postgres" {
				for i := 1; strings.Contains(q, "?"); i++ {
					q = strings.Replace(q, "?", fmt.Sprintf("$%d", i), 1)
				}
			}
			if _, err := db.SQL.ExecContext(ctx, q, args...); err != nil {
				t.Fatal(err)
			}
		}
		swap := func(a, b int64) {
			exec(`UPDATE ledger_entries SET seq = -1 WHERE seq = ?`, a)
			exec(`UPDATE ledger_entries SET seq = ? WHERE seq = ?`, a, b)
			exec(`UPDATE ledger_entries SET seq = ? WHERE seq = -1`, b)
		}
		verify := func(want string) {
			t.Helper()
			if n, err := m.VerifyLedger(ctx); err != nil {
				t.Fatalf("%s: the entries should each check out (%d): %v", want, n, err)
			}
			_, err := m.VerifyLog(ctx)
			switch {
			case want == "" && err != nil:
				t.Fatalf("the log after putting it back: %v", err)
			case want != "" && err == nil:
				t.Fatalf("%s: the log verifies", want)
			}
		}
		verify("")
		swap(1, 2)
		verify("two entries swapped")
		swap(1, 2)
		verify("")

		// Truncated and regrown: the last entry replaced by another at its place.
		sys := rule.System(ctx)
		last := db.LedgerEntry.Query().Where(ledgerentry.Seq(cp.Size)).OnlyX(sys)
		db.LedgerEntry.DeleteOne(last).ExecX(sys)
		at := last.CreatedAt
		db.LedgerEntry.Create().SetSeq(cp.Size).SetFormat(2).SetKind(last.Kind).SetSubjectID(last.SubjectID).
			SetActorID("usr_mallory").SetPayload(last.Payload).SetPrevHash("").SetCreatedAt(at).
			SetHash(market.EntryHash(last.Kind, last.SubjectID, "usr_mallory", last.Payload, at)).ExecX(sys)
		verify("truncated and regrown")
	})
}
