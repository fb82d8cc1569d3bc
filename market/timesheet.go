package market

import (
	"context"
	"strings"
	"time"

	"flexwork/ent"
	"flexwork/ent/assignment"
	"flexwork/ent/creditevent"
	"flexwork/ent/employer"
	"flexwork/ent/rule"
	"flexwork/ent/shift"
	"flexwork/ent/timesheet"
	"flexwork/ent/workerprofile"
)

// Timesheet deadlines.
const (
	AutoApproveAfter = 72 * time.Hour // a submitted timesheet the employer leaves alone is approved
	DisputeWindow    = 48 * time.Hour // after approval, the worker may dispute
)

// ApproveInput approves a timesheet, optionally with other minutes.
type ApproveInput struct {
	TimesheetID     string  `json:"timesheetID" validate:"required"`
	ApprovedMinutes *int    `json:"approvedMinutes" validate:"omitempty,gte=0,lte=1440"`
	Reason          *string `json:"reason" validate:"omitempty,max=500"`
}

// ApproveTimesheet fixes the minutes worked and the amount owed, and starts
// the 7-day payment deadline. Changing the worker's minutes needs a reason
// they will read. A disputed timesheet is approved again the same way.
func (m *Market) ApproveTimesheet(ctx context.Context, in ApproveInput) (*ent.Timesheet, error) {
	if err := Validate(in); err != nil {
		return nil, err
	}
	var out *ent.Timesheet
	err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		t, err := c.Timesheet.Query().Where(timesheet.ID(in.TimesheetID)).WithAssignment(func(q *ent.AssignmentQuery) { q.WithShift() }).Only(ctx)
		if ent.IsNotFound(err) {
			return NotFound("timesheet")
		}
		if err != nil {
			return err
		}
		if _, err := manager(ctx, t.EmployerID, "approve timesheets"); err != nil {
			return err
		}
		minutes := t.WorkedMinutes
		if in.ApprovedMinutes != nil {
			minutes = *in.ApprovedMinutes
		}
		reason := ""
		if in.Reason != nil {
			reason = strings.TrimSpace(*in.Reason)
		}
		if minutes != t.WorkedMinutes && reason == "" {
			return BadInput("reason", "say why the minutes differ from the worker's")
		}
		return m.approve(ctx, c, t, minutes, reason, false, &out)
	})
	return out, err
}

// approve is the approval both the employer and the auto-approval job make.
func (m *Market) approve(ctx context.Context, c *ent.Client, t *ent.Timesheet, minutes int, reason string, auto bool, out **ent.Timesheet) error {
	now := m.Now()
	s := t.Edges.Assignment.Edges.Shift
	amount := s.PayRate
	if s.PayUnit == shift.PayUnitHOUR {
		amount = (s.PayRate*int64(minutes) + 30) / 60 // to the nearest minor unit
	}
	n, err := c.Timesheet.Update().
		Where(timesheet.ID(t.ID), timesheet.StatusIn(timesheet.StatusSUBMITTED, timesheet.StatusDISPUTED)).
		SetStatus(timesheet.StatusAPPROVED).SetApprovedMinutes(minutes).SetAdjustmentReason(reason).
		SetApprovedAt(now).SetNillableApprovedByID(nonEmpty(actor(ctx))).SetAutoApproved(auto).
		SetAmountOwed(amount).SetPaymentDueAt(now.Add(PaymentTerm)).SetPaymentStatus(timesheet.PaymentStatusUNPAID).
		Save(ctx)
	if err != nil {
		return err
	}
	if n == 0 {
		return Conflict("the timesheet is %s", humanStatus(t.Status.String()))
	}
	sys := rule.System(ctx)
	if t.Status == timesheet.StatusSUBMITTED { // first approval: the shift counts as completed
		if err := c.Assignment.UpdateOneID(t.AssignmentID).SetStatus(assignment.StatusAPPROVED).Exec(sys); err != nil {
			return err
		}
		if err := c.WorkerProfile.Update().Where(workerprofile.ID(t.WorkerID)).AddCompletedShifts(1).Exec(sys); err != nil {
			return err
		}
		if _, err := m.recordCredit(ctx, c, creditFact{kind: creditevent.KindSHIFT_COMPLETED, workerID: t.WorkerID, sourceID: t.AssignmentID}); err != nil {
			return err
		}
		if auto {
			if _, err := m.recordCredit(ctx, c, creditFact{kind: creditevent.KindTIMESHEET_AUTO_APPROVED, employerID: t.EmployerID, sourceID: t.ID}); err != nil {
				return err
			}
		}
	}
	if _, err := m.appendLedger(ctx, c, LedgerTimesheetApproved, t.ID, actor(ctx), map[string]any{
		"assignment": t.AssignmentID, "minutes": minutes, "amount": amount, "currency": t.Currency,
		"auto": auto, "reason": reason,
	}); err != nil {
		return err
	}
	if err := m.emit(ctx, c, Event{Kind: TimesheetApproved, ID: t.ID, ShiftID: s.ID, WorkerID: t.WorkerID,
		EmployerID: t.EmployerID, Title: s.Title}); err != nil {
		return err
	}
	*out, err = c.Timesheet.Get(sys, t.ID)
	return err
}

