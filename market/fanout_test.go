package market_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"flexwork/ent/application"
	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/rosterentry"
	"flexwork/ent/rule"
	"flexwork/ent/viewer"
	"flexwork/market"
)

// TestTheHeadStartTierIsTheHeadOfTheFanOut: the tier told first lists
// exactly the favourites and standby workers Recipients puts first, with
// the same flags, scores and order, though it looks at nobody else: a
// favourite out of reach, one without the shift's skill and a blocked
// worker are left out by the same screening, and the rest of the
// neighbourhood is not in it. With no favourites and nobody on standby it
// is empty. Both databases.
func TestTheHeadStartTierIsTheHeadOfTheFanOut(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		ctx, sys := context.Background(), rule.System(context.Background())
		id := func(wk context.Context) string { return viewer.FromContext(wk).WorkerID }
		plain, other := w.worker("Plain"), w.worker("Other")
		s := w.shift(48*time.Hour, 6, 2)

		first, err := w.m.FirstRecipients(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		all, err := w.m.Recipients(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(first) != 0 || len(all) != 2 {
			t.Fatalf("no favourites, nobody waiting: first %+v, all %+v", first, all)
		}

		fav, waiting, blocked := w.worker("Fav"), w.worker("Waiting"), w.worker("Blocked")
		w.roster(fav, rosterentry.KindFAVOURITE)
		w.roster(blocked, rosterentry.KindBLOCKED)
		far := w.worker("Far")
		away := market.GeoPoint{Lat: 53.55, Lng: 9.99} // Hamburg
		if _, err := w.m.UpdateWorkerProfile(far, market.UpdateWorkerProfileInput{HomeLocation: &away}); err != nil {
			t.Fatal(err)
		}
		w.roster(far, rosterentry.KindFAVOURITE)
		unskilled := w.worker("Unskilled")
		if _, err := w.m.UpdateWorkerProfile(unskilled, market.UpdateWorkerProfileInput{Skills: []market.WorkerSkillInput{}}); err != nil {
			t.Fatal(err)
		}
		w.roster(unskilled, rosterentry.KindFAVOURITE)
		// Left waiting from when the shift was full (a hire since cancelled).
		db.Application.Create().SetShiftID(s.ID).SetWorkerID(id(waiting)).SetEmployerID(w.emp).
			SetStatus(application.StatusSTANDBY).SetStandby(true).SaveX(sys)

		if first, err = w.m.FirstRecipients(ctx, s.ID); err != nil {
			t.Fatal(err)
		}
		if all, err = w.m.Recipients(ctx, s.ID); err != nil {
			t.Fatal(err)
		}
		head := slices.DeleteFunc(slices.Clone(all), func(r market.Recipient) bool { return !r.First() })
		if !slices.Equal(first, head) {
			t.Fatalf("the first tier\n %+v\nis not the head of the fan-out\n %+v", first, all)
		}
		got := map[string]market.Recipient{}
		for _, r := range first {
			got[r.WorkerID] = r
		}
		if len(got) != 2 || !got[id(fav)].Favourite || got[id(fav)].Standby || !got[id(waiting)].Standby || got[id(waiting)].Favourite {
			t.Fatalf("the first tier %+v, want the favourite and the standby worker", first)
		}
		var rest []string
		for _, r := range all[len(head):] {
			rest = append(rest, r.WorkerID)
		}
		slices.Sort(rest)
		want := []string{id(plain), id(other)}
		slices.Sort(want)
		if !slices.Equal(rest, want) {
			t.Fatalf("after the head: %q, want the two others %q (not the blocked, far or unskilled)", rest, want)
		}
	})
}
