package market

import (
	"context"
	"time"

	"flexwork/ent"
	"flexwork/ent/application"
	"flexwork/ent/offer"
	"flexwork/ent/rosterentry"
	"flexwork/ent/rule"
	"flexwork/ent/shift"
)

// The backfill: when a hire on a full shift is cancelled, the slot is
// offered in turn to
//
//	STANDBY  everyone on the shift's standby list, at once;
//	ROSTER   the employer's favourites (and an agency's employed workers);
//	MATCHED  the best-matched eligible workers in reach, backfillBatch at a time,
//
// each step's offers expiring after backfillOfferTTL (never after the
// start). A step that asks nobody gives way to the next at once; a step
// whose offers are all answered or expired gives way at the next sweep.
// It ends FILLED, EXHAUSTED (nobody left to ask), STOPPED by the employer,
// or CLOSED (the shift started or closed first). The employer hears of
// every step that asked somebody, and of exhaustion. Every offer is
// screened as any offer is, and acceptance is the usual race for the slot.
const (
	backfillOfferTTL = 30 * time.Minute
	backfillBatch    = 5
)

// backfillRunning are the steps of a cascade still asking.
var backfillRunning = []shift.Backfill{shift.BackfillSTANDBY, shift.BackfillROSTER, shift.BackfillMATCHED}

// backfillHeard is what the employer hears when a step asked somebody.
var backfillHeard = map[shift.Backfill]EventKind{
	shift.BackfillSTANDBY: BackfillStandby, shift.BackfillROSTER: BackfillRoster, shift.BackfillMATCHED: BackfillMatched,
}

// startBackfill begins the cascade for a slot that has just reopened, in
// the transaction that reopened it: the standby list, and the roster if
// nobody waits on standby. The best-matched step, which screens the city,
// is left to the sweep.
func (m *Market) startBackfill(ctx context.Context, c *ent.Client, s *ent.Shift, by string) error {
	if err := m.emit(ctx, c, Event{Kind: ShiftReopened, ID: s.ID, ShiftID: s.ID, EmployerID: s.EmployerID,
		Title: s.Title, When: s.StartsAt}); err != nil {
		return err
	}
	for _, step := range []shift.Backfill{shift.BackfillSTANDBY, shift.BackfillROSTER} {
		asked, err := m.backfillStep(ctx, c, s, step, by)
		if err != nil || asked > 0 {
			return err
		}
	}
	return nil
}

// backfillStep offers the shift's free slot to the workers of step, marks
// the shift as at that step, and tells the employer when it asked anyone.
// MATCHED with nobody left to ask ends the cascade as EXHAUSTED.
func (m *Market) backfillStep(ctx context.Context, c *ent.Client, s *ent.Shift, step shift.Backfill, by string) (int, error) {
	sys, now := rule.System(ctx), m.Now()
	asked, err := m.askForBackfill(ctx, c, s, step, by)
	if err != nil {
		return 0, err
	}
	to, heard := step, backfillHeard[step]
	if asked == 0 && step == shift.BackfillMATCHED {
		to, heard = shift.BackfillEXHAUSTED, BackfillExhausted
	}
	if err := c.Shift.UpdateOneID(s.ID).SetBackfill(to).SetBackfillAt(now).Exec(sys); err != nil {
		return 0, err
	}
	if asked == 0 && to != shift.BackfillEXHAUSTED {
		return 0, nil
	}
	return asked, m.emit(ctx, c, Event{Kind: heard, ID: s.ID, ShiftID: s.ID, EmployerID: s.EmployerID,
		Title: s.Title, When: s.StartsAt})
}