// AutoApproveTimesheets approves, as submitted, every timesheet the
// employer has left alone for 72 hours. A job runs it.
func (m *Market) AutoApproveTimesheets(ctx context.Context) (int, error) {
	ctx = rule.System(ctx)
	due, err := m.db.Timesheet.Query().
		Where(timesheet.StatusEQ(timesheet.StatusSUBMITTED), timesheet.SubmittedAtLTE(m.Now().Add(-AutoApproveAfter))).
		WithAssignment(func(q *ent.AssignmentQuery) { q.WithShift() }).All(ctx)
	if err != nil {
		return 0, err
	}
	done := 0
	for _, t := range due {
		err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
			var out *ent.Timesheet
			return m.approve(ctx, c, t, t.WorkedMinutes, "approved automatically: the employer did not act within 72 hours", true, &out)
		})
		if err == nil {
			done++
		} else if _, ok := AsError(err); !ok { // a conflict means someone approved it meanwhile
			return done, err
		}
	}
	return done, nil
}

// DisputeTimesheet lets the worker contest an approval within 48 hours.
func (m *Market) DisputeTimesheet(ctx context.Context, id, reason string) (*ent.Timesheet, error) {
	v, err := worker(ctx)
	if err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || len(reason) > 1000 {
		return nil, BadInput("reason", "say what is wrong, in at most 1000 characters")
	}
	var out *ent.Timesheet
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		t, err := c.Timesheet.Get(ctx, id)
		if ent.IsNotFound(err) {
			return NotFound("timesheet")
		}
		if err != nil {
			return err
		}
		if t.WorkerID != v.WorkerID {
			return Forbidden("only the worker disputes their timesheet")
		}
		now := m.Now()
		if t.ApprovedAt == nil || now.After(t.ApprovedAt.Add(DisputeWindow)) {
			return Conflict("a timesheet can be disputed within 48 hours of its approval")
		}
		n, err := c.Timesheet.Update().Where(timesheet.ID(id), timesheet.StatusEQ(timesheet.StatusAPPROVED)).
			SetStatus(timesheet.StatusDISPUTED).SetDisputedAt(now).SetDisputeReason(reason).Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return Conflict("the timesheet is %s", humanStatus(t.Status.String()))
		}
		if _, err := m.appendLedger(ctx, c, LedgerTimesheetDisputed, id, v.UserID, map[string]any{"reason": reason}); err != nil {
			return err
		}
		out, err = c.Timesheet.Get(ctx, id)
		return err
	})
	return out, err
}

