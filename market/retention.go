package market

import (
	"context"
	"time"

	"flexwork/ent/assignment"
	"flexwork/ent/device"
	"flexwork/ent/realname"
	"flexwork/ent/rule"
)

// How long sensitive values are kept once their purpose is served
// (grading.go grades them). The sweep enforces it.
const (
	// Check-in and check-out coordinates are the evidence of where the
	// work was done: kept for a dispute or an injury claim, then cleared;
	// the times stay.
	LocationRetention = 180 * 24 * time.Hour
	// A rejected real name — a mistaken or false claim — is deleted.
	RejectedRealNameRetention = 30 * 24 * time.Hour
	// A device token FCM refused, or the user signed out of, is deleted.
	DisabledDeviceRetention = 90 * 24 * time.Hour
)

// EnforceRetention clears or deletes the sensitive values kept past their
// retention, and says how many rows it touched.
func (m *Market) EnforceRetention(ctx context.Context) (int, error) {
	sys, now := rule.System(ctx), m.Now()
	located, err := m.db.Assignment.Update().Where(assignment.EndsAtLT(now.Add(-LocationRetention)),
		assignment.Or(assignment.CheckInLatNotNil(), assignment.CheckOutLatNotNil())).
		ClearCheckInLat().ClearCheckInLng().ClearCheckOutLat().ClearCheckOutLng().Save(sys)
	if err != nil {
		return 0, err
	}
	rejected, err := m.db.RealName.Delete().Where(realname.StatusEQ(realname.StatusREJECTED),
		realname.UpdatedAtLT(now.Add(-RejectedRealNameRetention))).Exec(sys)
	if err != nil {
		return 0, err
	}
	devices, err := m.db.Device.Delete().Where(device.DisabledAtNotNil(), device.DisabledAtLT(now.Add(-DisabledDeviceRetention))).Exec(sys)
	return located + rejected + devices, err
}
