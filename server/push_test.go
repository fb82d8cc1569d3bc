package server_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	firebase "firebase.google.com/go/v4"
	"google.golang.org/api/option"

	"flexwork/ent/device"
	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/notification"
	"flexwork/ent/rule"
	"flexwork/ent/schema/enum"
	"flexwork/market"
	"flexwork/notifications"
	"flexwork/notifications/fcmfake"
	"flexwork/server"
	"flexwork/server/demo"
	"flexwork/server/servertest"
)

// spySender records the size of every batch the real FCM sender sends.
type spySender struct {
	notifications.Sender
	mu    sync.Mutex
	sizes []int
}

func (s *spySender) Send(ctx context.Context, batch []notifications.Push) ([]notifications.Outcome, error) {
	s.mu.Lock()
	s.sizes = append(s.sizes, len(batch))
	s.mu.Unlock()
	return s.Sender.Send(ctx, batch)
}

// fcmSender is the real Firebase Admin SDK pointed at the fake server.
func fcmSender(t *testing.T, fake *fcmfake.Server) *spySender {
	app, err := firebase.NewApp(context.Background(), &firebase.Config{ProjectID: "flexwork-test"},
		option.WithEndpoint(fake.Endpoint()), option.WithoutAuthentication())
	if err != nil {
		t.Fatal(err)
	}
	mc, err := app.Messaging(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return &spySender{Sender: notifications.FCM{Client: mc}}
}

// crowd writes n eligible workers with one device each near the place and
// returns their tokens.
func crowd(t *testing.T, db *entdb.DB, n int, picking string) []string {
	members, err := demo.Crowd(context.Background(), db.Client, n, market.GeoPoint{Lat: 52.521, Lng: 13.405}, picking, true)
	if err != nil {
		t.Fatal(err)
	}
	tokens := make([]string, n)
	for i, m := range members {
		tokens[i] = m.Token
	}
	return tokens
}

// settled waits until no notification about the subject is waiting to be
// pushed.
func settled(t *testing.T, db *entdb.DB, subject string, timeout time.Duration) {
	t.Helper()
	settledBut(t, db, subject, timeout, 0)
}

// settledBut is settled, but for deferred notifications that wait for the
// end of their user's quiet hours.
func settledBut(t *testing.T, db *entdb.DB, subject string, timeout time.Duration, deferred int) {
	t.Helper()
	ctx := rule.System(context.Background())
	deadline := time.Now().Add(timeout)
	for {
		total := db.Notification.Query().Where(notification.SubjectID(subject)).CountX(ctx)
		waiting := db.Notification.Query().Where(notification.SubjectID(subject),
			notification.PushStatusEQ(notification.PushStatusPENDING)).CountX(ctx)
		if total > 0 && waiting == deferred {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %d of %d notifications still waiting to be pushed", timeout, waiting, total)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func userOfToken(t *testing.T, db *entdb.DB, token string) string {
	return db.Device.Query().Where(device.Token(token)).OnlyX(rule.System(context.Background())).UserID
}

func TestFanOutPushesEveryEligibleDeviceOnce(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		fake := fcmfake.Start()
		defer fake.Close()
		spy := fcmSender(t, fake)
		env := servertest.Start(t, db, servertest.WithJobs(), servertest.WithDeps(func(d *server.Deps) { d.Sender = spy }))
		ctx := rule.System(context.Background())
		picking := skillID(t, db, "order-picking")
		tokens := crowd(t, db, 1200, picking)

		dead := tokens[10:13]
		for _, tok := range dead {
			fake.Unregister(tok)
		}
		throttled := tokens[20]
		fake.Throttle(throttled, 1, time.Second)
		sleepy, choosy := tokens[30], tokens[31]
		quiet := (env.Clock.Now().Hour()*60 + env.Clock.Now().Minute()) % 1440
		db.User.UpdateOneID(userOfToken(t, db, sleepy)).SetQuietHoursStart(quiet).SetQuietHoursEnd((quiet + 60) % 1440).ExecX(ctx)
		db.User.UpdateOneID(userOfToken(t, db, choosy)).SetPushOptOuts([]enum.NotificationCategory{enum.CategoryShiftPublished}).ExecX(ctx)

		olga := env.SignUp("olga@example.com", "Olga")
		emp := createEmployer(t, env, olga, "Spree Logistics")
		started := time.Now()
		shiftID := postShift(t, env, olga, emp, map[string]any{"requiredSkillIDs": []string{picking}, "maxDistanceKm": 5})
		settledBut(t, db, shiftID, 60*time.Second, 1) // sleepy's push waits for the morning

		for i, tok := range tokens {
			want := 1
			switch tok {
			case dead[0], dead[1], dead[2], sleepy, choosy:
				want = 0
			}
			if got := fake.Received(tok); got != want {
				t.Fatalf("device %d (%s) got %d pushes, want %d", i, tok, got, want)
			}
		}
		if fake.Total() != 1200-5 {
			t.Fatalf("FCM delivered %d messages, want %d", fake.Total(), 1200-5)
		}
		if d := time.Since(started); d < time.Second {
			t.Fatalf("the throttled push went through after %s, before its Retry-After", d)
		}
		spy.mu.Lock()
		for _, n := range spy.sizes {
			if n > notifications.MaxBatch {
				t.Fatalf("a SendEach batch held %d messages", n)
			}
		}
		spy.mu.Unlock()
		for _, tok := range dead {
			if d := db.Device.Query().Where(device.Token(tok)).OnlyX(ctx); d.DisabledAt == nil || d.DisabledReason != "UNREGISTERED" {
				t.Fatalf("dead token %s not disabled: %+v", tok, d)
			}
		}
		status := func(tok string) notification.PushStatus {
			return db.Notification.Query().Where(notification.SubjectID(shiftID), notification.UserID(userOfToken(t, db, tok))).
				OnlyX(ctx).PushStatus
		}
		// The quiet user's push is deferred to the end of her quiet hours,
		// an hour from now, not dropped.
		var at time.Time
		if err := db.SQL.QueryRowContext(ctx, "SELECT scheduled_at FROM river_job WHERE kind = 'push' AND state = 'scheduled'").Scan(&at); err != nil {
			t.Fatalf("no push waits for the end of the quiet hours: %v", err)
		}
		if end := env.Clock.Now().Truncate(time.Minute).Add(time.Hour); at.Sub(end).Abs() > time.Minute {
			t.Fatalf("the deferred push is scheduled for %s, want the end of the quiet hours, %s", at, end)
		}
		for tok, want := range map[string]notification.PushStatus{
			tokens[0]: notification.PushStatusSENT, throttled: notification.PushStatusSENT,
			sleepy: notification.PushStatusPENDING, choosy: notification.PushStatusSKIPPED_OPT_OUT,
			dead[0]: notification.PushStatusSKIPPED_NO_DEVICE,
		} {
			if got := status(tok); got != want {
				t.Errorf("%s: notification %s, want %s", tok, got, want)
			}
		}
	})
}

func TestDailyCapOnNewShiftPushes(t *testing.T) {
	db := entdbtest.Open(t, "sqlite3")
	fake := fcmfake.Start()
	defer fake.Close()
	env := servertest.Start(t, db, servertest.WithJobs(), servertest.WithDeps(func(d *server.Deps) { d.Sender = fcmSender(t, fake) }))
	picking := skillID(t, db, "order-picking")
	tok := crowd(t, db, 1, picking)[0]
	db.User.UpdateOneID(userOfToken(t, db, tok)).SetDailyShiftPushCap(1).ExecX(rule.System(context.Background()))
	olga := env.SignUp("olga@example.com", "Olga")
	emp := createEmployer(t, env, olga, "Spree Logistics")
	first := postShift(t, env, olga, emp, map[string]any{"title": "Morning", "requiredSkillIDs": []string{picking}})
	settled(t, db, first, 30*time.Second)
	second := postShift(t, env, olga, emp, map[string]any{"title": "Evening", "requiredSkillIDs": []string{picking}})
	settled(t, db, second, 30*time.Second)
	if got := fake.Titles(tok); len(got) != 1 || got[0] != "New shift near you: Morning" {
		t.Fatalf("pushes: %v; want only the first new shift", got)
	}
	// The capped one is still in the inbox.
	n := db.Notification.Query().Where(notification.SubjectID(second)).OnlyX(rule.System(context.Background()))
	if n.PushStatus != notification.PushStatusSKIPPED_DAILY_CAP || n.Title != "New shift near you: Evening" {
		t.Fatalf("second notification: %s %q", n.PushStatus, n.Title)
	}
}

// TestKilledFanOutLosesNothing stops the job workers in the middle of a
// fan-out and starts them again: every device gets its push, and none gets
// more than one duplicate (only batches in flight may repeat).
func TestKilledFanOutLosesNothing(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		fake := fcmfake.Start()
		defer fake.Close()
		fake.Delay(20 * time.Millisecond) // a slow FCM, so the kill lands mid-way
		env := servertest.Start(t, db, servertest.WithJobs(), servertest.WithDeps(func(d *server.Deps) { d.Sender = fcmSender(t, fake) }))
		picking := skillID(t, db, "order-picking")
		tokens := crowd(t, db, 3000, picking)
		olga := env.SignUp("olga@example.com", "Olga")
		emp := createEmployer(t, env, olga, "Spree Logistics")
		shiftID := postShift(t, env, olga, emp, map[string]any{"requiredSkillIDs": []string{picking}})

		for deadline := time.Now().Add(60 * time.Second); fake.Total() < 700; time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("only %d pushes after 60s", fake.Total())
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := env.Server.Notifications.Kill(ctx); err != nil {
			t.Fatal(err)
		}
		atKill := fake.Total()
		if atKill >= 3000 {
			t.Fatalf("the fan-out finished (%d pushes) before the kill", atKill)
		}
		if err := env.Server.Notifications.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		settled(t, db, shiftID, 90*time.Second)
		dup := 0
		for _, tok := range tokens {
			switch n := fake.Received(tok); {
			case n == 0:
				t.Fatalf("device %s never got its push", tok)
			case n > 2:
				t.Fatalf("device %s got %d pushes", tok, n)
			case n == 2:
				dup++
			}
		}
		t.Logf("killed after %d of 3000 pushes; %d devices got the in-flight batch twice", atKill, dup)
	})
}

