package market_test

import (
	"testing"
	"time"

	"flexwork/ent/employer"
	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/insurancecover"
	"flexwork/ent/schema/enum"
	"flexwork/ent/shift"
	"flexwork/ent/viewer"
	"flexwork/market"
)

// TestCheckInWaitsForTheCoverTheLawAsks: a part-time hire in Shanghai
// needs work-injury cover, which the employer pays. Check-in is refused
// without it, saying what and who; the worker may not record it, a cover
// that ends before the shift is refused by field, and the manager's
// enrolment lets her check in. She reads her cover; another worker does
// not. A hire under the generic pack needs none. Both databases.
func TestCheckInWaitsForTheCoverTheLawAsks(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		shanghai := market.GeoPoint{Lat: 31.23, Lng: 121.47}
		cn := employer.JurisdictionCN
		e, err := w.m.CreateEmployer(w.manager, market.CreateEmployerInput{Name: "上海餐饮", Location: &shanghai, Jurisdiction: &cn})
		if err != nil {
			t.Fatal(err)
		}
		viewer.FromContext(w.manager).Roles[e.Employer.ID] = viewer.RoleOwner
		w.licensed(w.manager, e.Employer.ID)
		start := w.now.Add(48 * time.Hour)
		s, err := w.m.CreateShift(w.manager, market.CreateShiftInput{EmployerID: e.Employer.ID, Title: "服务员", EngagementType: enum.PartTime,
			Address: "南京西路 1 号", Location: shanghai, StartsAt: start, EndsAt: start.Add(4 * time.Hour), TimeZone: "Asia/Shanghai",
			Pay: market.Money{Amount: 3000, Currency: "CNY"}, PayUnit: shift.PayUnitHOUR, Slots: 1})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.m.PublishShift(w.manager, s.Shift.ID); err != nil {
			t.Fatal(err)
		}
		li := w.worker("李娜")
		w.verified(li)
		a := w.hire(li, s.Shift)
		need, err := w.m.AssignmentCoverRequired(li, a)
		if err != nil || need == nil || need.Kind != insurancecover.KindOCCUPATIONAL_INJURY || need.Payer != "EMPLOYER" {
			t.Fatalf("the cover asked: %+v, %v", need, err)
		}
		w.now = start
		_, err = w.m.CheckIn(li, market.PresenceInput{AssignmentID: a.ID, Location: shanghai})
		if e, ok := market.AsError(err); !ok || e.Code != "COVER_MISSING" || e.Details["payer"] != "EMPLOYER" {
			t.Fatalf("check-in without cover: %v", err)
		}
		cover := market.CoverInput{AssignmentID: a.ID, Kind: insurancecover.KindOCCUPATIONAL_INJURY, Insurer: "中国人民财产保险",
			PolicyNumber: "PICC-2026-0001", CoversFrom: start.Add(-time.Hour), CoversTo: start.Add(3 * time.Hour)}
		if _, err := w.m.RecordCover(li, cover); code(err) != "FORBIDDEN" {
			t.Fatalf("the worker recording her own cover: %v", err)
		}
		if _, err := w.m.RecordCover(w.manager, cover); code(err) != "BAD_USER_INPUT" {
			t.Fatalf("a cover that ends before the shift: %v", err)
		}
		cover.CoversTo = start.Add(4 * time.Hour)
		if _, err := w.m.RecordCover(w.manager, cover); err != nil {
			t.Fatal(err)
		}
		if _, err := w.m.CheckIn(li, market.PresenceInput{AssignmentID: a.ID, Location: shanghai}); err != nil {
			t.Fatalf("check-in with cover: %v", err)
		}
		if got, err := w.m.AssignmentCover(li, a); err != nil || got == nil || got.PolicyNumber != "PICC-2026-0001" {
			t.Fatalf("Li's cover: %+v, %v", got, err)
		}
		if got, err := w.m.AssignmentCover(w.worker("Ben"), a); err != nil || got != nil {
			t.Fatalf("another worker reads Li's cover: %+v, %v", got, err)
		}
		// Berlin asks for none.
		ana := w.worker("Ana")
		berlin := w.hire(ana, w.shift(72*time.Hour, 4, 1))
		if need, err := w.m.AssignmentCoverRequired(ana, berlin); err != nil || need != nil {
			t.Fatalf("a generic hire's cover: %+v, %v", need, err)
		}
	})
}
