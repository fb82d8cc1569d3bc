package market

import (
	"context"
	"strings"
	"time"

	"entgo.io/ent/dialect/sql"

	"flexwork/ent"
	"flexwork/ent/application"
	"flexwork/ent/assignment"
	"flexwork/ent/offer"
	"flexwork/ent/predicate"
	"flexwork/ent/rosterentry"
	"flexwork/ent/rule"
	"flexwork/ent/shift"
)

// Offer expiry bounds.
const (
	defaultOfferTTL = 30 * time.Minute
	minOfferTTL     = 5 * time.Minute
	maxOfferTTL     = 24 * time.Hour
)

// SendOfferInput offers a shift to an applicant (applicationID) or invites a
// favourite worker directly (shiftID and workerID).
type SendOfferInput struct {
	ApplicationID    *string `json:"applicationID"`
	ShiftID          *string `json:"shiftID"`
	WorkerID         *string `json:"workerID"`
	ExpiresInMinutes *int    `json:"expiresInMinutes" validate:"omitempty,gte=5,lte=1440"`
	Message          *string `json:"message" validate:"omitempty,max=1000"`
}

// SendOffer offers a shift to a worker. The offer expires after 30 minutes
// unless told otherwise, and never after the shift starts.
func (m *Market) SendOffer(ctx context.Context, in SendOfferInput) (*Changed, error) {
	if _, err := signedIn(ctx); err != nil {
		return nil, err
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	byApplication := in.ApplicationID != nil
	if byApplication == (in.ShiftID != nil || in.WorkerID != nil) || (!byApplication && (in.ShiftID == nil || in.WorkerID == nil)) {
		return nil, BadInput("applicationID", "give either applicationID, or shiftID and workerID for a direct invitation")
	}
	ttl := defaultOfferTTL
	if in.ExpiresInMinutes != nil {
		ttl = time.Duration(*in.ExpiresInMinutes) * time.Minute
	}
	var out *Changed
	err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		var (
			shiftID, workerID string
			app               *ent.Application
		)
		if byApplication {
			a, err := c.Application.Get(ctx, *in.ApplicationID)
			if ent.IsNotFound(err) {
				return NotFound("application")
			}
			if err != nil {
				return err
			}
			app, shiftID, workerID = a, a.ShiftID, a.WorkerID
		} else {
			shiftID, workerID = *in.ShiftID, *in.WorkerID
		}
		s, err := m.managedShift(ctx, c, shiftID, "send offers")
		if err != nil {
			return err
		}
		v, _ := signedIn(ctx)
		now := m.Now()
		if s.Status != shift.StatusPUBLISHED || !s.StartsAt.After(now) {
			return State(CodeShiftNotOpen, "offers can be sent only for a published shift that has not started")
		}
		if s.Filled >= s.Slots {
			return State(CodeShiftFull, "the shift is full")
		}
		if !byApplication {
			kinds, err := onRoster(ctx, c, s.EmployerID, []string{workerID})
			if err != nil {
				return err
			}
			if kinds[workerID] != rosterentry.KindFAVOURITE {
				return BadInput("workerID", "direct invitations go to workers on your favourites; others apply first")
			}
		}
		// Every path to a hire screens: an invitation as much as an
		// application, and again at acceptance (facts change in between).
		e, err := m.screen(ctx, c, workerID, s)
		if err != nil {
			return err
		}
		if failed := e.ForEmployer().Failed(); len(failed) > 0 {
			return screeningFailed(ctx, "offer", failed)
		}
		if pending, err := c.Offer.Query().Where(offer.ShiftID(shiftID), offer.WorkerID(workerID),
			offer.StatusEQ(offer.StatusPENDING)).Only(ctx); err == nil {
			// The same offer again (a retry): the one out already says it.
			if (app == nil) == (pending.ApplicationID == nil) {
				out = &Changed{Offer: pending, Application: app, RequestedExpiresAt: pending.CreatedAt.Add(ttl)}
				out.ExpiryShortened = out.RequestedExpiresAt.After(pending.ExpiresAt)
				return out.reload(ctx, c)
			}
			return State(CodeOfferAlreadyPending, "this worker already has a pending offer for the shift")
		} else if !ent.IsNotFound(err) {
			return err
		}
		if err := m.checkFunds(ctx, c, s); err != nil {
			return err
		}
		// An offer never outlives the shift's start; the payload says so
		// when that cuts the expiry asked for.
		out = &Changed{Application: app, RequestedExpiresAt: now.Add(ttl)}
		expires := out.RequestedExpiresAt
		if expires.After(s.StartsAt) {
			expires, out.ExpiryShortened = s.StartsAt, true
		}
		message := ""
		if in.Message != nil {
			message = strings.TrimSpace(*in.Message)
		}
		if out.Offer, err = m.writeOffer(ctx, c, s, workerID, app, v.UserID, expires, message); err != nil {
			return err
		}
		if out.Offer == nil {
			return State(CodeApplicationNotActive, "the application is %s", humanStatus(app.Status.String()))
		}
		return out.reload(ctx, c)
	})
	return out, err
}

