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
		const register = `mutation($t: String!) { registerDevice(input: {token: $t, platform: ANDROID, appVersion: "2.4.1"}) { id platform appVersion } }`
		var reg struct {
			RegisterDevice struct{ ID, Platform, AppVersion string }
		}
		env.Must(ana.Token, register, map[string]any{"t": "fcm-token-of-the-shared-phone"}, &reg)
		if reg.RegisterDevice.Platform != "ANDROID" || reg.RegisterDevice.AppVersion != "2.4.1" {
			t.Fatalf("device = %+v", reg)
		}
		// The phone changes hands: the token moves to whoever registered it last.
		env.Must(ben.Token, register, map[string]any{"t": "fcm-token-of-the-shared-phone"}, &reg)
		ctx := rule.System(context.Background())
		d := db.Device.Query().Where(device.Token("fcm-token-of-the-shared-phone")).OnlyX(ctx)
		if d.UserID != ben.ID || db.Device.Query().CountX(ctx) != 1 {
			t.Fatalf("token belongs to %s (%d devices); want Ben's only", d.UserID, db.Device.Query().CountX(ctx))
		}
		var gone struct{ UnregisterDevice bool }
		env.Must(ana.Token, `mutation { unregisterDevice(token: "fcm-token-of-the-shared-phone") }`, nil, &gone)
		if gone.UnregisterDevice {
			t.Fatal("Ana unregistered Ben's device")
		}
		env.Must(ben.Token, `mutation { unregisterDevice(token: "fcm-token-of-the-shared-phone") }`, nil, &gone)
		if !gone.UnregisterDevice {
			t.Fatal("Ben could not unregister his device")
		}

		// Settings are validated and private.
		r := env.Do(ana.Token, `mutation { updateNotificationSettings(input: {timeZone: "Mars/Olympus", quietHours: {start: "25:00", end: "07:00"}, dailyShiftPushCap: -1}) { timeZone } }`, nil)
		wantFields(t, r, "timeZone", "quietHours.start", "dailyShiftPushCap")
		var set struct {
			UpdateNotificationSettings struct {
				TimeZone          string
				QuietHours        struct{ Start, End string }
				OptOuts           []string
				DailyShiftPushCap int
			}
		}
		env.Must(ana.Token, `mutation { updateNotificationSettings(input: {timeZone: "Europe/Berlin", quietHours: {start: "22:00", end: "07:00"},
			optOuts: [REVIEW], dailyShiftPushCap: 3}) { timeZone quietHours { start end } optOuts dailyShiftPushCap } }`, nil, &set)
		s := set.UpdateNotificationSettings
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
		var app struct{ ApplyToShift struct{ ID string } }
		env.Must(ana.Token, `mutation($id: ID!) { applyToShift(input: {shiftID: $id}) { id } }`, map[string]any{"id": shiftID}, &app)
		env.Must(olga.Token, `mutation($a: ID!) { sendOffer(input: {applicationID: $a}) { id } }`, map[string]any{"a": app.ApplyToShift.ID}, &struct{}{})
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
		var marked struct{ MarkNotificationsRead int }
		env.Must(ben.Token, `mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }`,
			map[string]any{"ids": []string{inbox.Notifications.Edges[0].Node.ID}}, &marked)
		if marked.MarkNotificationsRead != 0 {
			t.Fatal("Ben marked Ana's notification read")
		}
		env.Must(ana.Token, `mutation { markNotificationsRead(all: true) }`, nil, &marked)
		env.Must(ana.Token, inboxQ, nil, &inbox)
		if marked.MarkNotificationsRead != 1 || inbox.UnreadNotificationCount != 0 || inbox.Notifications.Edges[0].Node.ReadAt == nil {
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
		var app struct{ ApplyToShift struct{ ID string } }
		env.Must(ana.Token, `mutation($id: ID!) { applyToShift(input: {shiftID: $id}) { id } }`, map[string]any{"id": shift}, &app)
		env.Must(olga.Token, `mutation($a: ID!) { sendOffer(input: {applicationID: $a}) { id } }`, map[string]any{"a": app.ApplyToShift.ID}, &struct{}{})

		const inboxQ = `{ unreadNotificationCount notifications(first: 50) { totalCount } }`
		var inbox struct {
			UnreadNotificationCount int
			Notifications           struct{ TotalCount int }
		}
		env.Must(staff.Token, inboxQ, nil, &inbox)
		if inbox.UnreadNotificationCount != 0 || inbox.Notifications.TotalCount != 0 {
			t.Fatalf("staff's inbox shows others' notifications: %+v", inbox)
		}
		var marked struct{ MarkNotificationsRead int }
		env.Must(staff.Token, `mutation { markNotificationsRead(all: true) }`, nil, &marked)
		if marked.MarkNotificationsRead != 0 {
			t.Fatalf("staff marked %d notifications of others read", marked.MarkNotificationsRead)
		}
		env.Must(ana.Token, inboxQ, nil, &inbox)
		if inbox.UnreadNotificationCount == 0 || inbox.Notifications.TotalCount == 0 {
			t.Fatalf("Ana's inbox after staff marked all read: %+v", inbox)
		}
	})
}
