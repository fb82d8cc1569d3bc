package notifications

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"flexwork/ent"
	"flexwork/ent/device"
	"flexwork/ent/notification"
	"flexwork/ent/rule"
	"flexwork/ent/schema/enum"
	"flexwork/ent/schema/pulid"
	"flexwork/ent/user"
)

// notice is a notification to write.
type notice struct {
	UserID    string
	Category  enum.NotificationCategory
	Title     string
	Body      string
	SubjectID string
	// Dedupe makes writing the same notice twice (a retried job) a no-op.
	Dedupe string
}

// chunk is how many users one round of queries covers.
const chunk = 1000

// notify writes notices to inboxes, decides for each whether to push it,
// and enqueues push jobs — at most MaxBatch notifications each, in the order
// given — all in the caller's transaction. It returns how many notices were
// new.
func (s *Service) notify(ctx context.Context, c *ent.Client, notices []notice) (int, error) {
	ctx = rule.System(ctx)
	now := s.now().UTC()
	written := 0
	pending := map[time.Time][]string{} // by when to push: now (zero), or when quiet hours end
	for start := 0; start < len(notices); start += chunk {
		part := notices[start:min(start+chunk, len(notices))]
		decided, notBefore, err := s.decide(ctx, c, part, now)
		if err != nil {
			return written, err
		}
		at := map[string]time.Time{}
		creates := make([]*ent.NotificationCreate, len(part))
		ids := make([]string, len(part))
		for i, n := range part {
			ids[i] = pulid.New("ntf")
			creates[i] = c.Notification.Create().SetID(ids[i]).SetUserID(n.UserID).SetCategory(n.Category).
				SetTitle(truncate(n.Title, 200)).SetBody(truncate(n.Body, 1000)).SetSubjectID(n.SubjectID).
				SetPushStatus(decided[i]).SetCreatedAt(now)
			if n.Dedupe != "" {
				creates[i].SetDedupeKey(n.Dedupe)
			}
			at[ids[i]] = notBefore[i]
		}
		if err := c.Notification.CreateBulk(creates...).OnConflictColumns(notification.FieldDedupeKey).DoNothing().Exec(ctx); err != nil {
			return written, err
		}
		// A conflict kept the earlier row; only the rows written now count.
		fresh, err := c.Notification.Query().Where(notification.IDIn(ids...)).Select(notification.FieldID, notification.FieldPushStatus).All(ctx)
		if err != nil {
			return written, err
		}
		status := make(map[string]notification.PushStatus, len(fresh))
		for _, n := range fresh {
			status[n.ID] = n.PushStatus
		}
		for _, id := range ids {
			if st, ok := status[id]; ok {
				written++
				if st == notification.PushStatusPENDING {
					pending[at[id]] = append(pending[at[id]], id)
				}
			}
		}
	}
	for when, ids := range pending {
		var opts *river.InsertOpts
		if !when.IsZero() {
			opts = &river.InsertOpts{ScheduledAt: when}
		}
		for start := 0; start < len(ids); start += MaxBatch {
			if err := s.enqueue(ctx, PushArgs{IDs: ids[start:min(start+MaxBatch, len(ids))]}, opts); err != nil {
				return written, err
			}
		}
	}
	return written, nil
}

// decide makes the push decision for each notice of one chunk: three
// queries whatever its size.
func (s *Service) decide(ctx context.Context, c *ent.Client, part []notice, now time.Time) ([]notification.PushStatus, []time.Time, error) {
	ids := make([]string, 0, len(part))
	for _, n := range part {
		ids = append(ids, n.UserID)
	}
	users, err := c.User.Query().Where(user.IDIn(ids...)).All(ctx)
	if err != nil {
		return nil, nil, err
	}
	prefs := make(map[string]Prefs, len(users))
	for _, u := range users {
		prefs[u.ID] = Prefs{TimeZone: u.TimeZone, QuietStart: u.QuietHoursStart, QuietEnd: u.QuietHoursEnd,
			OptOuts: u.PushOptOuts, DailyShiftCap: u.DailyShiftPushCap}
	}
	owners, err := c.Device.Query().Where(device.UserIDIn(ids...), device.DisabledAtIsNil()).
		Select(device.FieldUserID).Strings(ctx)
	if err != nil {
		return nil, nil, err
	}
	hasDevice := make(map[string]bool, len(owners))
	for _, id := range owners {
		hasDevice[id] = true
	}
	// New-shift pushes in the last day; each user's own midnight cuts them.
	recent, err := c.Notification.Query().Where(notification.UserIDIn(ids...),
		notification.CategoryEQ(enum.CategoryShiftPublished),
		notification.PushStatusIn(notification.PushStatusPENDING, notification.PushStatusSENT),
		notification.CreatedAtGT(now.Add(-24*time.Hour))).
		Select(notification.FieldUserID, notification.FieldCreatedAt).All(ctx)
	if err != nil {
		return nil, nil, err
	}
	today := map[string]int{}
	for _, n := range recent {
		if !n.CreatedAt.Before(LocalMidnight(prefs[n.UserID].TimeZone, now)) {
			today[n.UserID]++
		}
	}
	out, notBefore := make([]notification.PushStatus, len(part)), make([]time.Time, len(part))
	for i, n := range part {
		out[i], notBefore[i] = PushDecision(prefs[n.UserID], n.Category, hasDevice[n.UserID], today[n.UserID], now)
		if out[i] == notification.PushStatusPENDING && n.Category == enum.CategoryShiftPublished {
			today[n.UserID]++ // two new shifts in one fan-out count twice
		}
	}
	return out, notBefore, nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