// askForBackfill sends step's offers and says how many went out.
func (m *Market) askForBackfill(ctx context.Context, c *ent.Client, s *ent.Shift, step shift.Backfill, by string) (int, error) {
	sys, now := rule.System(ctx), m.Now()
	cur, err := c.Shift.Get(sys, s.ID)
	if err != nil || cur.Status != shift.StatusPUBLISHED || !cur.StartsAt.After(now) || cur.Filled >= cur.Slots {
		return 0, err
	}
	apps, err := c.Application.Query().Where(application.ShiftID(s.ID)).Order(ent.Asc(application.FieldCreatedAt)).All(sys)
	if err != nil {
		return 0, err
	}
	appOf := make(map[string]*ent.Application, len(apps))
	for _, a := range apps {
		appOf[a.WorkerID] = a
	}
	// Nobody is asked twice for one shift: whoever had an offer for it
	// answered, let it lapse or holds it still. Standby is the exception:
	// its workers wait for every slot that reopens.
	asked, err := c.Offer.Query().Where(offer.ShiftID(s.ID)).Select(offer.FieldWorkerID, offer.FieldStatus).All(sys)
	if err != nil {
		return 0, err
	}
	pending, before := map[string]bool{}, map[string]bool{}
	for _, o := range asked {
		before[o.WorkerID] = true
		pending[o.WorkerID] = pending[o.WorkerID] || o.Status == offer.StatusPENDING
	}
	var who []string
	switch step {
	case shift.BackfillSTANDBY:
		for _, a := range apps {
			if a.Status == application.StatusSTANDBY {
				who = append(who, a.WorkerID)
			}
		}
	case shift.BackfillROSTER:
		who, err = m.rosterForBackfill(sys, c, cur)
	case shift.BackfillMATCHED:
		who, err = m.matchedForBackfill(sys, cur, before, appOf)
	}
	if err != nil {
		return 0, err
	}
	expires := now.Add(backfillOfferTTL)
	if cur.StartsAt.Before(expires) {
		expires = cur.StartsAt // an offer never outlives the shift's start
	}
	if by == "" {
		by = cur.CreatedByID // the employer's offer, in the name of whoever posted the shift
	}
	n := 0
	for _, workerID := range who {
		a := appOf[workerID]
		if pending[workerID] || (step != shift.BackfillSTANDBY && before[workerID]) ||
			(a != nil && !backfillMayAsk(a.Status)) {
			continue
		}
		e, err := m.screen(sys, c, workerID, cur)
		if err != nil {
			return 0, err
		}
		if len(e.ForEmployer().Failed()) > 0 {
			continue // not eligible now: not asked
		}
		o, err := m.writeOffer(sys, c, cur, workerID, a, by, expires, "")
		if err != nil {
			return 0, err
		}
		if o != nil {
			n++
		}
	}
	return n, nil
}

// backfillMayAsk says whether a worker whose application for the shift is
// in status may be offered its slot: not one who withdrew or was turned
// down, nor one already hired.
func backfillMayAsk(status application.Status) bool {
	switch status {
	case application.StatusAPPLIED, application.StatusSHORTLISTED, application.StatusSTANDBY:
		return true
	}
	return false
}

// rosterForBackfill lists the employer's favourites, and for a dispatched
// shift the agency's employed workers, oldest entry first.
func (m *Market) rosterForBackfill(ctx context.Context, c *ent.Client, s *ent.Shift) ([]string, error) {
	where := rosterentry.And(rosterentry.EmployerID(s.EmployerID), rosterentry.KindEQ(rosterentry.KindFAVOURITE))
	if s.AgencyID != nil {
		where = rosterentry.Or(where, rosterentry.And(rosterentry.EmployerID(*s.AgencyID), rosterentry.KindEQ(rosterentry.KindEMPLOYED)))
	}
	return c.RosterEntry.Query().Where(where).Order(ent.Asc(rosterentry.FieldCreatedAt), ent.Asc(rosterentry.FieldID)).
		Select(rosterentry.FieldWorkerID).Strings(ctx)
}

// matchedForBackfill lists the next backfillBatch workers by match score
// among those the shift would be announced to, leaving out whoever was
// asked before or may not be asked.
func (m *Market) matchedForBackfill(ctx context.Context, s *ent.Shift, before map[string]bool, appOf map[string]*ent.Application) ([]string, error) {
	all, err := m.Recipients(ctx, s.ID)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, r := range all {
		if a := appOf[r.WorkerID]; before[r.WorkerID] || (a != nil && !backfillMayAsk(a.Status)) {
			continue
		}
		if ids = append(ids, r.WorkerID); len(ids) == backfillBatch {
			break
		}
	}
	return ids, nil
}

// endBackfill ends a running cascade as how.
func (m *Market) endBackfill(ctx context.Context, c *ent.Client, shiftID string, how shift.Backfill) error {
	return c.Shift.Update().Where(shift.ID(shiftID), shift.BackfillIn(backfillRunning...)).
		SetBackfill(how).SetBackfillAt(m.Now()).Exec(rule.System(ctx))
}

