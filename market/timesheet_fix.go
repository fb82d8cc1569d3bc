package market

import (
	"context"
	"strings"

	"entgo.io/contrib/entgql"

	"flexwork/ent"
	"flexwork/ent/rule"
	"flexwork/ent/timesheet"
)

// Ledger kinds of corrections and of disputes staff decide.
const (
	LedgerCorrectionProposed = "TIMESHEET_CORRECTION_PROPOSED"
	LedgerTimesheetEscalated = "TIMESHEET_ESCALATED"
	LedgerTimesheetDecided   = "TIMESHEET_DECIDED"
)

// CorrectionInput is a worker's proposal of other minutes before approval.
type CorrectionInput struct {
	TimesheetID string `json:"timesheetID" validate:"required"`
	Minutes     int    `json:"minutes" validate:"gte=0,lte=1440"`
	Note        string `json:"note" validate:"required,min=3,max=500"`
}

// ProposeTimesheetCorrection lets the worker say, before the employer
// approves, that the minutes should be others (a check-out pressed late, a
// break not taken). The employer approves them without giving a reason of
// their own, or approves others with one. A new proposal replaces the last.
func (m *Market) ProposeTimesheetCorrection(ctx context.Context, in CorrectionInput) (*Changed, error) {
	v, err := worker(ctx)
	if err != nil {
		return nil, err
	}
	in.Note = strings.TrimSpace(in.Note)
	if err := Validate(in); err != nil {
		return nil, err
	}
	var out *Changed
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		t, err := c.Timesheet.Get(ctx, in.TimesheetID)
		if ent.IsNotFound(err) {
			return NotFound("timesheet")
		}
		if err != nil {
			return err
		}
		if t.WorkerID != v.WorkerID {
			return Forbidden("only the worker proposes a correction of their hours")
		}
		if t.ProposedMinutes != nil && *t.ProposedMinutes == in.Minutes && t.CorrectionNote == in.Note {
			out = &Changed{Timesheet: t} // a retry
			return nil
		}
		n, err := c.Timesheet.Update().Where(timesheet.ID(t.ID), timesheet.StatusEQ(timesheet.StatusSUBMITTED)).
			SetProposedMinutes(in.Minutes).SetCorrectionNote(in.Note).Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return State(CodeTimesheetNotOpen, "corrections are proposed before approval; after it, dispute the timesheet (it is %s)", humanStatus(t.Status.String()))
		}
		if _, err := m.appendLedger(ctx, c, LedgerCorrectionProposed, t.ID, v.UserID, map[string]any{"minutes": in.Minutes, "note": in.Note}); err != nil {
			return err
		}
		if err := m.emit(ctx, c, Event{Kind: TimesheetCorrectionProposed, ID: t.ID, WorkerID: t.WorkerID, EmployerID: t.EmployerID, Detail: in.Note}); err != nil {
			return err
		}
		out = &Changed{Timesheet: t}
		return out.reload(ctx, c)
	})
	return out, err
}

// EscalateInput takes a timesheet dispute to staff.
type EscalateInput struct {
	TimesheetID string `json:"timesheetID" validate:"required"`
	Statement   string `json:"statement" validate:"required,min=10,max=1000"`
}

// EscalateTimesheetDispute is either party saying they cannot settle a
// disputed timesheet: while it is disputed, or after the employer approved
// it again and the worker still disagrees. From then on only staff change
// it; both parties and staff are told.
func (m *Market) EscalateTimesheetDispute(ctx context.Context, in EscalateInput) (*Changed, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	in.Statement = strings.TrimSpace(in.Statement)
	if err := Validate(in); err != nil {
		return nil, err
	}
	var out *Changed
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		t, err := c.Timesheet.Get(ctx, in.TimesheetID)
		if ent.IsNotFound(err) {
			return NotFound("timesheet")
		}
		if err != nil {
			return err
		}
		by := timesheet.EscalatedByWORKER
		if t.WorkerID != v.WorkerID && !v.IsMember(t.EmployerID) { // staff read it, but are not a party
			return Forbidden("only the worker or the employer takes their dispute to staff")
		}
		if t.WorkerID != v.WorkerID {
			if _, err := manager(ctx, t.EmployerID, "take timesheet disputes to staff"); err != nil {
				return err
			}
			by = timesheet.EscalatedByEMPLOYER
		}
		if t.EscalatedAt != nil {
			if t.EscalatedBy != nil && *t.EscalatedBy == by && t.EscalationNote == in.Statement {
				out = &Changed{Timesheet: t} // a retry
				return nil
			}
			return State(CodeTimesheetEscalated, "the dispute is with staff already")
		}
		if t.DisputedAt == nil {
			return State(CodeTimesheetNotOpen, "only a disputed timesheet goes to staff; dispute it first")
		}
		n, err := c.Timesheet.Update().Where(timesheet.ID(t.ID), timesheet.EscalatedAtIsNil(),
			timesheet.StatusIn(timesheet.StatusDISPUTED, timesheet.StatusAPPROVED),
			timesheet.PaymentStatusNEQ(timesheet.PaymentStatusCONFIRMED)).
			SetEscalatedAt(m.Now()).SetEscalatedBy(by).SetEscalationNote(in.Statement).Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			if t.PaymentStatus == timesheet.PaymentStatusCONFIRMED {
				return State(CodePaymentFinal, "the worker confirmed the payment; it is final")
			}
			return State(CodeTimesheetNotOpen, "the timesheet is %s", humanStatus(t.Status.String()))
		}
		if _, err := m.appendLedger(ctx, c, LedgerTimesheetEscalated, t.ID, v.UserID, map[string]any{"by": by, "statement": in.Statement}); err != nil {
			return err
		}
		if err := m.emit(ctx, c, Event{Kind: TimesheetEscalated, ID: t.ID, WorkerID: t.WorkerID, EmployerID: t.EmployerID, Detail: in.Statement}); err != nil {
			return err
		}
		out = &Changed{Timesheet: t}
		return out.reload(ctx, c)
	})
	return out, err
}

