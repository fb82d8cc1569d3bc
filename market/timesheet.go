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
	// ConfirmWindow is how long a worker has to confirm a payment marked as
	// made, or say it did not arrive; silence after it counts as received.
	ConfirmWindow = 7 * 24 * time.Hour
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
func (m *Market) ApproveTimesheet(ctx context.Context, in ApproveInput) (*Changed, error) {
	if err := Validate(in); err != nil {
		return nil, err
	}
	var out *Changed
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
		proposed := t.ProposedMinutes != nil && minutes == *t.ProposedMinutes
		if minutes != t.WorkedMinutes && !proposed && reason == "" {
			return BadInput("reason", "say why the minutes differ from the worker's")
		}
		var ts *ent.Timesheet
		if err := m.approve(ctx, c, t, minutes, reason, false, &ts); err != nil {
			return err
		}
		out = &Changed{Timesheet: ts, Assignment: &ent.Assignment{ID: ts.AssignmentID}}
		return out.reload(ctx, c)
	})
	return out, err
}

// approve is the approval both the employer and the auto-approval job make.
func (m *Market) approve(ctx context.Context, c *ent.Client, t *ent.Timesheet, minutes int, reason string, auto bool, out **ent.Timesheet) error {
	now := m.Now()
	s := t.Edges.Assignment.Edges.Shift
	amount := wageFor(termsOf(s, t.Edges.Assignment), minutes)
	up := c.Timesheet.Update().
		Where(timesheet.ID(t.ID), timesheet.StatusIn(timesheet.StatusSUBMITTED, timesheet.StatusDISPUTED),
			timesheet.EscalatedAtIsNil(), timesheet.PaymentStatusNEQ(timesheet.PaymentStatusCONFIRMED)).
		SetStatus(timesheet.StatusAPPROVED).SetApprovedMinutes(minutes).SetAdjustmentReason(reason).
		SetApprovedAt(now).SetNillableApprovedByID(nonEmpty(actor(ctx))).SetAutoApproved(auto).SetAmountOwed(amount)
	owe(up, t, amount, now, paymentTerm(s))
	n, err := up.Save(ctx)
	if err != nil {
		return err
	}
	if n == 0 {
		cur, err := c.Timesheet.Get(ctx, t.ID)
		if err != nil {
			return err
		}
		if cur.Status == timesheet.StatusAPPROVED && cur.ApprovedMinutes != nil && *cur.ApprovedMinutes == minutes {
			*out = cur // a retry: approved as asked
			return nil
		}
		if cur.PaymentStatus == timesheet.PaymentStatusCONFIRMED {
			return State(CodePaymentFinal, "the worker confirmed the payment; it is final")
		}
		if cur.EscalatedAt != nil {
			return State(CodeTimesheetEscalated, "the dispute is with staff, who decide it")
		}
		return State(CodeTimesheetNotOpen, "the timesheet is %s", humanStatus(cur.Status.String()))
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
	if err := m.releaseApproved(ctx, c, t.ID); err != nil {
		return err
	}
	if err := m.emit(ctx, c, Event{Kind: TimesheetApproved, ID: t.ID, ShiftID: s.ID, WorkerID: t.WorkerID,
		EmployerID: t.EmployerID, Title: s.Title}); err != nil {
		return err
	}
	*out, err = c.Timesheet.Get(sys, t.ID)
	return err
}

// wageFor is the pay for minutes of a shift, to the nearest minor unit.
func wageFor(s *ent.Shift, minutes int) int64 {
	if s.PayUnit == shift.PayUnitHOUR {
		return (s.PayRate*int64(minutes) + 30) / 60
	}
	return s.PayRate
}

// payer checks the viewer may mark a timesheet paid: a manager of the
// employer, or of the agency or contractor that employs the worker and, by
// the contract, pays the wage.
func payer(ctx context.Context, t *ent.Timesheet) error {
	_, err := manager(ctx, t.EmployerID, "mark payments")
	if err != nil && t.AgencyID != nil {
		if _, agencyErr := manager(ctx, *t.AgencyID, "mark payments"); agencyErr == nil {
			return nil
		}
	}
	return err
}

// paymentTerm is the time the shift's contract gives to pay: its pay cycle.
func paymentTerm(s *ent.Shift) time.Duration {
	if s.PayCycleDays <= 0 {
		return PaymentTerm
	}
	return time.Duration(s.PayCycleDays) * 24 * time.Hour
}

// owe sets what an approval (or a decision) changes about the payment.
func owe(up *ent.TimesheetUpdate, t *ent.Timesheet, amount int64, now time.Time, term time.Duration) {
	switch {
	case t.Status == timesheet.StatusSUBMITTED:
		up.SetPaymentDueAt(now.Add(term)).SetPaymentStatus(timesheet.PaymentStatusUNPAID)
	case t.AmountOwed != nil && *t.AmountOwed == amount:
		// Approved again for the same amount: a payment marked stays marked.
	case t.PaymentStatus != timesheet.PaymentStatusOVERDUE:
		// Another amount is owed: marked or not, it is to be paid (and
		// marked) again — by the first deadline, which a dispute does not
		// move.
		up.SetPaymentStatus(timesheet.PaymentStatusUNPAID)
	}
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
func (m *Market) DisputeTimesheet(ctx context.Context, id, reason string) (*Changed, error) {
	v, err := worker(ctx)
	if err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || len(reason) > 1000 {
		return nil, BadInput("reason", "say what is wrong, in at most 1000 characters")
	}
	var out *Changed
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
		if t.Status == timesheet.StatusDISPUTED && t.DisputeReason == reason {
			out = &Changed{Timesheet: t} // a retry: disputed already
			return nil
		}
		if t.PaymentStatus == timesheet.PaymentStatusCONFIRMED {
			return State(CodePaymentFinal, "you confirmed the payment; it is final")
		}
		if t.Source == timesheet.SourceCANCELLATION_FEE {
			return State(CodeNotDisputable, "a cancellation fee is fixed by the contract; it is not disputed like hours")
		}
		if t.EscalatedAt != nil {
			return State(CodeTimesheetEscalated, "the dispute is with staff, who decide it")
		}
		if t.ApprovedAt == nil || now.After(t.ApprovedAt.Add(DisputeWindow)) {
			return State(CodeDisputeWindowClosed, "a timesheet can be disputed within 48 hours of its approval")
		}
		n, err := c.Timesheet.Update().Where(timesheet.ID(id), timesheet.StatusEQ(timesheet.StatusAPPROVED),
			timesheet.EscalatedAtIsNil(), timesheet.PaymentStatusNEQ(timesheet.PaymentStatusCONFIRMED)).
			SetStatus(timesheet.StatusDISPUTED).SetDisputedAt(now).SetDisputeReason(reason).Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return State(CodeTimesheetNotOpen, "the timesheet is %s", humanStatus(t.Status.String()))
		}
		if _, err := m.appendLedger(ctx, c, LedgerTimesheetDisputed, id, v.UserID, map[string]any{"reason": reason}); err != nil {
			return err
		}
		if err := m.holdDisputed(ctx, c, t); err != nil {
			return err
		}
		if err := m.emit(ctx, c, Event{Kind: TimesheetDisputed, ID: id, WorkerID: t.WorkerID, EmployerID: t.EmployerID, Detail: reason}); err != nil {
			return err
		}
		out = &Changed{Timesheet: t}
		return out.reload(ctx, c)
	})
	return out, err
}

