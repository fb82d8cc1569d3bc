package market_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"flexwork/ent"
	"flexwork/ent/employer"
	"flexwork/ent/entdb"
	"flexwork/ent/rule"
	"flexwork/ent/schema/enum"
	"flexwork/ent/shift"
	"flexwork/ent/skill"
	"flexwork/ent/viewer"
	"flexwork/market"
)

// world is a marketplace for market's own tests: a market over a real
// database with a clock the test moves, an employer and its manager, and
// workers made on demand.
type world struct {
	t       testing.TB
	db      *entdb.DB
	m       *market.Market
	now     time.Time
	manager context.Context
	emp     string
	picking string
}

var place = market.GeoPoint{Lat: 52.52, Lng: 13.405}

func newWorld(t testing.TB, db *entdb.DB) *world {
	w := &world{t: t, db: db, now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	// Founded on credit: these tests are about hiring, not funds (escrow_test.go is).
	w.m = market.New(db, market.WithClock(func() time.Time { return w.now }), market.WithNewEmployerTerms(employer.FundingTermsCREDIT))
	sys := rule.System(context.Background())
	u := db.User.Create().SetDisplayName("Olga").SaveX(sys)
	boss := &viewer.Viewer{UserID: u.ID, Roles: map[string]viewer.Role{}}
	e, err := w.m.CreateEmployer(viewer.NewContext(context.Background(), boss), market.CreateEmployerInput{Name: "Spree Logistics", Location: &place})
	if err != nil {
		t.Fatal(err)
	}
	w.emp = e.Employer.ID
	boss.Roles[w.emp] = viewer.RoleOwner
	w.manager = viewer.NewContext(context.Background(), boss)
	w.picking = db.Skill.Query().Where(skill.Slug("order-picking")).OnlyIDX(sys)
	return w
}

// clockAt returns a market over the same database whose clock reads at.
func (w *world) clockAt(at time.Time) *market.Market {
	return market.New(w.db, market.WithClock(func() time.Time { return at }))
}

// worker makes a worker with a profile near the place and the picking skill.
func (w *world) worker(name string) context.Context {
	sys := rule.System(context.Background())
	u := w.db.User.Create().SetDisplayName(name).SaveX(sys)
	v := &viewer.Viewer{UserID: u.ID}
	home := market.GeoPoint{Lat: 52.53, Lng: 13.405}
	p, err := w.m.UpdateWorkerProfile(viewer.NewContext(context.Background(), v), market.UpdateWorkerProfileInput{
		HomeLocation: &home, Skills: []market.WorkerSkillInput{{SkillID: w.picking, Years: 1}},
	})
	if err != nil {
		w.t.Fatal(err)
	}
	v.WorkerID = p.WorkerProfile.ID
	return viewer.NewContext(context.Background(), v)
}

// shift posts and publishes a shift starting after `in` and lasting hours.
func (w *world) shift(in time.Duration, hours, slots int) *ent.Shift {
	start := w.now.Add(in)
	s, err := w.m.CreateShift(w.manager, market.CreateShiftInput{
		EmployerID: w.emp, Title: "Picker", EngagementType: enum.PartTime, Address: "Lager 1", Location: place,
		StartsAt: start, EndsAt: start.Add(time.Duration(hours) * time.Hour), TimeZone: "Europe/Berlin",
		Pay: market.Money{Amount: 1500, Currency: "EUR"}, PayUnit: shift.PayUnitHOUR, Slots: slots,
		RequiredSkillIDs: []string{w.picking},
	})
	if err != nil {
		w.t.Fatal(err)
	}
	if s, err = w.m.PublishShift(w.manager, s.Shift.ID); err != nil {
		w.t.Fatal(err)
	}
	return s.Shift
}

// offer has the worker apply and the manager offer them the shift.
func (w *world) offer(workerCtx context.Context, s *ent.Shift) *ent.Offer {
	a, err := w.m.ApplyToShift(workerCtx, market.ApplyInput{ShiftID: s.ID})
	if err != nil {
		w.t.Fatalf("apply: %v", err)
	}
	o, err := w.m.SendOffer(w.manager, market.SendOfferInput{ApplicationID: &a.Application.ID})
	if err != nil {
		w.t.Fatalf("offer: %v", err)
	}
	return o.Offer
}

func code(err error) string {
	if e, ok := market.AsError(err); ok {
		return string(e.Code)
	}
	if err != nil {
		return fmt.Sprintf("internal: %v", err)
	}
	return ""
}
