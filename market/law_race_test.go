package market_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"flexwork/ent/assignment"
	"flexwork/ent/employer"
	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/rule"
	"flexwork/ent/schema/enum"
	"flexwork/ent/shift"
	"flexwork/ent/viewer"
	"flexwork/market"
)

// TestTheWeeklyHoursCapHoldsWhenOffersAreAcceptedAtOnce: a part-time
// worker in Shanghai holds seven offers of four hours each, one a day, in
// one week, from one employer, and accepts them all at the same moment.
// The law's 24 hours a week admit six: six hires, one LAW_RULE_FAILED,
// never seven, on both databases (the worker's own row queues the
// acceptances, so each counts the hours of the ones before).
func TestTheWeeklyHoursCapHoldsWhenOffersAreAcceptedAtOnce(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		sys := rule.System(context.Background())
		shanghai := market.GeoPoint{Lat: 31.23, Lng: 121.47}
		cn := employer.JurisdictionCN
		e, err := w.m.CreateEmployer(w.manager, market.CreateEmployerInput{Name: "上海餐饮", Location: &shanghai, Jurisdiction: &cn})
		if err != nil {
			t.Fatal(err)
		}
		boss := viewer.FromContext(w.manager)
		boss.Roles[e.Employer.ID] = viewer.RoleOwner
		zone, _ := time.LoadLocation("Asia/Shanghai")
		monday := time.Date(2026, 12, 7, 10, 0, 0, 0, zone)
		w.licensed(w.manager, e.Employer.ID)
		li := w.worker("李娜")
		w.verified(li)
		db.WorkerProfile.UpdateOneID(viewer.FromContext(li).WorkerID).SetHomeLat(31.24).SetHomeLng(121.48).ExecX(sys)
		var offers []string
		for day := range 7 {
			start := monday.AddDate(0, 0, day)
			s, err := w.m.CreateShift(w.manager, market.CreateShiftInput{
				EmployerID: e.Employer.ID, Title: "服务员", EngagementType: enum.PartTime, Address: "南京西路 1 号", Location: shanghai,
				StartsAt: start, EndsAt: start.Add(4 * time.Hour), TimeZone: "Asia/Shanghai",
				Pay: market.Money{Amount: 3000, Currency: "CNY"}, PayUnit: shift.PayUnitHOUR, Slots: 1,
			})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.m.PublishShift(w.manager, s.Shift.ID); err != nil {
				t.Fatal(err)
			}
			offers = append(offers, w.offer(li, s.Shift).ID)
		}
		var (
			wg    sync.WaitGroup
			mu    sync.Mutex
			codes = map[string]int{}
		)
		for _, id := range offers {
			wg.Go(func() {
				_, err := w.m.AcceptOffer(li, id)
				mu.Lock()
				codes[code(err)]++
				mu.Unlock()
			})
		}
		wg.Wait()
		hired := db.Assignment.Query().Where(assignment.WorkerID(viewer.FromContext(li).WorkerID),
			assignment.StatusEQ(assignment.StatusSCHEDULED)).CountX(sys)
		if hired != 6 || codes[""] != 6 || codes["LAW_RULE_FAILED"] != 1 {
			t.Fatalf("%d hired; answers %v; want 6 hires and one LAW_RULE_FAILED", hired, codes)
		}
	})
}
