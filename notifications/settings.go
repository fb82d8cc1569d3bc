package notifications

import (
	"context"
	"fmt"
	"time"

	"entgo.io/contrib/entgql"

	"flexwork/ent"
	"flexwork/ent/device"
	"flexwork/ent/entdb"
	"flexwork/ent/notification"
	"flexwork/ent/rule"
	"flexwork/ent/schema/enum"
	"flexwork/ent/viewer"
	"flexwork/market"
)

// RegisterDeviceInput registers a phone or tablet for push.
type RegisterDeviceInput struct {
	Token      string          `json:"token" validate:"required,max=4096"`
	Platform   device.Platform `json:"platform" validate:"required"`
	AppVersion *string         `json:"appVersion" validate:"omitempty,max=32"`
}

func signedIn(ctx context.Context) (*viewer.Viewer, error) {
	if v := viewer.FromContext(ctx); v != nil {
		return v, nil
	}
	return nil, errSignIn
}

// RegisterDevice makes a token the viewer's. A token belongs to whoever
// registered it last: a phone handed to someone else pushes to them.
func (s *Service) RegisterDevice(ctx context.Context, in RegisterDeviceInput) (*Changed, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if err := market.Validate(in); err != nil {
		return nil, err
	}
	if device.PlatformValidator(in.Platform) != nil {
		return nil, market.BadInput("platform", "is not an allowed value")
	}
	var out *ent.Device
	err = entdb.InTx(ctx, s.db.Client, func(ctx context.Context, c *ent.Client) error {
		version := ""
		if in.AppVersion != nil {
			version = *in.AppVersion
		}
		// The token may be someone else's row: the move is the system's.
		id, err := c.Device.Create().SetUserID(v.UserID).SetToken(in.Token).SetPlatform(in.Platform).
			SetAppVersion(version).SetLastSeenAt(s.now().UTC()).
			OnConflictColumns(device.FieldToken).
			Update(func(u *ent.DeviceUpsert) {
				u.SetUserID(v.UserID).SetPlatform(in.Platform).SetAppVersion(version).UpdateLastSeenAt().
					ClearDisabledAt().SetDisabledReason("")
			}).ID(rule.System(ctx))
		if err != nil {
			return err
		}
		out, err = c.Device.Get(ctx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &Changed{Device: out}, nil
}

// UnregisterDevice stops pushes to one of the viewer's devices (signing out
// on that phone).
func (s *Service) UnregisterDevice(ctx context.Context, token string) (*Changed, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	n, err := entdb.Client(ctx, s.db.Client).Device.Delete().
		Where(device.Token(token), device.UserID(v.UserID)).Exec(ctx)
	if err != nil {
		return nil, err
	}
	return &Changed{Unregistered: n > 0}, nil
}

// NotificationSettings are a user's push preferences as the apps see them.
type NotificationSettings struct {
	TimeZone          string                      `json:"timeZone"`
	QuietHours        *QuietHours                 `json:"quietHours"`
	OptOuts           []enum.NotificationCategory `json:"optOuts"`
	DailyShiftPushCap int                         `json:"dailyShiftPushCap"`
}

// QuietHours is a daily window without pushes, "HH:MM" in the user's zone.
type QuietHours struct {
	Start string `json:"start" validate:"required,datetime=15:04"`
	End   string `json:"end" validate:"required,datetime=15:04"`
}

// NotificationSettingsInput changes push preferences; omitted fields stay.
type NotificationSettingsInput struct {
	TimeZone          *string                     `json:"timeZone" validate:"omitempty,timezone"`
	QuietHours        *QuietHours                 `json:"quietHours"`
	ClearQuietHours   *bool                       `json:"clearQuietHours"`
	OptOuts           []enum.NotificationCategory `json:"optOuts" validate:"omitempty,unique,dive,enum"`
	DailyShiftPushCap *int                        `json:"dailyShiftPushCap" validate:"omitempty,gte=0,lte=100"`
}

// Settings returns a user's settings, to them only.
func (s *Service) Settings(ctx context.Context, u *ent.User) *NotificationSettings {
	if v := viewer.FromContext(ctx); v == nil || v.UserID != u.ID {
		return nil
	}
	out := &NotificationSettings{TimeZone: u.TimeZone, OptOuts: u.PushOptOuts, DailyShiftPushCap: u.DailyShiftPushCap}
	if out.OptOuts == nil {
		out.OptOuts = []enum.NotificationCategory{}
	}
	if u.QuietHoursStart != nil && u.QuietHoursEnd != nil {
		out.QuietHours = &QuietHours{Start: clock(*u.QuietHoursStart), End: clock(*u.QuietHoursEnd)}
	}
	return out
}

// UpdateSettings changes the viewer's push preferences.
func (s *Service) UpdateSettings(ctx context.Context, in NotificationSettingsInput) (*Changed, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if err := market.Validate(in); err != nil {
		return nil, err
	}
	up := entdb.Client(ctx, s.db.Client).User.UpdateOneID(v.UserID)
	if in.TimeZone != nil {
		up.SetTimeZone(*in.TimeZone)
	}
	if in.QuietHours != nil {
		up.SetQuietHoursStart(minutesOf(in.QuietHours.Start)).SetQuietHoursEnd(minutesOf(in.QuietHours.End))
	}
	if in.ClearQuietHours != nil && *in.ClearQuietHours {
		up.ClearQuietHoursStart().ClearQuietHoursEnd()
	}
	if in.OptOuts != nil {
		up.SetPushOptOuts(in.OptOuts)
	}
	if in.DailyShiftPushCap != nil {
		up.SetDailyShiftPushCap(*in.DailyShiftPushCap)
	}
	u, err := up.Save(ctx)
	if err != nil {
		return nil, err
	}
	return &Changed{Settings: s.Settings(ctx, u)}, nil
}

func minutesOf(hhmm string) int {
	t, _ := time.Parse("15:04", hhmm)
	return t.Hour()*60 + t.Minute()
}

func clock(minutes int) string { return fmt.Sprintf("%02d:%02d", minutes/60, minutes%60) }

// Changed is what a notification mutation changed, for its payload.
type Changed struct {
	Device        *ent.Device
	Unregistered  bool
	MarkedCount   int
	UnreadCount   int
	Notifications []*ent.Notification
	Settings      *NotificationSettings
}

// Inbox pages through the viewer's notifications, newest first.
// An inbox is its owner's alone: it filters on the viewer explicitly, since
// privacy lets staff read every notification.
func (s *Service) Inbox(ctx context.Context, after *entgql.Cursor[string], first *int, unreadOnly *bool) (*ent.NotificationConnection, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	q := entdb.Client(ctx, s.db.Client).Notification.Query().Where(notification.UserID(v.UserID))
	if unreadOnly != nil && *unreadOnly {
		q.Where(notification.ReadAtIsNil())
	}
	return q.Paginate(ctx, after, first, nil, nil, ent.WithNotificationOrder(&ent.NotificationOrder{
		Direction: entgql.OrderDirectionDesc, Field: ent.NotificationOrderFieldCreatedAt}))
}

// UnreadCount is how many of the viewer's notifications are unread.
func (s *Service) UnreadCount(ctx context.Context) (int, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return 0, err
	}
	return entdb.Client(ctx, s.db.Client).Notification.Query().Where(notification.UserID(v.UserID), notification.ReadAtIsNil()).Count(ctx)
}

// MarkRead marks the given notifications, or all, of the viewer's read.
func (s *Service) MarkRead(ctx context.Context, ids []string, all *bool) (*Changed, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	everything := all != nil && *all
	if len(ids) == 0 && !everything {
		return nil, market.BadInput("ids", "give the notifications to mark, or all: true")
	}
	if len(ids) > 500 {
		return nil, market.BadInput("ids", "mark at most 500 at a time, or all: true")
	}
	c := entdb.Client(ctx, s.db.Client)
	up := c.Notification.Update().Where(notification.UserID(v.UserID), notification.ReadAtIsNil())
	if !everything {
		up.Where(notification.IDIn(ids...))
	}
	out := &Changed{Notifications: []*ent.Notification{}}
	if out.MarkedCount, err = up.SetReadAt(s.now().UTC()).Save(ctx); err != nil {
		return nil, err
	}
	if out.UnreadCount, err = c.Notification.Query().Where(notification.UserID(v.UserID), notification.ReadAtIsNil()).Count(ctx); err != nil {
		return nil, err
	}
	if len(ids) > 0 {
		out.Notifications, err = c.Notification.Query().Where(notification.UserID(v.UserID), notification.IDIn(ids...)).All(ctx)
	}
	return out, err
}