// DecideInput is staff's decision on an escalated timesheet.
type DecideInput struct {
	TimesheetID     string `json:"timesheetID" validate:"required"`
	ApprovedMinutes int    `json:"approvedMinutes" validate:"gte=0,lte=1440"`
	Note            string `json:"note" validate:"required,min=10,max=1000"`
}

// DecideTimesheetDispute is staff fixing the minutes of an escalated
// timesheet, having read the worker's dispute, the employer's reasons and
// the escalation statement. The decision is final (RESOLVED), on the
// ledger, told to both parties, and owes the amount it comes to by the
// first payment deadline.
func (m *Market) DecideTimesheetDispute(ctx context.Context, in DecideInput) (*Changed, error) {
	v, err := staff(ctx, "decide timesheet disputes")
	if err != nil {
		return nil, err
	}
	in.Note = strings.TrimSpace(in.Note)
	if err := Validate(in); err != nil {
		return nil, err
	}
	var out *Changed
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		t, err := c.Timesheet.Query().Where(timesheet.ID(in.TimesheetID)).WithAssignment(func(q *ent.AssignmentQuery) { q.WithShift() }).Only(ctx)
		if ent.IsNotFound(err) {
			return NotFound("timesheet")
		}
		if err != nil {
			return err
		}
		if t.Status == timesheet.StatusRESOLVED {
			if t.ApprovedMinutes != nil && *t.ApprovedMinutes == in.ApprovedMinutes && t.DecisionNote == in.Note {
				out = &Changed{Timesheet: t} // a retry
				return nil
			}
			return State(CodeDisputeResolved, "staff decided this timesheet already")
		}
		if t.EscalatedAt == nil {
			return State(CodeTimesheetNotOpen, "only a dispute taken to staff is decided by staff")
		}
		now, s := m.Now(), t.Edges.Assignment.Edges.Shift
		amount := wageFor(termsOf(s, t.Edges.Assignment), in.ApprovedMinutes)
		up := c.Timesheet.Update().Where(timesheet.ID(t.ID), timesheet.StatusIn(timesheet.StatusDISPUTED, timesheet.StatusAPPROVED),
			timesheet.PaymentStatusNEQ(timesheet.PaymentStatusCONFIRMED)).
			SetStatus(timesheet.StatusRESOLVED).SetApprovedMinutes(in.ApprovedMinutes).SetAmountOwed(amount).
			SetDecidedAt(now).SetDecisionNote(in.Note)
		owe(up, t, amount, now, paymentTerm(s))
		n, err := up.Save(rule.System(ctx)) // staff act on rows that are not theirs
		if err != nil {
			return err
		}
		if n == 0 {
			return State(CodePaymentFinal, "the worker confirmed the payment; it is final")
		}
		if _, err := m.appendLedger(ctx, c, LedgerTimesheetDecided, t.ID, v.UserID, map[string]any{
			"minutes": in.ApprovedMinutes, "amount": amount, "currency": t.Currency, "note": in.Note,
		}); err != nil {
			return err
		}
		if err := m.releaseApproved(ctx, c, t.ID); err != nil {
			return err
		}
		if err := m.emit(ctx, c, Event{Kind: TimesheetDecided, ID: t.ID, ShiftID: s.ID, WorkerID: t.WorkerID,
			EmployerID: t.EmployerID, Title: s.Title, Detail: in.Note}); err != nil {
			return err
		}
		out = &Changed{Timesheet: t}
		return out.reload(ctx, c)
	})
	return out, err
}

// EscalatedTimesheets is staff's queue: disputes taken to them, undecided
// ones unless decided is true, oldest timesheets first.
func (m *Market) EscalatedTimesheets(ctx context.Context, first *int, after *entgql.Cursor[string], decided bool) (*ent.TimesheetConnection, error) {
	if _, err := staff(ctx, "see escalated timesheets"); err != nil {
		return nil, err
	}
	q := m.client(ctx).Timesheet.Query().Where(timesheet.EscalatedAtNotNil())
	if decided {
		q.Where(timesheet.StatusEQ(timesheet.StatusRESOLVED))
	} else {
		q.Where(timesheet.StatusNEQ(timesheet.StatusRESOLVED))
	}
	return q.Paginate(ctx, after, first, nil, nil)
}
