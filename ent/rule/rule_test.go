package rule_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"flexwork/ent"
	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/privacy"
	"flexwork/ent/rule"
	"flexwork/ent/schema/enum"
	"flexwork/ent/viewer"
)

// These tests go around market, straight to ent, to prove the policies hold
// on their own: a bug in market cannot write what the rules forbid.

type world struct {
	db                     *entdb.DB
	employer, worker, user string
}

func setup(t *testing.T, db *entdb.DB) world {
	ctx := rule.System(context.Background())
	u := db.User.Create().SetDisplayName("Ana").SaveX(ctx)
	w := db.WorkerProfile.Create().SetUserID(u.ID).SaveX(ctx)
	e := db.Employer.Create().SetName("Linde").SaveX(ctx)
	return world{db: db, employer: e.ID, worker: w.ID, user: u.ID}
}

func as(v *viewer.Viewer) context.Context { return viewer.NewContext(context.Background(), v) }

func newShift(c *ent.Client, employerID string) *ent.ShiftCreate {
	return c.Shift.Create().SetEmployerID(employerID).SetCreatedByID("usr_x").SetTitle("Barista").
		SetEngagementType(enum.PartTime).SetAddress("x").SetLat(1).SetLng(1).
		SetStartsAt(time.Now().Add(time.Hour)).SetEndsAt(time.Now().Add(2 * time.Hour)).
		SetTimeZone("UTC").SetPayRate(1).SetCurrency("EUR").SetPayUnit("HOUR").SetSlots(1)
}

func TestMutationsAreDeniedByDefault(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := setup(t, db)
		manager := &viewer.Viewer{UserID: "usr_m", Roles: map[string]viewer.Role{w.employer: viewer.RoleManager}}
		onlyViewer := &viewer.Viewer{UserID: "usr_v", Roles: map[string]viewer.Role{w.employer: viewer.RoleViewer}}
		stranger := &viewer.Viewer{UserID: "usr_s", Roles: map[string]viewer.Role{}}

		if _, err := newShift(db.Client, w.employer).Save(context.Background()); !errors.Is(err, rule.ErrAnonymous) {
			t.Fatalf("anonymous create: err = %v, want ErrAnonymous", err)
		}
		for name, v := range map[string]*viewer.Viewer{"employer viewer": onlyViewer, "stranger": stranger} {
			if _, err := newShift(db.Client, w.employer).Save(as(v)); !errors.Is(err, privacy.Deny) {
				t.Fatalf("%s creates a shift: err = %v, want deny", name, err)
			}
		}
		s, err := newShift(db.Client, w.employer).Save(as(manager))
		if err != nil {
			t.Fatalf("manager creates a shift: %v", err)
		}
		// Updates of other people's rows find nothing to update.
		if err := db.Shift.UpdateOneID(s.ID).SetTitle("Mine now").Exec(as(onlyViewer)); !ent.IsNotFound(err) {
			t.Fatalf("employer viewer updates a shift: err = %v, want not found", err)
		}
		if n, err := db.Shift.Update().SetTitle("Mine now").Save(as(stranger)); err != nil || n != 0 {
			t.Fatalf("stranger bulk-updates shifts: n = %d, err = %v", n, err)
		}
		other := &viewer.Viewer{UserID: "usr_o", WorkerID: "wkr_other"}
		if err := db.WorkerProfile.UpdateOneID(w.worker).SetHeadline("hacked").Exec(as(other)); !ent.IsNotFound(err) {
			t.Fatalf("a worker updates another's profile: err = %v, want not found", err)
		}
		owner := &viewer.Viewer{UserID: w.user, WorkerID: w.worker}
		if err := db.WorkerProfile.UpdateOneID(w.worker).SetHeadline("Barista").Exec(as(owner)); err != nil {
			t.Fatalf("a worker updates their own profile: %v", err)
		}
		// Ledger entries and credit events are the system's to write.
		if _, err := db.LedgerEntry.Create().SetSeq(1).SetKind("x").SetSubjectID("x").SetPayload("{}").
			SetPrevHash("").SetHash("h").Save(as(manager)); !errors.Is(err, privacy.Deny) {
			t.Fatalf("a user appends to the ledger: err = %v, want deny", err)
		}
		// Staff may read everything but not write shifts.
		staff := &viewer.Viewer{UserID: "usr_staff", Staff: true}
		if _, err := newShift(db.Client, w.employer).Save(as(staff)); !errors.Is(err, privacy.Deny) {
			t.Fatalf("staff creates a shift: err = %v, want deny", err)
		}
		if n := db.Shift.Query().CountX(as(staff)); n != 1 {
			t.Fatalf("staff sees %d shifts, want 1", n)
		}
	})
}