// writeOffer offers shift s to a worker in the name of by, until expires:
// on their application when there is one, which moves to OFFERED if it is
// still active (no offer, and nil, when it is not), and the worker is told.
// sendOffer and the backfill both offer through it.
func (m *Market) writeOffer(ctx context.Context, c *ent.Client, s *ent.Shift, workerID string, app *ent.Application,
	by string, expires time.Time, message string) (*ent.Offer, error) {
	create := c.Offer.Create().SetShiftID(s.ID).SetWorkerID(workerID).SetEmployerID(s.EmployerID).
		SetSentByID(by).SetExpiresAt(expires)
	if app != nil {
		n, err := c.Application.Update().Where(application.ID(app.ID),
			application.StatusIn(application.StatusAPPLIED, application.StatusSHORTLISTED, application.StatusSTANDBY)).
			SetStatus(application.StatusOFFERED).Save(ctx)
		if err != nil || n == 0 {
			return nil, err
		}
		create.SetApplicationID(app.ID)
	}
	if message != "" {
		create.SetMessage(message)
	}
	o, err := create.Save(ctx)
	if err != nil {
		return nil, err
	}
	return o, m.emit(ctx, c, Event{Kind: OfferCreated, ID: o.ID, ShiftID: s.ID, WorkerID: workerID,
		EmployerID: s.EmployerID, Title: s.Title, When: expires})
}

