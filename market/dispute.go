package market

import (
	"context"

	"entgo.io/contrib/entgql"
	"strings"
	"time"

	"flexwork/ent"
	"flexwork/ent/creditdispute"
	"flexwork/ent/creditevent"
	"flexwork/ent/rule"
	"flexwork/ent/schema/pulid"
)

// CreditDisputeWindow is how long after a credit event its subject may dispute it.
const CreditDisputeWindow = 7 * 24 * time.Hour

// LedgerDisputeResolved records a staff decision on an appeal;
// LedgerDisputeAnswered the other party's side of it.
const (
	LedgerDisputeResolved = "CREDIT_DISPUTE_RESOLVED"
	LedgerDisputeAnswered = "CREDIT_DISPUTE_ANSWERED"
)

// DisputeInput appeals a credit event.
type DisputeInput struct {
	EventID string `json:"eventID" validate:"required"`
	Reason  string `json:"reason" validate:"required,min=10,max=1000"`
}

// DisputeCreditEvent lets the subject of a credit event contest it within
// 7 days: the worker, or an owner or manager of the employer.
func (m *Market) DisputeCreditEvent(ctx context.Context, in DisputeInput) (*Changed, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	in.Reason = strings.TrimSpace(in.Reason)
	if err := Validate(in); err != nil {
		return nil, err
	}
	var out *Changed
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		ev, err := c.CreditEvent.Get(ctx, in.EventID)
		if ent.IsNotFound(err) {
			return NotFound("credit event")
		}
		if err != nil {
			return err
		}
		if ev.EmployerID != nil {
			if _, err := manager(ctx, *ev.EmployerID, "dispute the employer's credit events"); err != nil {
				return err
			}
		} else if ev.WorkerID == nil || *ev.WorkerID != v.WorkerID {
			return Forbidden("only the subject of a credit event may dispute it")
		}
		switch {
		case ev.Kind == creditevent.KindEVENT_REVERSED:
			return State(CodeNotDisputable, "a reversal cannot be disputed")
		case m.Now().After(ev.OccurredAt.Add(CreditDisputeWindow)):
			return State(CodeDisputeWindowClosed, "credit events can be disputed within 7 days; this one is from %s", ev.OccurredAt.Format("2 Jan 2006"))
		}
		if prior, err := c.CreditDispute.Query().Where(creditdispute.EventID(ev.ID)).Only(ctx); err == nil {
			if prior.OpenedByID == v.UserID && prior.Reason == in.Reason {
				out = &Changed{Dispute: prior, Event: ev} // a retry: disputed already
				return nil
			}
			return State(CodeAlreadyDisputed, "this credit event is already disputed")
		} else if !ent.IsNotFound(err) {
			return err
		}
		create := c.CreditDispute.Create().SetEventID(ev.ID).SetOpenedByID(v.UserID).SetReason(in.Reason)
		worker, employer := m.partiesOf(ctx, c, ev)
		switch { // the other side of the dealing, if the event came from one
		case ev.WorkerID != nil && employer != "":
			create.SetCounterpartyEmployerID(employer)
		case ev.EmployerID != nil && worker != "":
			create.SetCounterpartyWorkerID(worker)
		}
		d, err := create.Save(ctx)
		if ent.IsConstraintError(err) {
			return State(CodeAlreadyDisputed, "this credit event is already disputed")
		}
		if err != nil {
			return err
		}
		out = &Changed{Dispute: d, Event: ev}
		e := Event{Kind: CreditDisputeOpened, ID: d.ID, Detail: in.Reason}
		if d.CounterpartyWorkerID != nil {
			e.WorkerID = *d.CounterpartyWorkerID
		}
		if d.CounterpartyEmployerID != nil {
			e.EmployerID = *d.CounterpartyEmployerID
		}
		return m.emit(ctx, c, e)
	})
	return out, err
}

// AnswerDisputeInput is the other party's side of a dispute.
type AnswerDisputeInput struct {
	DisputeID string `json:"disputeID" validate:"required"`
	Response  string `json:"response" validate:"required,min=10,max=1000"`
}

// AnswerCreditDispute is the other party of a disputed event's dealing —
// the employer who marked a no-show, the worker whose wage is overdue —
// adding their side, once, while the dispute is open. Staff are told.
func (m *Market) AnswerCreditDispute(ctx context.Context, in AnswerDisputeInput) (*Changed, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	in.Response = strings.TrimSpace(in.Response)
	if err := Validate(in); err != nil {
		return nil, err
	}
	var out *Changed
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		d, err := c.CreditDispute.Get(ctx, in.DisputeID)
		if ent.IsNotFound(err) {
			return NotFound("credit dispute")
		}
		if err != nil {
			return err
		}
		ev, err := m.DisputedEvent(ctx, d)
		if err != nil {
			return err
		}
		switch {
		case d.CounterpartyEmployerID != nil && v.IsMember(*d.CounterpartyEmployerID):
			if _, err := manager(ctx, *d.CounterpartyEmployerID, "answer disputes"); err != nil {
				return err
			}
		case d.CounterpartyWorkerID != nil && *d.CounterpartyWorkerID == v.WorkerID:
		default:
			return Forbidden("only the other party of the disputed dealing answers a dispute")
		}
		if d.Status != creditdispute.StatusOPEN {
			return State(CodeDisputeResolved, "the dispute is already %s", humanStatus(d.Status.String()))
		}
		if d.RespondedAt != nil {
			if d.Response == in.Response {
				out = &Changed{Dispute: d, Event: ev} // a retry: answered already
				return nil
			}
			return State(CodeAlreadyAnswered, "the dispute has your side already")
		}
		if err := c.CreditDispute.UpdateOneID(d.ID).SetResponse(in.Response).SetRespondedAt(m.Now()).Exec(rule.System(ctx)); err != nil {
			return err
		}
		if _, err := m.appendLedger(ctx, c, LedgerDisputeAnswered, d.ID, v.UserID, map[string]any{"response": in.Response}); err != nil {
			return err
		}
		if err := m.emit(ctx, c, Event{Kind: CreditDisputeAnswered, ID: d.ID}); err != nil {
			return err
		}
		out = &Changed{Dispute: d, Event: ev}
		return out.reload(ctx, c)
	})
	return out, err
}

