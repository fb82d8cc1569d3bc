package market_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"flexwork/ent"
	"flexwork/ent/assignment"
	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/offer"
	"flexwork/ent/rosterentry"
	"flexwork/ent/rule"
	"flexwork/ent/shift"
	"flexwork/ent/viewer"
	"flexwork/market"
)

// TestACancelledSlotIsAskedAroundUntilFilled: a cancelled hire's slot goes
// to the standby list, then (nobody answering) to the employer's
// favourites, then (the favourite declining) to the best-matched eligible
// workers, who race for it: one is hired, on both databases. Nobody is
// asked twice, and the blocked and the ineligible are never asked.
func TestACancelledSlotIsAskedAroundUntilFilled(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		sys := rule.System(context.Background())
		s := w.shift(48*time.Hour, 4, 1)
		ana, ben, cai, dan, eve, fay := w.worker("Ana"), w.worker("Ben"), w.worker("Cai"), w.worker("Dan"), w.worker("Eve"), w.worker("Fay")
		far := w.worker("Gus") // lives out of reach
		db.WorkerProfile.UpdateOneID(viewer.FromContext(far).WorkerID).SetHomeLat(48.1).SetHomeLng(11.6).ExecX(sys)
		w.roster(cai, rosterentry.KindFAVOURITE)
		w.roster(fay, rosterentry.KindBLOCKED)
		hire, err := w.m.AcceptOffer(ana, w.offer(ana, s).ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.m.JoinStandby(ben, market.ApplyInput{ShiftID: s.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.m.CancelAssignment(ana, hire.Assignment.ID, "my child is ill"); err != nil {
			t.Fatal(err)
		}
		w.wantAsked(s, shift.BackfillSTANDBY, ben)

		w.now = w.now.Add(31 * time.Minute) // Ben lets it lapse
		w.sweep()
		w.wantAsked(s, shift.BackfillROSTER, cai)

		if _, err := w.m.DeclineOffer(cai, w.pending(s, cai).ID); err != nil {
			t.Fatal(err)
		}
		w.sweep()
		w.wantAsked(s, shift.BackfillMATCHED, dan, eve)

		var (
			wg    sync.WaitGroup
			codes [2]string
		)
		for i, wk := range []context.Context{dan, eve} {
			id := w.pending(s, wk).ID
			wg.Go(func() {
				_, err := w.m.AcceptOffer(wk, id)
				codes[i] = code(err)
			})
		}
		wg.Wait()
		hired := db.Assignment.Query().Where(assignment.ShiftID(s.ID), assignment.StatusEQ(assignment.StatusSCHEDULED)).CountX(sys)
		if hired != 1 || codes[0]+codes[1] != "SHIFT_FULL" {
			t.Fatalf("%d hired from the race, answers %q", hired, codes)
		}
		if got := db.Shift.GetX(sys, s.ID); got.Backfill == nil || *got.Backfill != shift.BackfillFILLED {
			t.Fatalf("backfill after the hire: %v", got.Backfill)
		}
	})
}

// TestABackfillEndsWhenNobodyIsLeftOrTheEmployerStops: with nobody on
// standby or the roster, the best-matched workers are asked five at a time
// until none is left (EXHAUSTED); an employer who stops a cascade stops
// its steps (STOPPED), and a stranger may not.
func TestABackfillEndsWhenNobodyIsLeftOrTheEmployerStops(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		sys := rule.System(context.Background())
		s := w.shift(48*time.Hour, 4, 1)
		var workers []context.Context
		for i := range 7 {
			workers = append(workers, w.worker(fmt.Sprintf("Worker %d", i)))
		}
		hire, err := w.m.AcceptOffer(workers[0], w.offer(workers[0], s).ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.m.CancelAssignment(w.manager, hire.Assignment.ID, "the order was cut"); err != nil {
			t.Fatal(err)
		}
		if got := db.Shift.GetX(sys, s.ID); *got.Backfill != shift.BackfillROSTER || db.Offer.Query().Where(offer.StatusEQ(offer.StatusPENDING)).ExistX(sys) {
			t.Fatalf("nobody on standby or roster: backfill %v", *got.Backfill)
		}
		asked := map[string]bool{}
		for round, want := range []int{5, 1, 0} {
			w.sweep()
			pending := db.Offer.Query().Where(offer.ShiftID(s.ID), offer.StatusEQ(offer.StatusPENDING)).AllX(sys)
			if len(pending) != want {
				t.Fatalf("round %d: %d asked, want %d", round, len(pending), want)
			}
			for _, o := range pending {
				if asked[o.WorkerID] {
					t.Fatalf("round %d: %s asked twice", round, o.WorkerID)
				}
				asked[o.WorkerID] = true
			}
			w.now = w.now.Add(31 * time.Minute)
		}
		if got := db.Shift.GetX(sys, s.ID); *got.Backfill != shift.BackfillEXHAUSTED {
			t.Fatalf("after everyone was asked: %v", *got.Backfill)
		}
		if _, err := w.m.StopBackfill(w.manager, s.ID); code(err) != "BACKFILL_NOT_RUNNING" {
			t.Fatalf("stopping an ended backfill: %v", err)
		}

		// A second shift: the employer stops its cascade after the first step.
		s2 := w.shift(72*time.Hour, 4, 1)
		hire, err = w.m.AcceptOffer(workers[1], w.offer(workers[1], s2).ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.m.CancelAssignment(workers[1], hire.Assignment.ID, "I moved away"); err != nil {
			t.Fatal(err)
		}
		if _, err := w.m.StopBackfill(workers[2], s2.ID); code(err) != "NOT_FOUND" {
			t.Fatalf("a worker stopping the employer's backfill: %v", err)
		}
		if _, err := w.m.StopBackfill(w.manager, s2.ID); err != nil {
			t.Fatal(err)
		}
		w.sweep()
		if got := db.Shift.GetX(sys, s2.ID); *got.Backfill != shift.BackfillSTOPPED ||
			db.Offer.Query().Where(offer.ShiftID(s2.ID), offer.StatusEQ(offer.StatusPENDING)).ExistX(sys) {
			t.Fatalf("after stopping: %v, offers went out", *got.Backfill)
		}
	})
}

// roster files the worker on the employer's roster as kind.
func (w *world) roster(wk context.Context, kind rosterentry.Kind) {
	if _, err := w.m.SetRoster(w.manager, market.RosterInput{EmployerID: w.emp, WorkerID: viewer.FromContext(wk).WorkerID, Kind: kind}); err != nil {
		w.t.Fatal(err)
	}
}

// sweep runs the market's timed transitions at the world's time.
func (w *world) sweep() {
	if err := w.m.Sweep(context.Background()); err != nil {
		w.t.Fatal(err)
	}
}

// pending is the worker's pending offer for s.
func (w *world) pending(s *ent.Shift, wk context.Context) *ent.Offer {
	return w.db.Offer.Query().Where(offer.ShiftID(s.ID), offer.WorkerID(viewer.FromContext(wk).WorkerID),
		offer.StatusEQ(offer.StatusPENDING)).OnlyX(rule.System(context.Background()))
}

// wantAsked checks s's backfill is at step with exactly these workers'
// offers pending.
func (w *world) wantAsked(s *ent.Shift, step shift.Backfill, workers ...context.Context) {
	w.t.Helper()
	sys := rule.System(context.Background())
	got := w.db.Shift.GetX(sys, s.ID)
	if got.Backfill == nil || *got.Backfill != step {
		w.t.Fatalf("backfill at %v, want %s", got.Backfill, step)
	}
	pending := w.db.Offer.Query().Where(offer.ShiftID(s.ID), offer.StatusEQ(offer.StatusPENDING)).AllX(sys)
	want := map[string]bool{}
	for _, wk := range workers {
		want[viewer.FromContext(wk).WorkerID] = true
	}
	if len(pending) != len(want) {
		w.t.Fatalf("at %s: %d offers pending, want %d", step, len(pending), len(want))
	}
	for _, o := range pending {
		if !want[o.WorkerID] {
			w.t.Fatalf("at %s: %s was asked", step, o.WorkerID)
		}
		if o.ExpiresAt.After(w.now.Add(30 * time.Minute)) {
			w.t.Fatalf("at %s: the offer waits until %s", step, o.ExpiresAt)
		}
	}
}
