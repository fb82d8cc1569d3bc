package notifications

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"runtime"
	"testing"
	"time"

	"go.uber.org/goleak"

	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/rule"
	"flexwork/ent/schema/enum"
	"flexwork/ent/viewer"
	"flexwork/market"
)

// TestOverflowEndsWithResync: a subscriber whose socket stops reading falls
// behind; the publisher is not held up, the subscriber gets what fitted in
// its buffer, then RESYNC, then the end — and its goroutine is gone.
func TestOverflowEndsWithResync(t *testing.T) {
	db := entdbtest.Open(t, "sqlite3")
	sys := rule.System(context.Background())
	u := db.User.Create().SetDisplayName("Ana").SaveX(sys)
	w := db.WorkerProfile.Create().SetUserID(u.ID).SaveX(sys)
	e := db.Employer.Create().SetName("Linde").SaveX(sys)
	s := db.Shift.Create().SetEmployerID(e.ID).SetCreatedByID(u.ID).SetTitle("Barista").SetEngagementType(enum.PartTime).
		SetAddress("x").SetLat(1).SetLng(1).SetStartsAt(time.Now().Add(time.Hour)).SetEndsAt(time.Now().Add(2 * time.Hour)).
		SetTimeZone("UTC").SetPayRate(1).SetCurrency("EUR").SetPayUnit("HOUR").SetSlots(1).SaveX(sys)
	o := db.Offer.Create().SetShiftID(s.ID).SetWorkerID(w.ID).SetEmployerID(e.ID).SetSentByID(u.ID).
		SetExpiresAt(time.Now().Add(time.Hour)).SaveX(sys)

	broker := NewLocalBroker()
	live := &Live{broker: broker, db: db.Client, market: market.New(db), log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	before := goleak.IgnoreCurrent()
	ctx, cancel := context.WithCancel(viewer.NewContext(context.Background(), &viewer.Viewer{UserID: u.ID, WorkerID: w.ID}))
	defer cancel()
	events, err := live.OfferEvents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := json.Marshal(LiveEvent{Kind: market.OfferCreated, ID: o.ID, WorkerID: w.ID})
	start := time.Now()
	for range 500 {
		_ = broker.Publish(context.Background(), offersTopic(w.ID), msg)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("publishing to a stalled subscriber took %s", d)
	}
	got, resync := 0, 0
	for ev := range events {
		if ev.Kind == KindResync {
			resync++
		} else {
			got++
		}
	}
	// One item waits in the output, the buffer holds 64; the rest is lost.
	if resync != 1 || got < buffer || got > buffer+2 {
		t.Fatalf("got %d events and %d RESYNC; want about %d, then one RESYNC", got, resync, buffer)
	}
	if broker.Subscribers() != 0 {
		t.Fatalf("%d subscriptions left", broker.Subscribers())
	}
	goleak.VerifyNone(t, before)
}

// TestABroadcastDecodesEachMessageAsItsOwn: every subscriber of a topic
// decodes the same message, so the last one decoded is kept; a message
// whose buffer the broker reuses for the next one must still read as the
// next one, and a message that is not an event stays an error.
func TestABroadcastDecodesEachMessageAsItsOwn(t *testing.T) {
	live := &Live{}
	buf := []byte(`{"kind":"OFFER_CREATED","id":"offer-1"}`)
	for range 2 {
		e, err := live.decode(buf)
		if err != nil || e.ID != "offer-1" {
			t.Fatalf("first message: %+v, %v", e, err)
		}
	}
	copy(buf, `{"kind":"OFFER_CREATED","id":"offer-2"}`) // same length, same buffer
	if e, err := live.decode(buf); err != nil || e.ID != "offer-2" {
		t.Fatalf("the reused buffer read as %+v, %v; want offer-2", e, err)
	}
	for range 2 {
		if _, err := live.decode([]byte(`{"kind":`)); err == nil {
			t.Fatal("a broken message decoded")
		}
	}
}

// TestSubscribersThatDoNotReadDoNotHoldUpTheRest: the relays' jobs share a
// few goroutines; a subscriber that stops reading blocks one of them, and
// more of those than there are goroutines must not stop a subscriber that
// reads from hearing every event, promptly.
func TestSubscribersThatDoNotReadDoNotHoldUpTheRest(t *testing.T) {
	broker := NewLocalBroker()
	live := &Live{broker: broker, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	before := goleak.IgnoreCurrent()
	ctx, cancel := context.WithCancel(context.Background())
	one := func(context.Context, LiveEvent) (int, error) { return 1, nil }
	for range 4*runtime.GOMAXPROCS(0) + 2 {
		if _, err := stream(ctx, live, "t", one, nil); err != nil { // never read
			t.Fatal(err)
		}
	}
	reader, err := stream(ctx, live, "t", one, nil)
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := json.Marshal(LiveEvent{Kind: market.OfferCreated, ID: "o"})
	start := time.Now()
	const events = 5
	for range events {
		if err := broker.Publish(context.Background(), "t", msg); err != nil {
			t.Fatal(err)
		}
	}
	for i := range events {
		select {
		case <-reader:
		case <-time.After(5 * time.Second):
			t.Fatalf("the reading subscriber heard %d of %d events in 5 s", i, events)
		}
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("the reading subscriber heard every event after %s; want well under a second", d)
	}
	cancel()
	goleak.VerifyNone(t, before)
}