// ResolveInput is staff's decision on a dispute.
type ResolveInput struct {
	DisputeID string `json:"disputeID" validate:"required"`
	Decision  string `json:"decision" validate:"oneof=UPHOLD REVERSE"`
	Note      string `json:"note" validate:"required,max=1000"`
}

// ResolveCreditDispute is staff upholding a disputed credit event or
// reversing it. A reversal is a new event, never an edit: the score it
// restores is exactly the score without the disputed event. Both parties of
// the event are told.
func (m *Market) ResolveCreditDispute(ctx context.Context, in ResolveInput) (*Changed, error) {
	v, err := staff(ctx, "resolve credit disputes")
	if err != nil {
		return nil, err
	}
	in.Note = strings.TrimSpace(in.Note)
	if err := Validate(in); err != nil {
		return nil, err
	}
	var out *Changed
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		d, err := c.CreditDispute.Query().Where(creditdispute.ID(in.DisputeID)).WithEvent().Only(ctx)
		if ent.IsNotFound(err) {
			return NotFound("credit dispute")
		}
		if err != nil {
			return err
		}
		status := creditdispute.StatusUPHELD
		if in.Decision == "REVERSE" {
			status = creditdispute.StatusREVERSED
		}
		n, err := c.CreditDispute.Update().Where(creditdispute.ID(d.ID), creditdispute.StatusEQ(creditdispute.StatusOPEN)).
			SetStatus(status).SetResolutionNote(in.Note).SetResolvedByID(v.UserID).SetResolvedAt(m.Now()).Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			if d.Status == status && d.ResolutionNote == in.Note {
				out = &Changed{Dispute: d, Event: d.Edges.Event} // a retry: resolved as asked
				return nil
			}
			return State(CodeDisputeResolved, "the dispute is already %s", humanStatus(d.Status.String()))
		}
		out = &Changed{Dispute: d, Event: d.Edges.Event}
		if status == creditdispute.StatusREVERSED {
			if out.Reversal, err = m.reverseCredit(ctx, c, d.Edges.Event, "reversed on appeal: "+in.Note); err != nil {
				return err
			}
		}
		if _, err := m.appendLedger(ctx, c, LedgerDisputeResolved, d.ID, v.UserID, map[string]any{
			"event": d.EventID, "decision": in.Decision, "note": in.Note,
		}); err != nil {
			return err
		}
		e := Event{Kind: CreditDisputeResolved, ID: d.ID}
		e.WorkerID, e.EmployerID = m.partiesOf(ctx, c, d.Edges.Event)
		if err := m.emit(ctx, c, e); err != nil {
			return err
		}
		return out.reload(ctx, c)
	})
	return out, err
}

// reverseCredit undoes a credit event with a new one.
func (m *Market) reverseCredit(ctx context.Context, c *ent.Client, ev *ent.CreditEvent, note string) (*ent.CreditEvent, error) {
	f := creditFact{kind: creditevent.KindEVENT_REVERSED, reverses: ev.ID, sourceID: ev.ID, note: note}
	if ev.WorkerID != nil {
		f.workerID = *ev.WorkerID
	} else if ev.EmployerID != nil {
		f.employerID = *ev.EmployerID
	}
	return m.recordCredit(ctx, c, f)
}

// partiesOf finds the worker and the employer behind a credit event: its
// subject and, through its source, the other side.
func (m *Market) partiesOf(ctx context.Context, c *ent.Client, ev *ent.CreditEvent) (workerID, employerID string) {
	if ev.WorkerID != nil {
		workerID = *ev.WorkerID
	}
	if ev.EmployerID != nil {
		employerID = *ev.EmployerID
	}
	sys := rule.System(ctx)
	switch pulid.Prefix(ev.SourceID) {
	case "asg":
		if a, err := c.Assignment.Get(sys, ev.SourceID); err == nil {
			return a.WorkerID, a.EmployerID
		}
	case "tms":
		if t, err := c.Timesheet.Get(sys, ev.SourceID); err == nil {
			return t.WorkerID, t.EmployerID
		}
	case "rvw":
		if r, err := c.Review.Get(sys, ev.SourceID); err == nil {
			return r.WorkerID, r.EmployerID
		}
	}
	return workerID, employerID
}

// DisputedEvent is the event of a dispute the viewer could load: the
// dispute's privacy already let them in (its subject, the other party,
// staff), and the event is what it is about.
func (m *Market) DisputedEvent(ctx context.Context, d *ent.CreditDispute) (*ent.CreditEvent, error) {
	if ev, err := d.Edges.EventOrErr(); err == nil {
		return ev, nil
	}
	return m.client(ctx).CreditEvent.Get(rule.System(ctx), d.EventID)
}

// CreditDisputes pages through disputes: staff see all, the others those
// they opened or are the other party of (privacy filters the rows).
func (m *Market) CreditDisputes(ctx context.Context, first *int, after *entgql.Cursor[string], status *creditdispute.Status) (*ent.CreditDisputeConnection, error) {
	if _, err := signedIn(ctx); err != nil {
		return nil, err
	}
	q := m.client(ctx).CreditDispute.Query()
	if status != nil {
		q.Where(creditdispute.StatusEQ(*status))
	}
	return q.Paginate(ctx, after, first, nil, nil)
}
