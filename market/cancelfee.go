package market

import (
	"context"

	"flexwork/ent"
	"flexwork/ent/rule"
	"flexwork/ent/timesheet"
)

// LedgerCancellationFee records a fee owed for a late cancellation.
const LedgerCancellationFee = "CANCELLATION_FEE_OWED"

// cancellationFee is what the contract (section 4) owes a worker whose hire
// the employer cancels less than 24 hours before the start: half the pay
// for the scheduled time, the unpaid break left out.
func cancellationFee(s *ent.Shift) int64 { return scheduledWage(s) / 2 }

// oweCancellationFee records the fee of a hire the employer cancelled late
// as a timesheet of no work, approved, with the amount owed and the usual
// payment deadline: it is then paid, confirmed, contested and flagged
// overdue exactly as wages are.
func (m *Market) oweCancellationFee(ctx context.Context, c *ent.Client, s *ent.Shift, a *ent.Assignment) error {
	now, fee := m.Now(), cancellationFee(termsOf(s, a))
	t, err := c.Timesheet.Create().
		SetAssignmentID(a.ID).SetWorkerID(a.WorkerID).SetEmployerID(a.EmployerID).SetNillableAgencyID(a.AgencyID).
		SetSource(timesheet.SourceCANCELLATION_FEE).SetStatus(timesheet.StatusAPPROVED).
		SetWorkedMinutes(0).SetSubmittedAt(now).SetApprovedAt(now).
		SetAdjustmentReason("cancellation fee: the employer cancelled less than 24 hours before the start").
		SetAmountOwed(fee).SetCurrency(s.Currency).
		SetPaymentDueAt(now.Add(paymentTerm(s))).SetPaymentStatus(timesheet.PaymentStatusUNPAID).
		Save(rule.System(ctx)) // the system writes what the contract owes
	if err != nil {
		return err
	}
	if _, err := m.appendLedger(ctx, c, LedgerCancellationFee, t.ID, actor(ctx), map[string]any{
		"assignment": a.ID, "amount": fee, "currency": s.Currency,
	}); err != nil {
		return err
	}
	t.Edges.Assignment = a
	pre, err := prefunded(ctx, c, hirePayer(a))
	if err != nil {
		return err
	}
	if _, err := m.release(ctx, c, t, pre); err != nil { // from the hire's escrow, where it has one
		return err
	}
	return m.emit(ctx, c, Event{Kind: CancellationFeeOwed, ID: t.ID, ShiftID: s.ID, WorkerID: a.WorkerID,
		EmployerID: a.EmployerID, Title: s.Title, When: s.StartsAt})
}
