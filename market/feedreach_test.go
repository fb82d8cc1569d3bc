package market_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/schema/enum"
	"flexwork/ent/shift"
	"flexwork/market"
)

// TestTheFeedsReachNeverChangesItsAnswer: the feed looks for a page of the
// nearest shifts within the distance that held such a page at that place
// before, widened up to the whole radius when that does not hold one. The
// answer is always the one a market that never looked there gives, which
// reads the whole radius: on a guess that holds the page, on one that
// does not (the nearest shifts went away), and for a larger page.
func TestTheFeedsReachNeverChangesItsAnswer(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		ana := w.worker("Ana")
		start := w.now.Add(48 * time.Hour)
		post := func(km float64) string {
			at := market.GeoPoint{Lat: place.Lat + km/111.32, Lng: place.Lng}
			s, err := w.m.CreateShift(w.manager, market.CreateShiftInput{
				EmployerID: w.emp, Title: fmt.Sprintf("Picker at %.1f km", km), EngagementType: enum.PartTime, Address: "Lager 1",
				Location: at, StartsAt: start, EndsAt: start.Add(4 * time.Hour), TimeZone: "Europe/Berlin",
				Pay: market.Money{Amount: 1500, Currency: "EUR"}, PayUnit: shift.PayUnitHOUR, Slots: 1,
			})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.m.PublishShift(w.manager, s.Shift.ID); err != nil {
				t.Fatal(err)
			}
			return s.Shift.ID
		}
		// A dense centre, then a sparse ring.
		var near []string
		for i := range 12 {
			near = append(near, post(0.1*float64(i+1)))
		}
		for _, km := range []float64{6, 7, 8, 9} {
			post(km)
		}
		feed := func(m *market.Market, first int) []string {
			t.Helper()
			page, err := m.ShiftFeed(ana, place, 10, &first, nil, nil, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, e := range page.Edges {
				ids = append(ids, e.Shift.ID)
			}
			return ids
		}
		// fresh reads the whole radius: it has never seen this place.
		fresh := func(first int) []string {
			return feed(market.New(db, market.WithClock(func() time.Time { return w.now }), dataKey), first)
		}
		check := func(what string, first int) {
			t.Helper()
			got, want := feed(w.m, first), fresh(first)
			if !slices.Equal(got, want) || len(want) == 0 {
				t.Fatalf("%s: the feed answered %v, the whole radius %v", what, got, want)
			}
		}
		feed(w.m, 3) // the first look reads the whole radius and learns the place
		before := db.Statements()
		feed(w.m, 3)
		hit := db.Statements() - before
		check("a guess that holds the page", 3)
		check("a larger page", 10)
		// The centre empties: the guess learnt there holds no page now.
		for _, id := range near {
			if _, err := w.m.CancelShift(w.manager, id, "no longer needed"); err != nil {
				t.Fatal(err)
			}
		}
		// The guess (0.8 km: twice the fourth shift's 0.4) is widened
		// fourfold (3.2 km, still empty), then to the whole radius, which
		// holds the ring: a statement for each look.
		before = db.Statements()
		got := feed(w.m, 3)
		if miss := db.Statements() - before; miss != hit+2 {
			t.Fatalf("a guess that missed read %d statements, one that held %d; want two more", miss, hit)
		}
		if want := fresh(3); !slices.Equal(got, want) || len(want) != 3 {
			t.Fatalf("after the centre emptied the feed answered %v, the whole radius %v", got, want)
		}
	})
}

// TestAMissedReachWidensToTheRadius: each widening looks four times as
// far, and the last look is the whole radius, never beyond it.
func TestAMissedReachWidensToTheRadius(t *testing.T) {
	in := market.FeedInput{RadiusKm: 10}
	var looks []float64
	for km := 0.25; ; km = market.Widen(in, km) {
		looks = append(looks, km)
		if km >= in.RadiusKm {
			break
		}
	}
	if want := []float64{0.25, 1, 4, 10}; !slices.Equal(looks, want) {
		t.Fatalf("looked within %v km, want %v", looks, want)
	}
	wide := market.FeedInput{RadiusKm: 50}
	if got := market.Widen(wide, 5); got != 20 {
		t.Fatalf("5 km widened within 50 to %v km, want 20", got)
	}
	if got := market.Widen(wide, 10); got != 50 { // 40 km reads about as much as 50
		t.Fatalf("10 km widened within 50 to %v km, want the radius", got)
	}
	if got := market.Widen(wide, 0); got != 50 {
		t.Fatalf("nothing widened to %v km, want the radius", got)
	}
}
