package market_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"flexwork/ent/assignment"
	"flexwork/ent/contract"
	"flexwork/ent/creditevent"
	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/offer"
	"flexwork/ent/review"
	"flexwork/ent/rule"
	"flexwork/ent/shift"
	"flexwork/ent/timesheet"
	"flexwork/i18n"
	"flexwork/market"
)

// race runs fns at the same moment and returns their errors.
func race(fns ...func() error) []error {
	var (
		start = make(chan struct{})
		wg    sync.WaitGroup
		errs  = make([]error, len(fns))
	)
	for i, fn := range fns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = fn()
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

func TestFiftyWorkersRaceForFiveSlots(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		s := w.shift(24*time.Hour, 6, 5)
		var fns []func() error
		for i := range 50 {
			ctx := w.worker("worker")
			o := w.offer(ctx, s)
			_ = i
			fns = append(fns, func() error { _, err := w.m.AcceptOffer(ctx, o.ID); return err })
		}
		hired, full := 0, 0
		for _, err := range race(fns...) {
			switch code(err) {
			case "":
				hired++
			case "SHIFT_FULL":
				full++
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		sys := rule.System(context.Background())
		got := db.Shift.GetX(sys, s.ID)
		assignments := db.Assignment.Query().Where(assignment.ShiftID(s.ID)).CountX(sys)
		if hired != 5 || full != 45 || got.Filled != 5 || assignments != 5 || got.Status != shift.StatusFILLED {
			t.Fatalf("hired %d, refused %d; shift filled %d (%s), %d assignments; want 5 of 50, FILLED",
				hired, full, got.Filled, got.Status, assignments)
		}
		// The losers' offers are still pending until the expiry job revokes
		// them: the shift is full.
		if _, err := w.m.ExpireOffers(context.Background()); err != nil {
			t.Fatal(err)
		}
		if n := db.Offer.Query().Where(offer.ShiftID(s.ID), offer.StatusEQ(offer.StatusPENDING)).CountX(sys); n != 0 {
			t.Fatalf("%d offers still pending on a full shift", n)
		}
		if n, err := w.m.VerifyLedger(context.Background()); err != nil || n != 5 {
			t.Fatalf("ledger after the race: %d entries, %v; want 5 hires", n, err)
		}
	})
}

func TestOneWorkerAcceptsTwoOverlappingOffers(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		ana := w.worker("Ana")
		morning := w.shift(24*time.Hour, 6, 3)
		noon := w.shift(27*time.Hour, 6, 3) // overlaps the morning by three hours
		a, b := w.offer(ana, morning), w.offer(ana, noon)
		errs := race(
			func() error { _, err := w.m.AcceptOffer(ana, a.ID); return err },
			func() error { _, err := w.m.AcceptOffer(ana, b.ID); return err },
		)
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if code(err) != "SCHEDULE_OVERLAP" {
				t.Fatalf("unexpected error: %v", err)
			}
		}
		held := db.Assignment.Query().CountX(rule.System(context.Background()))
		if ok != 1 || held != 1 {
			t.Fatalf("%d acceptances succeeded and %d assignments exist; want exactly one of each", ok, held)
		}
	})
}

// TestAcceptanceAtTheMomentOfExpiry races a worker whose clock reads just
// before the expiry against the expiry job whose clock reads just after it,
// each starting after a random few milliseconds so that both win sometimes.
// The offer is never both accepted and expired.
func TestAcceptanceAtTheMomentOfExpiry(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		s := w.shift(24*time.Hour, 4, 30)
		outcomes := map[offer.Status]int{}
		for range 12 {
			ana := w.worker("Ana")
			o := w.offer(ana, s)
			worker, job := w.clockAt(o.ExpiresAt.Add(-time.Millisecond)), w.clockAt(o.ExpiresAt)
			race(
				func() error { jitter(); _, err := worker.AcceptOffer(ana, o.ID); return err },
				func() error { jitter(); _, err := job.ExpireOffers(context.Background()); return err },
			)
			sys := rule.System(context.Background())
			got := db.Offer.GetX(sys, o.ID)
			hires := db.Assignment.Query().Where(assignment.OfferID(o.ID)).CountX(sys)
			switch {
			case got.Status == offer.StatusACCEPTED && hires == 1:
			case got.Status == offer.StatusEXPIRED && hires == 0:
			default:
				t.Fatalf("offer %s is %s with %d assignments", o.ID, got.Status, hires)
			}
			outcomes[got.Status]++
		}
		t.Logf("outcomes: %v", outcomes)
		// And at exactly the expiry instant, acceptance is refused.
		ana := w.worker("Ben")
		o := w.offer(ana, s)
		if _, err := w.clockAt(o.ExpiresAt).AcceptOffer(ana, o.ID); code(err) != "OFFER_EXPIRED" {
			t.Fatalf("accepting at the expiry instant: %v, want OFFER_EXPIRED", err)
		}
	})
}