// AdvanceBackfills moves every running cascade on: those whose shift
// started or closed are CLOSED, and those with no offer left pending take
// their next step, each in its own transaction. The sweep runs it.
func (m *Market) AdvanceBackfills(ctx context.Context) (int, error) {
	ctx, now := rule.System(ctx), m.Now()
	c := m.client(ctx)
	closed, err := c.Shift.Update().Where(shift.BackfillIn(backfillRunning...),
		shift.Or(shift.StatusNEQ(shift.StatusPUBLISHED), shift.StartsAtLTE(now))).
		SetBackfill(shift.BackfillCLOSED).SetBackfillAt(now).Save(ctx)
	if err != nil {
		return 0, err
	}
	due, err := c.Shift.Query().Where(shift.BackfillIn(backfillRunning...), shift.StatusEQ(shift.StatusPUBLISHED),
		shift.Not(shift.HasOffersWith(offer.StatusEQ(offer.StatusPENDING)))).IDs(ctx)
	if err != nil {
		return closed, err
	}
	for _, id := range due {
		if err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
			// The shift's row first: the lock a hire and a cancellation
			// take, so a step is not taken on a slot being filled.
			if err := c.Shift.UpdateOneID(id).SetUpdatedAt(m.Now()).Exec(ctx); err != nil {
				return err
			}
			s, err := c.Shift.Get(ctx, id)
			if err != nil || s.Backfill == nil || s.Status != shift.StatusPUBLISHED {
				return err
			}
			if s.Filled >= s.Slots { // refilled by other means
				return m.endBackfill(ctx, c, id, shift.BackfillFILLED)
			}
			if pending, err := c.Offer.Query().Where(offer.ShiftID(id), offer.StatusEQ(offer.StatusPENDING)).Exist(ctx); err != nil || pending {
				return err
			}
			next := shift.BackfillMATCHED // after ROSTER, and MATCHED again for the next batch
			switch *s.Backfill {
			case shift.BackfillSTANDBY:
				next = shift.BackfillROSTER
			case shift.BackfillROSTER, shift.BackfillMATCHED:
			default:
				return nil // ended meanwhile
			}
			_, err = m.backfillStep(ctx, c, s, next, "")
			return err
		}); err != nil {
			return closed, err
		}
	}
	return closed + len(due), nil
}

// Backfill is a cascade as its employer sees it.
type Backfill struct {
	Step          shift.Backfill
	Since         time.Time
	PendingOffers int
}

// ShiftBackfill is s's cascade for the employer's managers; nil for
// anyone else and for a shift that never had one.
func (m *Market) ShiftBackfill(ctx context.Context, s *ent.Shift) (*Backfill, error) {
	if s.Backfill == nil || s.BackfillAt == nil {
		return nil, nil
	}
	if _, err := manager(ctx, s.EmployerID, "see the backfill"); err != nil {
		return nil, nil
	}
	n, err := m.client(ctx).Offer.Query().Where(offer.ShiftID(s.ID), offer.StatusEQ(offer.StatusPENDING)).Count(rule.System(ctx))
	if err != nil {
		return nil, err
	}
	return &Backfill{Step: *s.Backfill, Since: *s.BackfillAt, PendingOffers: n}, nil
}

// StopBackfill stops a shift's cascade: no further step is taken. The
// offers already out stay open until answered or expired, as the
// employer's word; withdraw them one by one to take the slot back.
func (m *Market) StopBackfill(ctx context.Context, shiftID string) (*Changed, error) {
	var out *Changed
	err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		s, err := m.managedShift(ctx, c, shiftID, "stop a backfill")
		if err != nil {
			return err
		}
		if err := m.endBackfill(ctx, c, s.ID, shift.BackfillSTOPPED); err != nil {
			return err
		}
		cur, err := c.Shift.Get(ctx, s.ID)
		if err != nil {
			return err
		}
		if cur.Backfill == nil || *cur.Backfill != shift.BackfillSTOPPED {
			return State(CodeBackfillNotRunning, "no backfill is running for this shift")
		}
		out = &Changed{Shift: cur}
		return nil
	})
	return out, err
}