// MarkPaid records the employer's word that it paid an approved timesheet.
// It counts on the employer's record only once the worker confirms the
// money arrived (or a week passes without an answer): see creditPayment.
func (m *Market) MarkPaid(ctx context.Context, id, reference string) (*Changed, error) {
	reference = strings.TrimSpace(reference)
	if reference == "" || len(reference) > 120 {
		return nil, BadInput("reference", "give the payment's reference, in at most 120 characters")
	}
	var out *Changed
	err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		t, err := c.Timesheet.Get(ctx, id)
		if ent.IsNotFound(err) {
			return NotFound("timesheet")
		}
		if err != nil {
			return err
		}
		if err := payer(ctx, t); err != nil {
			return err
		}
		now := m.Now()
		n, err := c.Timesheet.Update().
			Where(timesheet.ID(id), timesheet.StatusIn(timesheet.StatusAPPROVED, timesheet.StatusRESOLVED), timesheet.PaymentStatusIn(
				timesheet.PaymentStatusUNPAID, timesheet.PaymentStatusOVERDUE, timesheet.PaymentStatusNOT_RECEIVED)).
			SetPaymentStatus(timesheet.PaymentStatusMARKED_PAID).SetPaidAt(now).SetPaymentReference(reference).Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			if t.PaymentStatus == timesheet.PaymentStatusMARKED_PAID && t.PaymentReference == reference {
				out = &Changed{Timesheet: t} // a retry: marked already
				return nil
			}
			switch {
			case t.Status != timesheet.StatusAPPROVED && t.Status != timesheet.StatusRESOLVED:
				return State(CodeTimesheetNotOpen, "only an approved timesheet is paid; this one is %s", humanStatus(t.Status.String()))
			case t.PaymentStatus == timesheet.PaymentStatusCONFIRMED:
				return State(CodePaymentFinal, "the worker confirmed the payment; it is final")
			}
			return State(CodePaymentAlreadyMarked, "payment is %s", humanStatus(t.PaymentStatus.String()))
		}
		if _, err := m.appendLedger(ctx, c, LedgerPaymentMarked, id, actor(ctx), map[string]any{
			"amount": t.AmountOwed, "currency": t.Currency, "reference": reference,
		}); err != nil {
			return err
		}
		if err := m.emit(ctx, c, Event{Kind: PaymentMarked, ID: id, WorkerID: t.WorkerID, EmployerID: t.EmployerID}); err != nil {
			return err
		}
		out = &Changed{Timesheet: t}
		return out.reload(ctx, c)
	})
	return out, err
}

