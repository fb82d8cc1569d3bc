package market_test

import (
	"bytes"
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"flexwork/ent"
	"flexwork/ent/employer"
	"flexwork/ent/entdb"
	"flexwork/ent/insurancecover"
	"flexwork/ent/rule"
	"flexwork/ent/schema/enum"
	"flexwork/ent/shift"
	"flexwork/ent/skill"
	"flexwork/ent/viewer"
	"flexwork/market"
	"flexwork/market/jurisdiction"
	"flexwork/market/sealed"
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

// dataKey seals the world's identity numbers.
var dataKey = func() market.Option {
	key := bytes.Repeat([]byte{7}, 32)
	box, err := sealed.New(key)
	if err != nil {
		panic(err)
	}
	return market.WithDataKey(box, key)
}()

var place = market.GeoPoint{Lat: 52.52, Lng: 13.405}

func newWorld(t testing.TB, db *entdb.DB) *world {
	w := &world{t: t, db: db, now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	// Founded on credit: these tests are about hiring, not funds (escrow_test.go is).
	w.m = market.New(db, market.WithClock(func() time.Time { return w.now }), market.WithNewEmployerTerms(employer.FundingTermsCREDIT), dataKey)
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
	return market.New(w.db, market.WithClock(func() time.Time { return at }), dataKey)
}

// staff is a member of staff.
func (w *world) staff() context.Context {
	return viewer.NewContext(context.Background(), &viewer.Viewer{UserID: "usr_staff", Staff: true})
}

// people counts the real names given in this test binary: each gets a
// number of its own, as databases are shared between worlds.
var people atomic.Int64

// verified gives the worker a (made-up) real name that staff verify.
func (w *world) verified(who context.Context) {
	w.t.Helper()
	n := int(people.Add(1))
	v := viewer.FromContext(who)
	if _, err := w.m.SubmitRealName(who, market.RealNameInput{LegalName: "Person " + fmt.Sprint(n),
		IDNumber: jurisdiction.ResidentID(time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n/1000), n)}); err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.m.DecideRealName(w.staff(), market.DecideRealNameInput{UserID: v.UserID, Verified: true}); err != nil {
		w.t.Fatal(err)
	}
}

// covered records occupational-injury cover for the hire, spanning from
// to to, as by (staff, or the paying organisation's manager).
func (w *world) covered(by context.Context, assignmentID string, from, to time.Time) {
	w.t.Helper()
	if _, err := w.m.RecordCover(by, market.CoverInput{AssignmentID: assignmentID, Kind: insurancecover.KindOCCUPATIONAL_INJURY,
		Insurer: "中国人民财产保险", PolicyNumber: "PICC-" + assignmentID, CoversFrom: from, CoversTo: to}); err != nil {
		w.t.Fatal(err)
	}
}

// licensed has the employer's licence submitted by manager and verified
// by staff: what the CN pack asks before posting.
func (w *world) licensed(manager context.Context, employerID string) {
	w.t.Helper()
	if _, err := w.m.SubmitBusinessLicence(manager, market.LicenceInput{EmployerID: employerID, CreditCode: "91350100M000100Y43"}); err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.m.DecideBusinessLicence(w.staff(), market.DecideLicenceInput{EmployerID: employerID, Verified: true}); err != nil {
		w.t.Fatal(err)
	}
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
