package bench_test

import (
	"context"
	"io"
	"sort"
	"testing"
	"time"

	"flexwork/cmd/flexwork/internal/bench"
	"flexwork/ent/assignment"
	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/rule"
	"flexwork/market"
	"flexwork/server/servertest"
)

// TestSeedKeepsTheMarketplaceTrue seeds a small marketplace and checks it
// the way the product would: the ledger verifies, every stored credit score
// is what the ledger says, no shift has more hires than slots, nobody is
// hired twice at once, and a seeded worker signs in and sees a feed.
func TestSeedKeepsTheMarketplaceTrue(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		ctx := context.Background()
		sum, err := bench.Seed(ctx, db, 0.002, 7, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		want := bench.CountsAt(0.002)
		if sum.Workers != want.Workers || sum.Shifts != want.Shifts || sum.Applications != want.Applications ||
			sum.Assignments == 0 || sum.Reviews == 0 || sum.CreditEvents == 0 {
			t.Fatalf("seeded %+v, want about %+v", sum, want)
		}
		if _, err := bench.Seed(ctx, db, 0.002, 7, io.Discard); err == nil {
			t.Fatal("seeding a database that has users succeeded")
		}
		m := market.New(db)
		if n, err := m.VerifyLedger(ctx); err != nil || n != int64(sum.CreditEvents) {
			t.Fatalf("ledger: %d entries, %v; want %d", n, err, sum.CreditEvents)
		}
		checked, diffs, err := m.RecomputeCredit(ctx, false)
		if err != nil || len(diffs) > 0 || checked == 0 {
			t.Fatalf("credit recompute: %d checked, differences %v, %v", checked, diffs, err)
		}
		sys := rule.System(ctx)
		if n, err := m.RefreshRightsScores(ctx); err != nil || n != 0 {
			t.Fatalf("the server's first sweep recounted %d rights scores (%v); the seed leaves none to count", n, err)
		}
		shifts, err := db.Shift.Query().All(sys)
		if err != nil {
			t.Fatal(err)
		}
		hires, err := db.Assignment.Query().All(sys)
		if err != nil {
			t.Fatal(err)
		}
		perShift := map[string]int{}
		perWorker := map[string][]*struct{ from, to time.Time }{}
		for _, a := range hires {
			perShift[a.ShiftID]++
			if a.Status == assignment.StatusCANCELLED_BY_WORKER {
				continue
			}
			perWorker[a.WorkerID] = append(perWorker[a.WorkerID], &struct{ from, to time.Time }{a.StartsAt, a.EndsAt})
		}
		for _, s := range shifts {
			if s.Filled > s.Slots || perShift[s.ID] > s.Slots || s.Filled != perShift[s.ID] {
				t.Fatalf("shift %s: %d slots, filled %d, %d hires", s.ID, s.Slots, s.Filled, perShift[s.ID])
			}
		}
		for w, spans := range perWorker {
			sort.Slice(spans, func(i, j int) bool { return spans[i].from.Before(spans[j].from) })
			for i := 1; i < len(spans); i++ {
				if spans[i].from.Before(spans[i-1].to) {
					t.Fatalf("worker %s is hired twice at %s", w, spans[i].from)
				}
			}
		}

		// A seeded worker signs in with the bench password and sees shifts.
		env := servertest.Start(t, db)
		var in struct{ SignIn struct{ AccessToken string } }
		env.MustOp("", "SignIn", map[string]any{"input": map[string]any{"email": "worker0@bench.flexwork", "password": bench.Password}}, &in)
		var me struct {
			Viewer struct{ WorkerProfile struct{ ID string } }
		}
		env.MustOp(in.SignIn.AccessToken, "Me", nil, &me)
		var feed struct {
			ShiftFeed struct {
				Edges []struct{ Node struct{ ID string } }
			}
		}
		env.MustOp(in.SignIn.AccessToken, "ShiftFeed", map[string]any{"near": map[string]any{"lat": bench.Cities[0].Centre.Lat,
			"lng": bench.Cities[0].Centre.Lng}, "radiusKm": 30, "first": 20}, &feed)
		if me.Viewer.WorkerProfile.ID == "" || len(feed.ShiftFeed.Edges) == 0 {
			t.Fatalf("a seeded worker (%+v) sees a feed of %d shifts in Berlin", me, len(feed.ShiftFeed.Edges))
		}
	})
}
