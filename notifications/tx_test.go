package notifications

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"flexwork/ent"
	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/notification"
	"flexwork/ent/rule"
	"flexwork/market"
)

// TestJobsCommitWithTheChange: the inbox row and the jobs an event causes
// exist exactly when the change does — a rolled-back change leaves neither,
// a committed one both.
func TestJobsCommitWithTheChange(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		ctx := context.Background()
		sys := rule.System(ctx)
		svc := New(db, NewLocalBroker(), LogSender{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, LogMailer{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
		m := market.New(db, market.WithEvents(svc))
		if err := svc.Bind(m, Config{}); err != nil {
			t.Fatal(err)
		}
		u := db.User.Create().SetDisplayName("Ana").SaveX(sys)
		w := db.WorkerProfile.Create().SetUserID(u.ID).SaveX(sys)
		offer := market.Event{Kind: market.OfferCreated, ID: "ofr_x", WorkerID: w.ID, Title: "Picker", When: time.Now().Add(30 * time.Minute)}
		jobs := func() int {
			var n int
			if err := db.SQL.QueryRowContext(ctx, "SELECT count(*) FROM river_job").Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		boom := errors.New("the change failed after the event")
		err := entdb.InTx(sys, db.Client, func(ctx context.Context, c *ent.Client) error {
			if err := svc.Emit(ctx, c, offer); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) || jobs() != 0 || db.Notification.Query().CountX(sys) != 0 {
			t.Fatalf("after a rollback: err %v, %d jobs, %d notifications; want none", err, jobs(), db.Notification.Query().CountX(sys))
		}
		if err := entdb.InTx(sys, db.Client, func(ctx context.Context, c *ent.Client) error { return svc.Emit(ctx, c, offer) }); err != nil {
			t.Fatal(err)
		}
		// The warning 5 minutes before expiry, the expiry itself; no device, so no push.
		n := db.Notification.Query().OnlyX(sys)
		if jobs() != 2 || n.PushStatus != notification.PushStatusSKIPPED_NO_DEVICE || n.Title != "New offer: Picker" {
			t.Fatalf("after a commit: %d jobs, notification %+v", jobs(), n)
		}
	})
}