// AcceptOffer hires the viewer. It is atomic and safe under any number of
// racing acceptances: the offer flips from pending only while unexpired, the
// worker's row is locked so their own hires queue up, an overlapping hire is
// refused, and a slot is taken by a conditional UPDATE (filled < slots), so a
// shift never hires more workers than it has slots. The assignment, its
// contract and the ledger entry are written in the same transaction.
func (m *Market) AcceptOffer(ctx context.Context, id string) (*Changed, error) {
	v, err := worker(ctx)
	if err != nil {
		return nil, err
	}
	var out *Changed
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		o, err := c.Offer.Get(ctx, id)
		if ent.IsNotFound(err) {
			return NotFound("offer")
		}
		if err != nil {
			return err
		}
		if o.WorkerID != v.WorkerID {
			return Forbidden("only the worker the offer was made to can accept it")
		}
		now, sys := m.Now(), rule.System(ctx)
		// Locks are taken in one order everywhere — shift, offer, worker —
		// so that PostgreSQL never meets two transactions each waiting for
		// the other. (The ledger takes none: entries are sequenced later.)
		if err := c.Shift.UpdateOneID(o.ShiftID).SetUpdatedAt(now).Exec(sys); err != nil {
			return err
		}
		n, err := c.Offer.Update().
			Where(offer.ID(id), offer.StatusEQ(offer.StatusPENDING), offer.ExpiresAtGT(now)).
			SetStatus(offer.StatusACCEPTED).SetRespondedAt(now).
			Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			// Read again: a retry of this very acceptance (a double tap, a
			// phone that lost the answer) may have committed meanwhile.
			cur, err := c.Offer.Get(ctx, id)
			if err != nil {
				return err
			}
			switch cur.Status {
			case offer.StatusACCEPTED:
				// What the worker meant is done: answer with the hire.
				a, err := c.Assignment.Query().Where(assignment.OfferID(id)).Only(ctx)
				if err != nil {
					return err
				}
				out, err = hired(ctx, c, a)
				return err
			case offer.StatusPENDING:
				return State(CodeOfferExpired, "the offer expired at %s", cur.ExpiresAt.Format(time.RFC3339))
			}
			return State(CodeOfferNotPending, "the offer is %s", humanStatus(cur.Status.String()))
		}
		// Read under the shift's lock: a shift filled meanwhile refuses at
		// once, so the losers of a race are not screened one by one while
		// holding that lock. (The conditional UPDATE below stays the
		// guarantee.)
		s, err := c.Shift.Get(sys, o.ShiftID)
		if err != nil {
			return err
		}
		if s.Filled >= s.Slots {
			return State(CodeShiftFull, "the shift is full")
		}
		// The worker's own row is the lock that queues their hires: a second
		// acceptance waits here, then sees the first one's assignment.
		if err := c.WorkerProfile.UpdateOneID(v.WorkerID).SetUpdatedAt(now).Exec(ctx); err != nil {
			return err
		}
		if busy, err := c.Assignment.Query().Where(assignment.WorkerID(v.WorkerID), assignment.StatusIn(holdingStatuses...),
			assignment.StartsAtLT(s.EndsAt), assignment.EndsAtGT(s.StartsAt)).Exist(sys); err != nil {
			return err
		} else if busy {
			return State(CodeScheduleOverlap, "you already work another shift at that time")
		}
		// Screened again: a certificate may have expired, a score dropped
		// or a block been put in place since the offer was sent.
		e, err := m.screen(ctx, c, v.WorkerID, s)
		if err != nil {
			return err
		}
		if failed := e.Failed(); len(failed) > 0 {
			return screeningFailed(ctx, "accept", failed)
		}
		if err := m.checkHiringLaw(ctx, c, s, v.WorkerID); err != nil {
			return err
		}
		n, err = c.Shift.Update().
			Where(shift.ID(s.ID), shift.StatusEQ(shift.StatusPUBLISHED), shift.StartsAtGT(now), filledBelowSlots,
				shift.TermsVersion(s.TermsVersion)). // the terms the checks above read
			AddFilled(1).
			Save(sys)
		if err != nil {
			return err
		}
		if n == 0 {
			cur, err := c.Shift.Get(sys, s.ID)
			switch {
			case err == nil && cur.TermsVersion != s.TermsVersion:
				return State(CodeShiftChanged, "the employer changed the shift's terms just now; look at them again")
			case err == nil && cur.Filled >= cur.Slots:
				return State(CodeShiftFull, "the shift is full")
			}
			return State(CodeShiftNotOpen, "the shift is no longer open")
		}
		// The other pending offers of a shift that is now full are revoked by
		// ExpireOffers, outside this transaction: here they would be locks
		// taken out of order.
		full, err := c.Shift.Update().
			Where(shift.ID(s.ID), shift.StatusEQ(shift.StatusPUBLISHED), filledAtSlots).
			SetStatus(shift.StatusFILLED).
			Save(sys)
		if err != nil {
			return err
		}
		if full > 0 && s.Backfill != nil {
			if err := m.endBackfill(sys, c, s.ID, shift.BackfillFILLED); err != nil {
				return err
			}
		}
		if o.ApplicationID != nil {
			if err := c.Application.UpdateOneID(*o.ApplicationID).SetStatus(application.StatusHIRED).Exec(sys); err != nil {
				return err
			}
		}
		a, err := c.Assignment.Create().
			SetShiftID(s.ID).SetWorkerID(v.WorkerID).SetEmployerID(s.EmployerID).SetOfferID(o.ID).SetNillableAgencyID(s.AgencyID).
			SetStartsAt(s.StartsAt).SetEndsAt(s.EndsAt).SetBoost(s.Boost).
			Save(sys)
		if err != nil {
			return err
		}
		if err := m.reserveWage(ctx, c, s, a); err != nil {
			return err
		}
		ctr, err := m.writeContract(sys, c, s, a)
		if err != nil {
			return err
		}
		hire := map[string]any{
			"shift": s.ID, "worker": v.WorkerID, "employer": s.EmployerID, "offer": o.ID, "contractSha256": ctr.Sha256,
		}
		if s.Boost > 0 {
			hire["boost"] = s.Boost // in the pay unit, part of the contract's pay
		}
		if _, err := m.appendLedger(ctx, c, LedgerHire, a.ID, v.UserID, hire); err != nil {
			return err
		}
		for _, e := range []Event{
			{Kind: OfferAccepted, ID: o.ID, ShiftID: s.ID, WorkerID: v.WorkerID, EmployerID: s.EmployerID, Title: s.Title},
			{Kind: AssignmentCreated, ID: a.ID, ShiftID: s.ID, WorkerID: v.WorkerID, EmployerID: s.EmployerID, Title: s.Title, When: s.StartsAt},
		} {
			if err := m.emit(ctx, c, e); err != nil {
				return err
			}
		}
		out, err = hired(ctx, c, a)
		return err
	})
	return out, err
}