func jitter() { time.Sleep(time.Duration(rand.IntN(4000)) * time.Microsecond) }

// TestBothReviewsAtOnceAreRevealed: the worker and the employer submit
// their reviews in the same instant, ten shifts over; every pair is
// revealed, each review counted once.
func TestBothReviewsAtOnceAreRevealed(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		var assignments []string
		for range 10 {
			s := w.shift(10*time.Hour, 4, 1)
			ana := w.worker("Ana")
			a := w.hire(ana, s)
			w.work(ana, s, a)
			if _, err := w.m.ApproveTimesheet(w.manager, market.ApproveInput{TimesheetID: db.Timesheet.Query().
				Where(timesheet.AssignmentID(a.ID)).OnlyX(rule.System(context.Background())).ID}); err != nil {
				t.Fatal(err)
			}
			errs := race(
				func() error {
					_, err := w.m.SubmitReview(ana, market.SubmitReviewInput{AssignmentID: a.ID, Rating: 5})
					return err
				},
				func() error {
					_, err := w.m.SubmitReview(w.manager, market.SubmitReviewInput{AssignmentID: a.ID, Rating: 4})
					return err
				},
			)
			for _, err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			assignments = append(assignments, a.ID)
			w.now = w.now.Add(-14 * time.Hour) // the next shift, like this one, starts ahead
		}
		sys := rule.System(context.Background())
		hidden := db.Review.Query().Where(review.AssignmentIDIn(assignments...), review.RevealedAtIsNil()).CountX(sys)
		revealed := db.CreditEvent.Query().Where(creditevent.KindEQ(creditevent.KindREVIEW_REVEALED)).CountX(sys)
		if hidden != 0 || revealed != 20 {
			t.Fatalf("%d reviews still hidden, %d counted; want 0 and 20", hidden, revealed)
		}
	})
}

// TestARaiseRacesAnAcceptance races the employer raising the pay against
// the worker accepting the offer, a dozen times. Whichever wins, the hire's
// contract states the pay the shift now has: an acceptance made on the old
// terms is refused (SHIFT_CHANGED), or the raise re-issues its contract.
func TestARaiseRacesAnAcceptance(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		sys := rule.System(context.Background())
		outcomes := map[string]int{}
		for i := range 12 {
			s := w.shift(72*time.Hour, 4, 3)
			ana := w.worker("Ana")
			o := w.offer(ana, s)
			pay := int64(1600 + i)
			errs := race(
				func() error { jitter(); _, err := w.m.AcceptOffer(ana, o.ID); return err },
				func() error {
					jitter()
					_, err := w.m.UpdateShift(w.manager, market.UpdateShiftInput{ShiftID: s.ID, Pay: &market.Money{Amount: pay, Currency: "EUR"}})
					return err
				},
			)
			if errs[1] != nil {
				t.Fatalf("the raise: %v", errs[1])
			}
			if errs[0] != nil {
				if code(errs[0]) != "SHIFT_CHANGED" {
					t.Fatalf("the acceptance: %v", errs[0])
				}
				outcomes["refused"]++
				continue
			}
			a := db.Assignment.Query().Where(assignment.OfferID(o.ID)).OnlyX(sys)
			k := db.Contract.Query().Where(contract.AssignmentID(a.ID)).OnlyX(sys)
			if want := (i18n.Money{Amount: pay, Currency: "EUR", Digits: 2}).In(i18n.English) + " per hour"; !strings.Contains(k.Body, want) {
				t.Fatalf("the contract (revision %d) does not say %q", k.Revision, want)
			}
			outcomes[fmt.Sprintf("hired, revision %d", k.Revision)]++
		}
		t.Logf("outcomes: %v", outcomes)
	})
}
