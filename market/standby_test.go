package market_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"flexwork/ent/application"
	"flexwork/ent/assignment"
	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/offer"
	"flexwork/ent/rule"
	"flexwork/ent/viewer"
	"flexwork/market"
)

// TestStandbyFillsACancelledSlotOnce: a full shift's standby list is
// offered a cancelled hire's slot all at once; two standby workers accept
// at the same moment and exactly one is hired, round after round, on both
// databases. The other goes back on standby and is offered the slot when
// the winner cancels in turn. Joining standby is refused while a slot is
// free.
func TestStandbyFillsACancelledSlotOnce(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		sys := rule.System(context.Background())
		for round := range 6 {
			s := w.shift(time.Duration(48+12*round)*time.Hour, 4, 1)
			first, ben, cai := w.worker(fmt.Sprintf("Ana %d", round)), w.worker(fmt.Sprintf("Ben %d", round)), w.worker(fmt.Sprintf("Cai %d", round))
			if _, err := w.m.JoinStandby(ben, market.ApplyInput{ShiftID: s.ID}); code(err) != "SHIFT_NOT_FULL" {
				t.Fatalf("standby on a shift with a free slot: %v", err)
			}
			hire, err := w.m.AcceptOffer(first, w.offer(first, s).ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, wk := range []context.Context{ben, cai} {
				j, err := w.m.JoinStandby(wk, market.ApplyInput{ShiftID: s.ID})
				if err != nil || j.Application.Status != application.StatusSTANDBY {
					t.Fatalf("join standby: %v %v", j, err)
				}
			}
			if _, err := w.m.CancelAssignment(first, hire.Assignment.ID, "my child is ill"); err != nil {
				t.Fatal(err)
			}
			offers := db.Offer.Query().Where(offer.ShiftID(s.ID), offer.StatusEQ(offer.StatusPENDING)).AllX(sys)
			if len(offers) != 2 || offers[0].ExpiresAt.After(w.now.Add(30*time.Minute)) {
				t.Fatalf("round %d: the reopened slot went to %d standby workers (%v)", round, len(offers), offers)
			}
			var (
				wg    sync.WaitGroup
				codes [2]string
			)
			for i, wk := range []context.Context{ben, cai} {
				var id string
				for _, o := range offers {
					if o.WorkerID == viewer.FromContext(wk).WorkerID {
						id = o.ID
					}
				}
				wg.Go(func() {
					_, err := w.m.AcceptOffer(wk, id)
					codes[i] = code(err)
				})
			}
			wg.Wait()
			hired := db.Assignment.Query().Where(assignment.ShiftID(s.ID), assignment.StatusEQ(assignment.StatusSCHEDULED)).CountX(sys)
			got := db.Shift.GetX(sys, s.ID)
			if hired != 1 || got.Filled != 1 || (codes[0] == "") == (codes[1] == "") || codes[0]+codes[1] != "SHIFT_FULL" {
				t.Fatalf("round %d: %d hired, filled %d, answers %q", round, hired, got.Filled, codes)
			}
			// The loser's offer is withdrawn (the shift is full) and they are
			// back on standby: the next cancellation reaches them.
			loser, winner := cai, ben
			if codes[0] != "" {
				loser, winner = ben, cai
			}
			if _, err := w.m.ExpireOffers(context.Background()); err != nil {
				t.Fatal(err)
			}
			back := db.Application.Query().Where(application.ShiftID(s.ID), application.WorkerID(viewer.FromContext(loser).WorkerID)).OnlyX(sys)
			if back.Status != application.StatusSTANDBY {
				t.Fatalf("round %d: the loser's application is %s, want STANDBY", round, back.Status)
			}
			won := db.Assignment.Query().Where(assignment.ShiftID(s.ID), assignment.StatusEQ(assignment.StatusSCHEDULED)).OnlyX(sys)
			if _, err := w.m.CancelAssignment(winner, won.ID, "a family matter"); err != nil {
				t.Fatal(err)
			}
			if n := db.Offer.Query().Where(offer.ShiftID(s.ID), offer.WorkerID(back.WorkerID), offer.StatusEQ(offer.StatusPENDING)).CountX(sys); n != 1 {
				t.Fatalf("round %d: after the second cancellation the loser has %d offers, want 1", round, n)
			}
		}
	})
}