// TestFavouritesHearFirstAndAReopenedSlotIsAnnouncedAgain: with a head
// start, the employer's favourite is pushed a new shift and the others
// only after it; when a hire is cancelled, the shift is announced again to
// both ("A slot opened again").
func TestFavouritesHearFirstAndAReopenedSlotIsAnnouncedAgain(t *testing.T) {
	db := entdbtest.Open(t, "sqlite3")
	fake := fcmfake.Start()
	defer fake.Close()
	const headStart = 3 * time.Second
	env := servertest.Start(t, db, servertest.WithJobs(), servertest.WithEnv(map[string]string{"FLEXWORK_PUSH_HEAD_START": headStart.String()}),
		servertest.WithDeps(func(d *server.Deps) { d.Sender = fcmSender(t, fake) }))
	picking := skillID(t, db, "order-picking")
	members, err := demo.Crowd(context.Background(), db.Client, 2, market.GeoPoint{Lat: 52.521, Lng: 13.405}, picking, true)
	if err != nil {
		t.Fatal(err)
	}
	fav, other := members[0], members[1]
	olga := env.SignUp("olga@example.com", "Olga")
	emp := createEmployer(t, env, olga, "Spree Logistics")
	env.MustOp(olga.Token, "SetRosterEntry", input(map[string]any{"employerID": emp, "workerID": fav.WorkerID, "kind": "FAVOURITE"}), &struct{}{})
	hana := newWorker(t, env, "hana@example.com", "Hana", picking)
	// Jobs are scheduled by the server's clock and run by the wall clock:
	// set the one to the other before timing a head start.
	env.Clock.Advance(time.Until(env.Clock.Now()) * -1)
	posted := time.Now()
	shiftID := postShift(t, env, olga, emp, map[string]any{"title": "Night picker", "requiredSkillIDs": []string{picking}, "slots": 1,
		"startsAt": env.Clock.Now().Add(48 * time.Hour).Format(time.RFC3339), "endsAt": env.Clock.Now().Add(56 * time.Hour).Format(time.RFC3339)})

	received := func(tok string, n int) time.Time {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for fake.Received(tok) < n {
			if time.Now().After(deadline) {
				t.Fatalf("%s received %d pushes, want %d", tok, fake.Received(tok), n)
			}
			time.Sleep(20 * time.Millisecond)
		}
		return time.Now()
	}
	favAt := received(fav.Token, 1)
	// Within the head start the others have heard nothing (a loaded
	// machine may deliver the favourite's push after it has run out).
	if heardOther := fake.Received(other.Token) != 0; heardOther && time.Since(posted) < headStart*3/4 {
		t.Fatal("a worker off the roster heard of the shift as soon as the favourite")
	}
	// The others' pushes are scheduled a head start after the shift was
	// posted; timed from the post, not from the favourite's push, which a
	// loaded machine may deliver late.
	if otherAt := received(other.Token, 1); otherAt.Sub(posted) < headStart*3/4 || otherAt.Before(favAt) {
		t.Fatalf("the others heard %s after the post (the favourite %s), want about %s", otherAt.Sub(posted), favAt.Sub(posted), headStart)
	}

	c := newChain(t, env, olga, hana, apply(env, hana, shiftID))
	c.hire()
	env.MustOp(hana.Token, "CancelAssignment", input(map[string]any{"assignmentID": c.assignment, "reason": "my train was cancelled"}), &struct{}{})
	// The favourite is also offered the slot (the backfill's roster step).
	// The offer's push and the reopened slot's fan-out are separate jobs
	// with no order promised between them (a loaded machine has sent the
	// fan-out's first): what follows the first announcement is compared as
	// a set.
	for tok, want := range map[string][]string{
		fav.Token:   {"New shift near you: Night picker", "A slot opened again: Night picker", "New offer: Night picker"},
		other.Token: {"New shift near you: Night picker", "A slot opened again: Night picker"},
	} {
		received(tok, len(want))
		got := fake.Titles(tok)
		if len(got) > 0 {
			slices.Sort(got[1:])
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%s was told %q, want %q (after the first, in any order)", tok, fake.Titles(tok), want)
		}
	}
}
