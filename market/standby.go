package market

import (
	"context"
	"time"

	"flexwork/ent"
	"flexwork/ent/application"
	"flexwork/ent/offer"
	"flexwork/ent/rule"
	"flexwork/ent/shift"
)

// standbyOfferTTL is how long a reopened slot's offer waits for a worker
// on standby: short, so the slot moves on while there is time to fill it.
const standbyOfferTTL = 30 * time.Minute

// JoinStandby puts the viewer on a full shift's standby list, screened as
// an application is: when a hire is cancelled, everyone on standby is
// offered the slot at once, and the first to accept takes it.
func (m *Market) JoinStandby(ctx context.Context, in ApplyInput) (*Changed, error) {
	return m.apply(ctx, in, true)
}

// backfill offers a slot that has just reopened to every worker on the
// shift's standby list who still passes screening, in the caller's
// transaction (the one that reopened it). Acceptance is the usual race:
// the slot goes to the first, the others are told it is taken. The offers
// are the employer's, sent in its name by whoever freed the slot.
func (m *Market) backfill(ctx context.Context, c *ent.Client, s *ent.Shift, by string) error {
	sys, now := rule.System(ctx), m.Now()
	if !s.StartsAt.After(now) {
		return nil
	}
	waiting, err := c.Application.Query().Where(application.ShiftID(s.ID), application.StatusEQ(application.StatusSTANDBY)).
		Order(ent.Asc(application.FieldCreatedAt)).All(sys)
	if err != nil || len(waiting) == 0 {
		return err
	}
	cur, err := c.Shift.Get(sys, s.ID)
	if err != nil || cur.Status != shift.StatusPUBLISHED {
		return err
	}
	expires := now.Add(standbyOfferTTL)
	if s.StartsAt.Before(expires) {
		expires = s.StartsAt // an offer never outlives the shift's start
	}
	for _, a := range waiting {
		e, err := m.screen(sys, c, a.WorkerID, cur)
		if err != nil {
			return err
		}
		if len(e.ForEmployer().Failed()) > 0 {
			continue // no longer eligible: stays on standby, unasked
		}
		if pending, err := c.Offer.Query().Where(offer.ShiftID(s.ID), offer.WorkerID(a.WorkerID),
			offer.StatusEQ(offer.StatusPENDING)).Exist(sys); err != nil || pending {
			if err != nil {
				return err
			}
			continue
		}
		if err := c.Application.UpdateOneID(a.ID).SetStatus(application.StatusOFFERED).Exec(sys); err != nil {
			return err
		}
		o, err := c.Offer.Create().SetShiftID(s.ID).SetWorkerID(a.WorkerID).SetEmployerID(s.EmployerID).
			SetApplicationID(a.ID).SetSentByID(by).SetExpiresAt(expires).Save(sys)
		if err != nil {
			return err
		}
		if err := m.emit(ctx, c, Event{Kind: OfferCreated, ID: o.ID, ShiftID: s.ID, WorkerID: a.WorkerID,
			EmployerID: s.EmployerID, Title: s.Title, When: expires}); err != nil {
			return err
		}
	}
	return nil
}