// MarkPaid records the employer's payment of an approved timesheet, on time
// or late; the employer's public pay record counts it.
func (m *Market) MarkPaid(ctx context.Context, id, reference string) (*ent.Timesheet, error) {
	reference = strings.TrimSpace(reference)
	if reference == "" || len(reference) > 120 {
		return nil, BadInput("reference", "give the payment's reference, in at most 120 characters")
	}
	var out *ent.Timesheet
	err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		t, err := c.Timesheet.Get(ctx, id)
		if ent.IsNotFound(err) {
			return NotFound("timesheet")
		}
		if err != nil {
			return err
		}
		if _, err := manager(ctx, t.EmployerID, "mark payments"); err != nil {
			return err
		}
		now := m.Now()
		n, err := c.Timesheet.Update().
			Where(timesheet.ID(id), timesheet.PaymentStatusIn(timesheet.PaymentStatusUNPAID, timesheet.PaymentStatusOVERDUE)).
			SetPaymentStatus(timesheet.PaymentStatusMARKED_PAID).SetPaidAt(now).SetPaymentReference(reference).Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return Conflict("payment is %s", humanStatus(t.PaymentStatus.String()))
		}
		onTime := t.PaymentDueAt != nil && !now.After(*t.PaymentDueAt)
		sys := rule.System(ctx)
		up := c.Employer.Update().Where(employer.ID(t.EmployerID))
		if onTime {
			up.AddPaidOnTime(1)
		} else {
			up.AddPaidLate(1)
		}
		if err := up.Exec(sys); err != nil {
			return err
		}
		if err := c.Assignment.UpdateOneID(t.AssignmentID).SetStatus(assignment.StatusPAID).Exec(sys); err != nil {
			return err
		}
		paid := creditevent.KindWAGE_PAID_ON_TIME
		if !onTime {
			paid = creditevent.KindWAGE_PAID_LATE
		}
		if _, err := m.recordCredit(ctx, c, creditFact{kind: paid, employerID: t.EmployerID, sourceID: id}); err != nil {
			return err
		}
		if _, err := m.appendLedger(ctx, c, LedgerPaymentMarked, id, actor(ctx), map[string]any{
			"amount": t.AmountOwed, "currency": t.Currency, "reference": reference, "onTime": onTime,
		}); err != nil {
			return err
		}
		if err := m.emit(ctx, c, Event{Kind: PaymentMarked, ID: id, WorkerID: t.WorkerID, EmployerID: t.EmployerID}); err != nil {
			return err
		}
		out, err = c.Timesheet.Get(ctx, id)
		return err
	})
	return out, err
}

// ConfirmPayment is the worker saying the money arrived.
func (m *Market) ConfirmPayment(ctx context.Context, id string) (*ent.Timesheet, error) {
	v, err := worker(ctx)
	if err != nil {
		return nil, err
	}
	var out *ent.Timesheet
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		t, err := c.Timesheet.Get(ctx, id)
		if ent.IsNotFound(err) {
			return NotFound("timesheet")
		}
		if err != nil {
			return err
		}
		if t.WorkerID != v.WorkerID {
			return Forbidden("only the worker confirms a payment")
		}
		n, err := c.Timesheet.Update().Where(timesheet.ID(id), timesheet.PaymentStatusEQ(timesheet.PaymentStatusMARKED_PAID)).
			SetPaymentStatus(timesheet.PaymentStatusCONFIRMED).SetPaymentConfirmedAt(m.Now()).Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return Conflict("only a payment marked as made can be confirmed; it is %s", humanStatus(t.PaymentStatus.String()))
		}
		if _, err := m.appendLedger(ctx, c, LedgerPaymentConfirmed, id, v.UserID, nil); err != nil {
			return err
		}
		out, err = c.Timesheet.Get(ctx, id)
		return err
	})
	return out, err
}

// FlagOverduePayments marks unpaid timesheets past their deadline overdue,
// each with a ledger entry. A job runs it.
func (m *Market) FlagOverduePayments(ctx context.Context) (int, error) {
	ctx = rule.System(ctx)
	n := 0
	err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		due, err := c.Timesheet.Query().Where(timesheet.PaymentStatusEQ(timesheet.PaymentStatusUNPAID),
			timesheet.PaymentDueAtLT(m.Now())).All(ctx)
		if err != nil {
			return err
		}
		for _, t := range due {
			k, err := c.Timesheet.Update().Where(timesheet.ID(t.ID), timesheet.PaymentStatusEQ(timesheet.PaymentStatusUNPAID)).
				SetPaymentStatus(timesheet.PaymentStatusOVERDUE).Save(ctx)
			if err != nil {
				return err
			}
			if k == 0 {
				continue
			}
			n++
			if _, err := m.appendLedger(ctx, c, LedgerPaymentOverdue, t.ID, "", map[string]any{
				"employer": t.EmployerID, "dueAt": t.PaymentDueAt,
			}); err != nil {
				return err
			}
			if err := m.emit(ctx, c, Event{Kind: PaymentOverdue, ID: t.ID, WorkerID: t.WorkerID, EmployerID: t.EmployerID}); err != nil {
				return err
			}
			if _, err := m.recordCredit(ctx, c, creditFact{kind: creditevent.KindWAGE_OVERDUE, employerID: t.EmployerID, sourceID: t.ID}); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