// hired is what a hire changed: the assignment, its offer, shift, contract
// and the application the offer answered.
func hired(ctx context.Context, c *ent.Client, a *ent.Assignment) (*Changed, error) {
	out := &Changed{Assignment: a, Shift: &ent.Shift{ID: a.ShiftID}}
	if a.OfferID != nil {
		o, err := c.Offer.Get(ctx, *a.OfferID)
		if err != nil {
			return nil, err
		}
		out.Offer = o
		if o.ApplicationID != nil {
			out.Application = &ent.Application{ID: *o.ApplicationID}
		}
	}
	k, err := a.QueryContract().Only(ctx)
	if err != nil {
		return nil, err
	}
	out.Contract = k
	return out, out.reload(ctx, c)
}

// filledBelowSlots and filledAtSlots compare two columns of the row being
// updated; that comparison is what makes the slot count race-proof.
func filledBelowSlots(s *sql.Selector) {
	s.Where(sql.ColumnsLT(s.C(shift.FieldFilled), s.C(shift.FieldSlots)))
}
func filledAtSlots(s *sql.Selector) {
	s.Where(sql.ColumnsGTE(s.C(shift.FieldFilled), s.C(shift.FieldSlots)))
}

// DeclineOffer turns an offer down; the application counts as withdrawn.
func (m *Market) DeclineOffer(ctx context.Context, id string) (*Changed, error) {
	v, err := worker(ctx)
	if err != nil {
		return nil, err
	}
	return m.closeOffer(ctx, id, offer.StatusDECLINED, application.StatusWITHDRAWN, func(o *ent.Offer) error {
		if o.WorkerID != v.WorkerID {
			return Forbidden("only the worker the offer was made to can decline it")
		}
		return nil
	})
}

// RevokeOffer takes an offer back; the applicant stays on the shortlist.
func (m *Market) RevokeOffer(ctx context.Context, id string) (*Changed, error) {
	if _, err := signedIn(ctx); err != nil {
		return nil, err
	}
	return m.closeOffer(ctx, id, offer.StatusREVOKED, application.StatusSHORTLISTED, nil)
}

func (m *Market) closeOffer(ctx context.Context, id string, to offer.Status, app application.Status, check func(*ent.Offer) error) (*Changed, error) {
	var out *Changed
	err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		o, err := c.Offer.Get(ctx, id)
		if ent.IsNotFound(err) {
			return NotFound("offer")
		}
		if err != nil {
			return err
		}
		if check != nil {
			err = check(o)
		} else {
			_, err = manager(ctx, o.EmployerID, "revoke offers")
		}
		if err != nil {
			return err
		}
		n, err := c.Offer.Update().Where(offer.ID(id), offer.StatusEQ(offer.StatusPENDING)).
			SetStatus(to).SetRespondedAt(m.Now()).Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			cur, err := c.Offer.Get(ctx, id)
			if err != nil {
				return err
			}
			if cur.Status == to { // a retry: already done
				out = offerChanged(cur)
				return out.reload(ctx, c)
			}
			return State(CodeOfferNotPending, "the offer is %s", humanStatus(cur.Status.String()))
		}
		if o.ApplicationID != nil {
			if err := c.Application.UpdateOneID(*o.ApplicationID).SetStatus(app).Exec(rule.System(ctx)); err != nil {
				return err
			}
		}
		kind := OfferRevoked
		if to == offer.StatusDECLINED {
			kind = OfferDeclined
		}
		if err := m.emit(ctx, c, Event{Kind: kind, ID: id, ShiftID: o.ShiftID, WorkerID: o.WorkerID, EmployerID: o.EmployerID}); err != nil {
			return err
		}
		out = offerChanged(o)
		return out.reload(ctx, c)
	})
	return out, err
}

