package market_test

import (
	"testing"
	"time"

	"flexwork/ent/assignment"
	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/realname"
	"flexwork/ent/viewer"
	"flexwork/market"
	"flexwork/market/jurisdiction"
)

// TestSensitiveValuesAreKeptNoLongerThanTheirUse: where Ana checked in and
// out is kept 180 days after the shift, then cleared (the times stay);
// Ben's rejected real name is deleted after 30 days. Both databases.
func TestSensitiveValuesAreKeptNoLongerThanTheirUse(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		w.now = time.Now().UTC() // rows stamp their updates on the wall clock
		start := w.now
		ana := w.worker("Ana")
		s := w.shift(24*time.Hour, 4, 1)
		a := w.hire(ana, s)
		w.work(ana, s, a)
		ben := w.worker("Ben")
		if _, err := w.m.SubmitRealName(ben, market.RealNameInput{LegalName: "Ben", IDNumber: jurisdiction.ResidentID(time.Date(1988, 1, 2, 0, 0, 0, 0, time.UTC), 5)}); err != nil {
			t.Fatal(err)
		}
		why := "the card shows another name"
		if _, err := w.m.DecideRealName(w.staff(), market.DecideRealNameInput{UserID: viewer.FromContext(ben).UserID, Reason: &why}); err != nil {
			t.Fatal(err)
		}
		kept := func() (located bool, names int) {
			got := db.Assignment.Query().Where(assignment.ID(a.ID)).OnlyX(sys)
			return got.CheckInLat != nil && got.CheckOutLng != nil && got.CheckedInAt != nil,
				db.RealName.Query().Where(realname.UserID(viewer.FromContext(ben).UserID)).CountX(sys)
		}
		w.now = start.Add(market.RejectedRealNameRetention - time.Hour)
		if _, err := w.m.EnforceRetention(sys); err != nil {
			t.Fatal(err)
		}
		if located, names := kept(); !located || names != 1 {
			t.Fatalf("within their retention: located %v, real names %d", located, names)
		}
		w.now = s.EndsAt.Add(market.LocationRetention + time.Hour)
		if _, err := w.m.EnforceRetention(sys); err != nil {
			t.Fatal(err)
		}
		got := db.Assignment.Query().Where(assignment.ID(a.ID)).OnlyX(sys)
		if located, names := kept(); located || names != 0 || got.CheckedInAt == nil {
			t.Fatalf("past their retention: located %v, real names %d, checked in at %v", located, names, got.CheckedInAt)
		}
	})
}
