package market_test

import (
	"strings"
	"testing"
	"time"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/ledgerentry"
	"flexwork/market"
)

// TestABoostPaysTheHiresMadeUnderIt: Ana is hired at 15.00 an hour; the
// employer boosts the shift by 3.00 and Ben, hired after, signs for 18.00
// and is paid at it, while Ana keeps the 15.00 she signed for. A boost
// only rises, to at most the pay; a stranger may not boost. A cap
// pre-authorised is climbed by the sweep in thirds as the start nears
// unfilled, each step on the ledger. Both databases.
func TestABoostPaysTheHiresMadeUnderIt(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		s := w.shift(48*time.Hour, 4, 3) // 15.00 EUR an hour
		ana, ben := w.worker("Ana"), w.worker("Ben")
		anaHire := w.hire(ana, s)
		eur := func(cents int64) market.Money { return market.Money{Amount: cents, Currency: "EUR"} }
		if _, err := w.m.BoostShift(ana, market.BoostInput{ShiftID: s.ID, Amount: eur(300)}); code(err) != "NOT_FOUND" {
			t.Fatalf("a worker boosting the shift: %v", err)
		}
		if _, err := w.m.BoostShift(w.manager, market.BoostInput{ShiftID: s.ID, Amount: eur(300)}); err != nil {
			t.Fatal(err)
		}
		for _, bad := range []market.Money{eur(200), eur(1600), {Amount: 400, Currency: "CNY"}} {
			if _, err := w.m.BoostShift(w.manager, market.BoostInput{ShiftID: s.ID, Amount: bad}); code(err) != "BAD_USER_INPUT" {
				t.Fatalf("boost to %v: %v", bad, err)
			}
		}
		benHire := w.hire(ben, s)
		if benHire.Boost != 300 || anaHire.Boost != 0 {
			t.Fatalf("boosts on the hires: Ana %d, Ben %d", anaHire.Boost, benHire.Boost)
		}
		contracts := db.Contract.Query().AllX(sys)
		var anaBody, benBody string
		for _, k := range contracts {
			switch k.AssignmentID {
			case anaHire.ID:
				anaBody = k.Body
			case benHire.ID:
				benBody = k.Body
			}
		}
		if !strings.Contains(benBody, "18.00") || strings.Contains(anaBody, "18.00") || !strings.Contains(anaBody, "15.00") {
			t.Fatalf("contracts do not state the pay each signed for:\nAna: %.300s\nBen: %.300s", anaBody, benBody)
		}
		anaSheet, benSheet := w.work(ana, s, anaHire), w.work(ben, s, benHire)
		for _, ts := range []string{anaSheet.ID, benSheet.ID} {
			if _, err := w.m.ApproveTimesheet(w.manager, market.ApproveInput{TimesheetID: ts}); err != nil {
				t.Fatal(err)
			}
		}
		// Four hours, no break: 60.00 and 72.00.
		if a, b := db.Timesheet.GetX(sys, anaSheet.ID), db.Timesheet.GetX(sys, benSheet.ID); *a.AmountOwed != 6000 || *b.AmountOwed != 7200 {
			t.Fatalf("wages: Ana %d, Ben %d; want 6000 and 7200", *a.AmountOwed, *b.AmountOwed)
		}

		// A pre-authorised cap of 6.00, climbed by the sweep.
		w.now = time.Date(2026, 12, 10, 9, 0, 0, 0, time.UTC)
		s2 := w.shift(20*time.Hour, 4, 2)
		if _, err := w.m.PreauthoriseBoost(ana, market.BoostInput{ShiftID: s2.ID, Amount: eur(600)}); code(err) != "NOT_FOUND" {
			t.Fatalf("a worker pre-authorising a boost: %v", err)
		}
		if _, err := w.m.PreauthoriseBoost(w.manager, market.BoostInput{ShiftID: s2.ID, Amount: eur(2000)}); code(err) != "BAD_USER_INPUT" {
			t.Fatalf("a cap above the shift's pay: %v", err)
		}
		if _, err := w.m.PreauthoriseBoost(w.manager, market.BoostInput{ShiftID: s2.ID, Amount: eur(600)}); err != nil {
			t.Fatal(err)
		}
		for _, step := range []struct {
			before time.Duration
			boost  int64
		}{{13 * time.Hour, 0}, {12 * time.Hour, 200}, {7 * time.Hour, 200}, {6 * time.Hour, 400}, {2 * time.Hour, 600}, {time.Hour, 600}} {
			w.now = s2.StartsAt.Add(-step.before)
			w.sweep()
			if got := db.Shift.GetX(sys, s2.ID).Boost; got != step.boost {
				t.Fatalf("%s before the start: boost %d, want %d", step.before, got, step.boost)
			}
		}
		if n := db.LedgerEntry.Query().Where(ledgerentry.Kind(market.LedgerShiftBoosted)).CountX(sys); n != 4 {
			t.Fatalf("%d boosts on the ledger, want 4 (one by hand, three by the sweep)", n)
		}
	})
}
