package market_test

import (
	"context"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/rule"
	"flexwork/ent/shift"
	"flexwork/ent/viewer"
	"flexwork/market"
)

// TestTheRankingMovesWithWhatRanksIt: a shift's ranking is kept between
// requests, and every change that moves it shows in the very next one — a
// new applicant, a credit score, a hire elsewhere that makes an applicant
// busy, a withdrawal — while a change that moves nothing leaves it as it
// was.
func TestTheRankingMovesWithWhatRanksIt(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		sys := rule.System(context.Background())
		s := w.shift(48*time.Hour, 4, 2)
		ana, ben := w.worker("Ana"), w.worker("Ben")
		anaID, benID := viewer.FromContext(ana).WorkerID, viewer.FromContext(ben).WorkerID
		var anaApp string
		for _, who := range []context.Context{ana, ben} {
			ch, err := w.m.ApplyToShift(who, market.ApplyInput{ShiftID: s.ID})
			if err != nil {
				t.Fatal(err)
			}
			if who == ana {
				anaApp = ch.Application.ID
			}
		}
		// ranked lists the candidates as the tablet reads them: worker,
		// credit score, eligible.
		type row struct {
			worker   string
			credit   int
			eligible bool
		}
		ranked := func() []row {
			t.Helper()
			page, err := w.m.Candidates(w.manager, s.ID, nil, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			var out []row
			for _, c := range page.Edges {
				out = append(out, row{c.Application.WorkerID, c.CreditScore, c.Eligibility.Eligible})
			}
			if page.TotalCount != len(out) {
				t.Fatalf("totalCount %d of a page of %d", page.TotalCount, len(out))
			}
			return out
		}
		first := ranked()
		if len(first) != 2 || first[0].worker != anaID || first[1].worker != benID || !first[0].eligible || !first[1].eligible {
			t.Fatalf("equal applicants rank in order of application, both eligible: %+v", first)
		}

		// A credit score moves Ben up at once.
		db.WorkerProfile.UpdateOneID(benID).SetCreditScore(1000).ExecX(sys)
		if got := ranked(); got[0].worker != benID || got[0].credit != 1000 {
			t.Fatalf("after Ben's credit rose: %+v", got)
		}

		// A new applicant is a candidate at once.
		cara := w.worker("Cara")
		if _, err := w.m.ApplyToShift(cara, market.ApplyInput{ShiftID: s.ID}); err != nil {
			t.Fatal(err)
		}
		if got := ranked(); len(got) != 3 {
			t.Fatalf("after Cara applied: %+v", got)
		}

		// Hired by another employer for an overlapping shift, Ben is no
		// longer eligible here.
		elsewhere := newWorld(t, db)
		other := elsewhere.shift(49*time.Hour, 4, 1)
		if _, err := elsewhere.m.AcceptOffer(ben, elsewhere.offer(ben, other).ID); err != nil {
			t.Fatal(err)
		}
		for _, r := range ranked() {
			if r.worker == benID && r.eligible {
				t.Fatalf("Ben is hired elsewhere at the time and still eligible: %+v", r)
			}
		}

		// Ana withdraws: gone at once.
		if _, err := w.m.WithdrawApplication(ana, anaApp); err != nil {
			t.Fatal(err)
		}
		got := ranked()
		for _, r := range got {
			if r.worker == anaID {
				t.Fatalf("Ana withdrew and is still a candidate: %+v", got)
			}
		}

		// A kept ranking answers a page without a statement (it knows
		// the shift's employer, and keeps the applications with their
		// workers); a change to rows no ranking reads or shows keeps it:
		// the manager's new name, every user's push settings.
		db.User.UpdateOneID(viewer.FromContext(w.manager).UserID).SetDisplayName("Renamed").ExecX(sys)
		db.User.Update().SetDailyShiftPushCap(3).ExecX(sys)
		before := db.Statements()
		if again := ranked(); len(again) != len(got) {
			t.Fatalf("%+v after an unrelated change, was %+v", again, got)
		}
		if n := db.Statements() - before; n != 0 {
			t.Fatalf("a kept ranking read %d statements, want 0", n)
		}
		// Kept, it is still only the employer's: another employer's
		// manager and an applicant are told there is no such shift.
		for who, ctx := range map[string]context.Context{"another employer's manager": elsewhere.manager, "an applicant": ben} {
			if _, err := w.m.Candidates(ctx, s.ID, nil, nil, nil); code(err) != string(market.CodeNotFound) {
				t.Fatalf("%s asked for the candidates: %v, want NOT_FOUND", who, err)
			}
		}

		// The sweep writes as time passes — the organisation's rights
		// score, the status of shifts that started, updates of no rows —
		// none of it what a ranking reads: the ranking is kept through it.
		if err := w.m.Sweep(sys); err != nil {
			t.Fatal(err)
		}
		if db.Employer.GetX(sys, w.emp).RightsAsOf == nil {
			t.Fatal("the sweep did not refresh the organisation's rights score: this checks nothing")
		}
		started := w.shift(72*time.Hour, 4, 1)
		if n := db.Shift.Update().Where(shift.ID(started.ID)).SetStatus(shift.StatusIN_PROGRESS).SaveX(sys); n != 1 {
			t.Fatalf("started %d shifts", n)
		}
		before = db.Statements()
		ranked()
		if n := db.Statements() - before; n != 0 {
			t.Fatalf("after a sweep, a page read %d statements, want 0 (the ranking was dropped)", n)
		}

		// A change this process did not see (another replica's, written
		// here straight to the table) shows once the ranking is computed
		// again: past half its life that happens in the background, while
		// pages are still served from the kept ranking.
		if _, err := db.SQL.ExecContext(sys, "UPDATE worker_profiles SET credit_score = 321 WHERE id = "+placeholder(db), benID); err != nil {
			t.Fatal(err)
		}
		w.now = w.now.Add(20 * time.Second)
		credit := func() int {
			for _, r := range ranked() {
				if r.worker == benID {
					return r.credit
				}
			}
			t.Fatalf("Ben is not a candidate")
			return 0
		}
		if c := credit(); c != 1000 {
			t.Fatalf("the kept ranking shows Ben's credit as %d, want the kept 1000", c)
		}
		for deadline := time.Now().Add(10 * time.Second); credit() != 321; time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the ranking was not computed again in the background 20 s into its 30 s life")
			}
		}
	})
}

// placeholder is the database's first positional parameter.
func placeholder(db *entdb.DB) string {
	if db.Dialect == dialect.Postgres {
		return "$1"
	}
	return "?"
}
