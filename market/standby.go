package market

import "context"

// JoinStandby puts the viewer on a full shift's standby list, screened as
// an application is: when a hire is cancelled, everyone on standby is
// offered the slot at once, and the first to accept takes it (the first
// step of the backfill, market/backfill.go).
func (m *Market) JoinStandby(ctx context.Context, in ApplyInput) (*Changed, error) {
	return m.apply(ctx, in, true)
}