// ConfirmPayment is the worker saying the money arrived. The confirmation
// is final, and the payment now counts on the employer's record.
func (m *Market) ConfirmPayment(ctx context.Context, id string) (*Changed, error) {
	v, err := worker(ctx)
	if err != nil {
		return nil, err
	}
	var out *Changed
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
		var ts *ent.Timesheet
		if err := m.confirm(ctx, c, t, false, v.UserID, &ts); err != nil {
			return err
		}
		out = &Changed{Timesheet: ts, Assignment: &ent.Assignment{ID: ts.AssignmentID}}
		return out.reload(ctx, c)
	})
	return out, err
}

// confirm moves a marked payment to confirmed and credits it.
func (m *Market) confirm(ctx context.Context, c *ent.Client, t *ent.Timesheet, auto bool, by string, out **ent.Timesheet) error {
	now := m.Now()
	n, err := c.Timesheet.Update().Where(timesheet.ID(t.ID), timesheet.PaymentStatusEQ(timesheet.PaymentStatusMARKED_PAID)).
		SetPaymentStatus(timesheet.PaymentStatusCONFIRMED).SetPaymentConfirmedAt(now).SetPaymentAutoConfirmed(auto).Save(ctx)
	if err != nil {
		return err
	}
	if n == 0 {
		if t.PaymentStatus == timesheet.PaymentStatusCONFIRMED {
			*out = t // a retry: confirmed already
			return nil
		}
		if t.PaymentStatus == timesheet.PaymentStatusCONFIRMED {
			return State(CodePaymentFinal, "the payment is confirmed already")
		}
		return State(CodePaymentNotMarked, "only a payment marked as made can be confirmed; it is %s", humanStatus(t.PaymentStatus.String()))
	}
	if _, err := m.appendLedger(ctx, c, LedgerPaymentConfirmed, t.ID, by, map[string]any{"auto": auto}); err != nil {
		return err
	}
	if err := m.creditPayment(ctx, c, t); err != nil {
		return err
	}
	*out, err = c.Timesheet.Get(rule.System(ctx), t.ID)
	return err
}

// creditPayment puts a confirmed payment on the employer's record — on time
// when the employer marked it paid by the deadline — once per timesheet,
// however often it was disputed, approved again and marked again.
func (m *Market) creditPayment(ctx context.Context, c *ent.Client, t *ent.Timesheet) error {
	sys := rule.System(ctx)
	n, err := c.Timesheet.Update().Where(timesheet.ID(t.ID), timesheet.PaymentCreditedAtIsNil()).
		SetPaymentCreditedAt(m.Now()).Save(sys)
	if err != nil || n == 0 {
		return err
	}
	cur, err := c.Timesheet.Get(sys, t.ID)
	if err != nil {
		return err
	}
	onTime := cur.PaidAt != nil && cur.PaymentDueAt != nil && !cur.PaidAt.After(*cur.PaymentDueAt)
	up := c.Employer.Update().Where(employer.ID(payerOf(t)))
	kind := creditevent.KindWAGE_PAID_ON_TIME
	if onTime {
		up.AddPaidOnTime(1)
	} else {
		up.AddPaidLate(1)
		kind = creditevent.KindWAGE_PAID_LATE
	}
	if err := up.Exec(sys); err != nil {
		return err
	}
	// Worked hires are paid; a hire cancelled for a fee stays cancelled.
	if err := c.Assignment.Update().Where(assignment.ID(t.AssignmentID), assignment.StatusEQ(assignment.StatusAPPROVED)).
		SetStatus(assignment.StatusPAID).Exec(sys); err != nil {
		return err
	}
	_, err = m.recordCredit(ctx, c, creditFact{kind: kind, employerID: payerOf(t), sourceID: t.ID})
	return err
}

// payerOf is the organisation whose pay record a wage counts on: the agency
// or contractor that employs the worker where the hire has one (the
// contract makes it the payer), else the employer.
func payerOf(t *ent.Timesheet) string { return paying(t.EmployerID, t.AgencyID) }

// paying is the organisation that pays a hire's wage: its agency or
// contractor where it has one, else the employer.
func paying(employerID string, agencyID *string) string {
	if agencyID != nil {
		return *agencyID
	}
	return employerID
}