// offerChanged is what closing an offer changed: it and its application.
func offerChanged(o *ent.Offer) *Changed {
	out := &Changed{Offer: o}
	if o.ApplicationID != nil {
		out.Application = &ent.Application{ID: *o.ApplicationID}
	}
	return out
}

// ExpireOffers expires every pending offer whose time is up, and revokes
// those whose shift filled up, started or was cancelled; their applications
// follow. A job runs it. An offer accepted in the same instant is either
// accepted or expired: both transitions require PENDING.
func (m *Market) ExpireOffers(ctx context.Context) (int, error) {
	ctx = rule.System(ctx)
	var n int
	err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		now := m.Now()
		expired, err := m.closeOffers(ctx, c, offer.StatusEXPIRED, application.StatusEXPIRED, "",
			offer.StatusEQ(offer.StatusPENDING), offer.ExpiresAtLTE(now))
		if err != nil {
			return err
		}
		revoked, err := m.closeOffers(ctx, c, offer.StatusREVOKED, application.StatusREJECTED, "the shift filled up or closed",
			offer.StatusEQ(offer.StatusPENDING), offer.HasShiftWith(shift.StatusNEQ(shift.StatusPUBLISHED)))
		n = len(expired) + len(revoked)
		return err
	})
	return n, err
}

// closeOffers moves the pending offers matching where to status, and their
// applications still marked offered to app.
func (m *Market) closeOffers(ctx context.Context, c *ent.Client, to offer.Status, app application.Status, reason string,
	where ...predicate.Offer) ([]*ent.Offer, error) {
	due, err := c.Offer.Query().Where(where...).All(ctx)
	if err != nil || len(due) == 0 {
		return nil, err
	}
	ids := make([]string, len(due))
	for i, o := range due {
		ids[i] = o.ID
	}
	if _, err := c.Offer.Update().Where(offer.IDIn(ids...), offer.StatusEQ(offer.StatusPENDING)).
		SetStatus(to).SetRespondedAt(m.Now()).Save(ctx); err != nil {
		return nil, err
	}
	closed, err := c.Offer.Query().Where(offer.IDIn(ids...), offer.StatusEQ(to)).All(ctx)
	if err != nil || len(closed) == 0 {
		return closed, err
	}
	kind := OfferExpired
	if to == offer.StatusREVOKED {
		kind = OfferRevoked
	}
	var apps []string
	for _, o := range closed {
		if err := m.emit(ctx, c, Event{Kind: kind, ID: o.ID, ShiftID: o.ShiftID, WorkerID: o.WorkerID, EmployerID: o.EmployerID}); err != nil {
			return nil, err
		}
		if o.ApplicationID != nil {
			apps = append(apps, *o.ApplicationID)
		}
	}
	if len(apps) == 0 {
		return closed, nil
	}
	// Workers from a standby list go back on it: the slot was taken, or
	// they did not answer in time, but they still wait for the next one.
	if err := c.Application.Update().Where(application.IDIn(apps...), application.StatusEQ(application.StatusOFFERED),
		application.Standby(true)).SetStatus(application.StatusSTANDBY).Exec(ctx); err != nil {
		return nil, err
	}
	up := c.Application.Update().Where(application.IDIn(apps...), application.StatusEQ(application.StatusOFFERED)).SetStatus(app)
	if reason != "" {
		up.SetRejectReason(reason)
	}
	_, err = up.Save(ctx)
	return closed, err
}

// WarnExpiringOffer tells the worker their offer is about to expire, if it
// is still pending and nobody has warned them yet; a job scheduled at the
// offer's creation runs it.
func (m *Market) WarnExpiringOffer(ctx context.Context, id string) error {
	ctx = rule.System(ctx)
	return m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		o, err := c.Offer.Get(ctx, id)
		if err != nil {
			return err
		}
		n, err := c.Offer.Update().Where(offer.ID(id), offer.StatusEQ(offer.StatusPENDING), offer.ExpiryWarnedAtIsNil(),
			offer.ExpiresAtGT(m.Now())).SetExpiryWarnedAt(m.Now()).Save(ctx)
		if err != nil || n == 0 {
			return err
		}
		return m.emit(ctx, c, Event{Kind: OfferExpiringSoon, ID: id, ShiftID: o.ShiftID, WorkerID: o.WorkerID,
			EmployerID: o.EmployerID, When: o.ExpiresAt})
	})
}
