package server_test

import (
	"context"
	"testing"

	"flexwork/ent/device"
	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/rule"
	"flexwork/server/servertest"
)

func TestDevicesSettingsAndInbox(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env := servertest.Start(t, db)
		picking := skillID(t, db, "order-picking")
		ana, ben := newWorker(t, env, "ana@example.com", "Ana", picking), env.SignUp("ben@example.com", "Ben")
		const register = `mutation($t: String!) { registerDevice(input: {token: $t, platform: ANDROID, appVersion: "2.4.1"}) { device { id platform appVersion } } }`
		var reg struct {
			RegisterDevice struct {
				Device struct{ ID, Platform, AppVersion string }
			}
		}
		env.Must(ana.Token, register, map[string]any{"t": "fcm-token-of-the-shared-phone"}, &reg)
		if d := reg.RegisterDevice.Device; d.Platform != "ANDROID" || d.AppVersion != "2.4.1" {
			t.Fatalf("device = %+v", reg)
		}
		// The phone changes hands: the token moves to whoever registered it last.
		env.Must(ben.Token, register, map[string]any{"t": "fcm-token-of-the-shared-phone"}, &reg)
		ctx := rule.System(context.Background())
		d := db.Device.Query().Where(device.Token("fcm-token-of-the-shared-phone")).OnlyX(ctx)
		if d.UserID != ben.ID || db.Device.Query().CountX(ctx) != 1 {
			t.Fatalf("token belongs to %s (%d devices); want Ben's only", d.UserID, db.Device.Query().CountX(ctx))
		}
		var gone struct {
			UnregisterDevice struct{ Unregistered bool }
		}
		unregister := input(map[string]any{"token": "fcm-token-of-the-shared-phone"})
		env.MustOp(ana.Token, "UnregisterDevice", unregister, &gone)
		if gone.UnregisterDevice.Unregistered {
			t.Fatal("Ana unregistered Ben's device")
		}
		env.MustOp(ben.Token, "UnregisterDevice", unregister, &gone)
		if !gone.UnregisterDevice.Unregistered {
			t.Fatal("Ben could not unregister his device")
		}

		// Settings are validated and private.
		r := env.Do(ana.Token, `mutation { updateNotificationSettings(input: {timeZone: "Mars/Olympus", quietHours: {start: "25:00", end: "07:00"}, dailyShiftPushCap: -1}) { settings { timeZone } } }`, nil)
		wantFields(t, r, "timeZone", "quietHours.start", "dailyShiftPushCap")
		var set struct {
			UpdateNotificationSettings struct {
				Settings struct {
					TimeZone          string
					QuietHours        struct{ Start, End string }
					OptOuts           []string
					DailyShiftPushCap int
				}
			}
		}
		env.MustOp(ana.Token, "UpdateNotificationSettings", input(map[string]any{"timeZone": "Europe/Berlin",
			"quietHours": map[string]any{"start": "22:00", "end": "07:00"}, "optOuts": []string{"REVIEW"}, "dailyShiftPushCap": 3}), &set)
		s := set.UpdateNotificationSettings.Settings
		if s.TimeZone != "Europe/Berlin" || s.QuietHours.Start != "22:00" || s.QuietHours.End != "07:00" || s.OptOuts[0] != "REVIEW" || s.DailyShiftPushCap != 3 {
			t.Fatalf("settings = %+v", s)
		}
		var other struct {
			Node struct{ NotificationSettings *struct{ TimeZone string } }
		}
		env.Must(ben.Token, `query($id: ID!) { node(id: $id) { ... on User { notificationSettings { timeZone } } } }`, map[string]any{"id": ana.ID}, &other)
		if other.Node.NotificationSettings != nil {
			t.Fatal("Ben sees Ana's notification settings")
		}

		// The inbox fills as the marketplace moves.
		olga := env.SignUp("olga@example.com", "Olga")
		emp := createEmployer(t, env, olga, "Spree Logistics")
		shiftID := postShift(t, env, olga, emp, map[string]any{"requiredSkillIDs": []string{picking}})
		app := apply(env, ana, shiftID)
		offer(env, olga, app)
		const inboxQ = `{ unreadNotificationCount notifications(first: 10) { edges { node { id title category readAt pushStatus } } } }`
		var inbox struct {
			UnreadNotificationCount int
			Notifications           struct {
				Edges []struct {
					Node struct {
						ID, Title, Category, PushStatus string
						ReadAt                          *string
					}
				}
			}
		}
		env.Must(ana.Token, inboxQ, nil, &inbox)
		if inbox.UnreadNotificationCount != 1 || len(inbox.Notifications.Edges) != 1 ||
			inbox.Notifications.Edges[0].Node.Title != "New offer: Warehouse picker" ||
			inbox.Notifications.Edges[0].Node.PushStatus != "SKIPPED_NO_DEVICE" {
			t.Fatalf("Ana's inbox = %+v", inbox)
		}
		var olgaInbox struct{ UnreadNotificationCount int }
		env.Must(olga.Token, `{ unreadNotificationCount }`, nil, &olgaInbox)
		if olgaInbox.UnreadNotificationCount != 1 { // the new applicant
			t.Fatalf("Olga has %d unread, want the applicant", olgaInbox.UnreadNotificationCount)
		}
		var marked struct {
			MarkNotificationsRead struct{ MarkedCount, UnreadCount int }
		}
		env.MustOp(ben.Token, "MarkNotificationsRead", input(map[string]any{"ids": []string{inbox.Notifications.Edges[0].Node.ID}}), &marked)
		if marked.MarkNotificationsRead.MarkedCount != 0 {
			t.Fatal("Ben marked Ana's notification read")
		}
		env.MustOp(ana.Token, "MarkNotificationsRead", input(map[string]any{"all": true}), &marked)
		env.Must(ana.Token, inboxQ, nil, &inbox)
		if marked.MarkNotificationsRead.MarkedCount != 1 || marked.MarkNotificationsRead.UnreadCount != 0 ||
			inbox.UnreadNotificationCount != 0 || inbox.Notifications.Edges[0].Node.ReadAt == nil {
			t.Fatalf("after marking all read: %+v", inbox)
		}
	})
}