// PaymentNotReceived is the worker saying the money marked as paid did not
// arrive: the employer is told and must pay, and mark it, again; past the
// deadline it is overdue.
func (m *Market) PaymentNotReceived(ctx context.Context, id, note string) (*Changed, error) {
	v, err := worker(ctx)
	if err != nil {
		return nil, err
	}
	note = strings.TrimSpace(note)
	if note == "" || len(note) > 500 {
		return nil, BadInput("note", "say what you see (nothing arrived, a smaller amount), in at most 500 characters")
	}
	var out *Changed
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		t, err := c.Timesheet.Get(ctx, id)
		if ent.IsNotFound(err) {
			return NotFound("timesheet")
		}
		if err != nil {
			return err
		}
		if t.WorkerID != v.WorkerID {
			return Forbidden("only the worker answers for a payment")
		}
		now := m.Now()
		n, err := c.Timesheet.Update().Where(timesheet.ID(id), timesheet.PaymentStatusEQ(timesheet.PaymentStatusMARKED_PAID)).
			SetPaymentStatus(timesheet.PaymentStatusNOT_RECEIVED).SetNotReceivedAt(now).SetNotReceivedNote(note).Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			if t.PaymentStatus == timesheet.PaymentStatusNOT_RECEIVED && t.NotReceivedNote == note {
				out = &Changed{Timesheet: t} // a retry
				return nil
			}
			return State(CodePaymentNotMarked, "only a payment marked as made can be answered; it is %s", humanStatus(t.PaymentStatus.String()))
		}
		if _, err := m.appendLedger(ctx, c, LedgerPaymentNotReceived, id, v.UserID, map[string]any{"note": note}); err != nil {
			return err
		}
		if err := m.emit(ctx, c, Event{Kind: PaymentNotReceived, ID: id, WorkerID: t.WorkerID, EmployerID: t.EmployerID}); err != nil {
			return err
		}
		out = &Changed{Timesheet: t}
		return out.reload(ctx, c)
	})
	return out, err
}

// ConfirmUnansweredPayments confirms the payments marked as made a week ago
// that the worker neither confirmed nor said did not arrive. The sweep runs
// it.
func (m *Market) ConfirmUnansweredPayments(ctx context.Context) (int, error) {
	ctx = rule.System(ctx)
	due, err := m.db.Timesheet.Query().Where(timesheet.PaymentStatusEQ(timesheet.PaymentStatusMARKED_PAID),
		timesheet.PaidAtLTE(m.Now().Add(-ConfirmWindow))).All(ctx)
	if err != nil {
		return 0, err
	}
	done := 0
	for _, t := range due {
		err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
			var out *ent.Timesheet
			return m.confirm(ctx, c, t, true, "", &out)
		})
		if err == nil {
			done++
		} else if _, ok := AsError(err); !ok { // answered meanwhile
			return done, err
		}
	}
	return done, nil
}

// FlagOverduePayments marks unpaid timesheets past their deadline overdue,
// each with a ledger entry, and pays the worker at once: from the hire's
// escrow and the payer's funds as far as they go, the rest from the
// guarantee fund, which the payer then owes (release). The worker never
// waits past the contract's deadline. A job runs it.
func (m *Market) FlagOverduePayments(ctx context.Context) (int, error) {
	ctx = rule.System(ctx)
	n := 0
	err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		owed := []timesheet.PaymentStatus{timesheet.PaymentStatusUNPAID, timesheet.PaymentStatusNOT_RECEIVED}
		due, err := c.Timesheet.Query().Where(timesheet.PaymentStatusIn(owed...), timesheet.PaymentDueAtLT(m.Now())).All(ctx)
		if err != nil {
			return err
		}
		for _, t := range due {
			k, err := c.Timesheet.Update().Where(timesheet.ID(t.ID), timesheet.PaymentStatusIn(owed...)).
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
			// Overdue counts against the employer once per timesheet, however
			// often it falls overdue again (marked, not received, overdue).
			first, err := c.Timesheet.Update().Where(timesheet.ID(t.ID), timesheet.OverdueAtIsNil()).SetOverdueAt(m.Now()).Save(ctx)
			if err != nil {
				return err
			}
			if first == 1 {
				if _, err := m.recordCredit(ctx, c, creditFact{kind: creditevent.KindWAGE_OVERDUE, employerID: payerOf(t), sourceID: t.ID}); err != nil {
					return err
				}
			}
			cur, err := c.Timesheet.Query().Where(timesheet.ID(t.ID)).WithAssignment().Only(ctx)
			if err != nil {
				return err
			}
			if _, err := m.release(ctx, c, cur, true); err != nil {
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