// TestAnInboxIsItsOwnersAlone: staff may read any notification by its ID,
// but their inbox, its unread count and "mark all read" are their own.
func TestAnInboxIsItsOwnersAlone(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env := servertest.Start(t, db)
		picking := skillID(t, db, "order-picking")
		olga := env.SignUp("olga@example.com", "Olga")
		emp := createEmployer(t, env, olga, "Spree Logistics")
		ana := newWorker(t, env, "ana@example.com", "Ana", picking)
		staff := makeStaff(t, env, db, "sam@example.com")
		shift := postShift(t, env, olga, emp, nil)
		app := apply(env, ana, shift)
		offer(env, olga, app)

		const inboxQ = `{ unreadNotificationCount notifications(first: 50) { totalCount } }`
		var inbox struct {
			UnreadNotificationCount int
			Notifications           struct{ TotalCount int }
		}
		env.Must(staff.Token, inboxQ, nil, &inbox)
		if inbox.UnreadNotificationCount != 0 || inbox.Notifications.TotalCount != 0 {
			t.Fatalf("staff's inbox shows others' notifications: %+v", inbox)
		}
		var marked struct {
			MarkNotificationsRead struct{ MarkedCount int }
		}
		env.MustOp(staff.Token, "MarkNotificationsRead", input(map[string]any{"all": true}), &marked)
		if marked.MarkNotificationsRead.MarkedCount != 0 {
			t.Fatalf("staff marked %d notifications of others read", marked.MarkNotificationsRead.MarkedCount)
		}
		env.Must(ana.Token, inboxQ, nil, &inbox)
		if inbox.UnreadNotificationCount == 0 || inbox.Notifications.TotalCount == 0 {
			t.Fatalf("Ana's inbox after staff marked all read: %+v", inbox)
		}
	})
}
