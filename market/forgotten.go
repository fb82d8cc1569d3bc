package market

import (
	"context"
	"strings"
	"time"

	"flexwork/ent"
	"flexwork/ent/assignment"
	"flexwork/ent/rule"
	"flexwork/ent/timesheet"
)

// A forgotten check-out must not cost a wage. Three ways back: the sweep
// closes a check-in left open past the check-out window at the shift's
// end, for the employer to review; the worker says when they really left
// (ClaimTime); the employer records the times and approves them
// (RecordTime), for a forgotten check-out or a forgotten check-in alike.

// LedgerTimeRecorded records times an employer recorded for a worker;
// LedgerTimeClaimed a worker's claim of when they left; LedgerCheckOutMissed
// a check-in the sweep closed.
const (
	LedgerTimeRecorded   = "TIME_RECORDED"
	LedgerTimeClaimed    = "TIME_CLAIMED"
	LedgerCheckOutMissed = "CHECK_OUT_MISSED"
)

// RecordTimeInput is the time a worker worked, as the employer records it.
type RecordTimeInput struct {
	AssignmentID string    `json:"assignmentID" validate:"required"`
	CheckedInAt  time.Time `json:"checkedInAt"`
	CheckedOutAt time.Time `json:"checkedOutAt"`
	Reason       string    `json:"reason" validate:"required,min=3,max=500"`
}

// RecordTime is the employer recording, and approving, the time of a
// worker who could not check in or out: for a hire not checked in once the
// shift has started, one still checked in, or one whose timesheet waits for
// approval. The worker may dispute it as any approval.
func (m *Market) RecordTime(ctx context.Context, in RecordTimeInput) (*Changed, error) {
	in.Reason = strings.TrimSpace(in.Reason)
	if err := Validate(in); err != nil {
		return nil, err
	}
	var out *Changed
	err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		a, err := employerAssignment(ctx, c, in.AssignmentID, "record time")
		if err != nil {
			return err
		}
		s, now := a.Edges.Shift, m.Now()
		ts, err := a.QueryTimesheet().Only(rule.System(ctx))
		switch {
		case ent.IsNotFound(err):
			ts = nil
		case err != nil:
			return err
		}
		switch {
		case a.Status == assignment.StatusSCHEDULED && now.Before(s.StartsAt):
			return State(CodeCheckInNotOpen, "the shift has not started yet")
		case a.Status == assignment.StatusSCHEDULED, a.Status == assignment.StatusCHECKED_IN:
		case a.Status == assignment.StatusCHECKED_OUT && ts != nil && ts.Status == timesheet.StatusSUBMITTED:
		case ts != nil:
			return State(CodeTimesheetNotOpen, "the timesheet is %s; the worker disputes an approval, the employer approves again", humanStatus(ts.Status.String()))
		default:
			return State(CodeAssignmentNotScheduled, "the hire is %s", humanStatus(a.Status.String()))
		}
		if err := recordedTimes(s, in.CheckedInAt, in.CheckedOutAt, now); err != nil {
			return err
		}
		worked := workedMinutes(s, in.CheckedInAt, in.CheckedOutAt)
		if err := c.Assignment.UpdateOneID(a.ID).SetStatus(assignment.StatusCHECKED_OUT).
			SetCheckedInAt(in.CheckedInAt).SetCheckedOutAt(in.CheckedOutAt).Exec(rule.System(ctx)); err != nil {
			return err
		}
		if ts == nil {
			if ts, err = c.Timesheet.Create().SetAssignmentID(a.ID).SetWorkerID(a.WorkerID).SetEmployerID(a.EmployerID).SetNillableAgencyID(a.AgencyID).
				SetWorkedMinutes(worked).SetSubmittedAt(now).SetCurrency(s.Currency).
				SetSource(timesheet.SourceRECORDED_BY_EMPLOYER).Save(rule.System(ctx)); err != nil {
				return err
			}
			if err := m.emit(ctx, c, Event{Kind: ReviewRequested, ID: a.ID, ShiftID: a.ShiftID, WorkerID: a.WorkerID,
				EmployerID: a.EmployerID, Title: s.Title}); err != nil {
				return err
			}
		} else if ts, err = c.Timesheet.UpdateOneID(ts.ID).SetWorkedMinutes(worked).
			SetSource(timesheet.SourceRECORDED_BY_EMPLOYER).Save(rule.System(ctx)); err != nil {
			return err
		}
		if _, err := m.appendLedger(ctx, c, LedgerTimeRecorded, a.ID, actor(ctx), map[string]any{
			"checkedInAt": in.CheckedInAt, "checkedOutAt": in.CheckedOutAt, "workedMinutes": worked, "reason": in.Reason,
		}); err != nil {
			return err
		}
		if ts, err = c.Timesheet.Query().Where(timesheet.ID(ts.ID)).WithAssignment(func(q *ent.AssignmentQuery) { q.WithShift() }).
			Only(rule.System(ctx)); err != nil {
			return err
		}
		var approved *ent.Timesheet
		if err := m.approve(ctx, c, ts, worked, in.Reason, false, &approved); err != nil {
			return err
		}
		out = &Changed{Assignment: a, Timesheet: approved}
		return out.reload(ctx, c)
	})
	return out, err
}

// recordedTimes refuses times that cannot be a shift's: check-in from 30
// minutes before the start, check-out after it and no later than the
// check-out window or now.
func recordedTimes(s *ent.Shift, in, out, now time.Time) error {
	var errs []error
	if in.Before(s.StartsAt.Add(-checkInOpens)) || in.After(s.EndsAt) {
		errs = append(errs, BadInput("checkedInAt", "must fall between 30 minutes before the start and the end of the shift"))
	}
	switch {
	case !out.After(in):
		errs = append(errs, BadInput("checkedOutAt", "must be after checkedInAt"))
	case out.After(s.EndsAt.Add(checkOutCloses)) || out.After(now):
		errs = append(errs, BadInput("checkedOutAt", "must be no later than 4 hours after the end, and not in the future"))
	}
	return joinInputErrors(errs...)
}

// workedMinutes is the time from the later of check-in and the start to
// check-out, less the unpaid break.
func workedMinutes(s *ent.Shift, in, out time.Time) int {
	if in.Before(s.StartsAt) {
		in = s.StartsAt
	}
	return max(0, int(out.Sub(in).Minutes())-s.UnpaidBreakMinutes)
}

// ClaimTimeInput is when a worker who could not check out says they left.
type ClaimTimeInput struct {
	AssignmentID string    `json:"assignmentID" validate:"required"`
	CheckedOutAt time.Time `json:"checkedOutAt"`
	Note         string    `json:"note" validate:"max=500"`
}

// ClaimTime is the worker saying when they left, once the check-out window
// has closed on them: the check-in is closed as the sweep would (at the
// shift's end, for review), the claim is kept beside it, and the employer
// is told, to confirm it by recording the time.
func (m *Market) ClaimTime(ctx context.Context, in ClaimTimeInput) (*Changed, error) {
	in.Note = strings.TrimSpace(in.Note)
	if err := Validate(in); err != nil {
		return nil, err
	}
	var out *Changed
	err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		a, userID, err := workerAssignment(ctx, c, in.AssignmentID)
		if err != nil {
			return err
		}
		s, now := a.Edges.Shift, m.Now()
		switch {
		case a.Status == assignment.StatusCHECKED_IN && !now.After(s.EndsAt.Add(checkOutCloses)):
			return State(CodeCheckOutStillOpen, "check out in the app: check-out is open until 4 hours after the end, %s",
				s.EndsAt.Add(checkOutCloses).In(shiftLocation(s)).Format("Mon 2 Jan 15:04"))
		case a.Status == assignment.StatusCHECKED_IN:
			if err := m.closeCheckIn(ctx, c, a); err != nil {
				return err
			}
		}
		ts, err := c.Timesheet.Query().Where(timesheet.AssignmentID(a.ID)).Only(rule.System(ctx))
		if ent.IsNotFound(err) || (err == nil && (ts.Source != timesheet.SourceCLOSED_AFTER_SHIFT || ts.Status != timesheet.StatusSUBMITTED)) {
			return State(CodeTimesheetNotOpen, "only a check-in the system closed, not yet approved, takes a claim")
		}
		if err != nil {
			return err
		}
		if a.CheckedInAt == nil || !in.CheckedOutAt.After(*a.CheckedInAt) || in.CheckedOutAt.After(s.EndsAt.Add(checkOutCloses)) {
			return BadInput("checkedOutAt", "must be after your check-in and no later than 4 hours after the end")
		}
		if ts.ClaimedCheckOutAt != nil && ts.ClaimedCheckOutAt.Equal(in.CheckedOutAt) && ts.ClaimNote == in.Note {
			out = &Changed{Assignment: a, Timesheet: ts} // a retry: claimed already
			return out.reload(ctx, c)
		}
		if ts, err = c.Timesheet.UpdateOneID(ts.ID).SetClaimedCheckOutAt(in.CheckedOutAt).SetClaimNote(in.Note).Save(rule.System(ctx)); err != nil {
			return err
		}
		if _, err := m.appendLedger(ctx, c, LedgerTimeClaimed, a.ID, userID, map[string]any{
			"checkedOutAt": in.CheckedOutAt, "note": in.Note,
		}); err != nil {
			return err
		}
		if err := m.emit(ctx, c, Event{Kind: TimeClaimed, ID: ts.ID, ShiftID: a.ShiftID, WorkerID: a.WorkerID,
			EmployerID: a.EmployerID, Title: s.Title, When: in.CheckedOutAt}); err != nil {
			return err
		}
		out = &Changed{Assignment: a, Timesheet: ts}
		return out.reload(ctx, c)
	})
	return out, err
}

// CloseForgottenCheckIns closes every check-in left open past the check-out
// window: the time counts to the shift's end, the timesheet waits for the
// employer's review, and both parties are told. The sweep runs it.
func (m *Market) CloseForgottenCheckIns(ctx context.Context) (int, error) {
	ctx = rule.System(ctx)
	open, err := m.db.Assignment.Query().Where(assignment.StatusEQ(assignment.StatusCHECKED_IN),
		assignment.EndsAtLT(m.Now().Add(-checkOutCloses))).IDs(ctx)
	if err != nil {
		return 0, err
	}
	for _, id := range open {
		if err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
			a, err := c.Assignment.Query().Where(assignment.ID(id), assignment.StatusEQ(assignment.StatusCHECKED_IN)).WithShift().Only(ctx)
			if ent.IsNotFound(err) {
				return nil // checked out, or closed by a claim, meanwhile
			}
			if err != nil {
				return err
			}
			return m.closeCheckIn(ctx, c, a)
		}); err != nil {
			return 0, err
		}
	}
	return len(open), nil
}

// closeCheckIn ends an assignment left checked in at its shift's end, with
// a timesheet for the employer to review.
func (m *Market) closeCheckIn(ctx context.Context, c *ent.Client, a *ent.Assignment) error {
	sys := rule.System(ctx)
	s, now := a.Edges.Shift, m.Now()
	n, err := c.Assignment.Update().Where(assignment.ID(a.ID), assignment.StatusEQ(assignment.StatusCHECKED_IN)).
		SetStatus(assignment.StatusCHECKED_OUT).SetCheckedOutAt(s.EndsAt).Save(sys)
	if err != nil || n == 0 {
		return err
	}
	worked := workedMinutes(s, *a.CheckedInAt, s.EndsAt)
	if err := c.Timesheet.Create().SetAssignmentID(a.ID).SetWorkerID(a.WorkerID).SetEmployerID(a.EmployerID).SetNillableAgencyID(a.AgencyID).
		SetWorkedMinutes(worked).SetSubmittedAt(now).SetCurrency(s.Currency).
		SetSource(timesheet.SourceCLOSED_AFTER_SHIFT).Exec(sys); err != nil {
		return err
	}
	if _, err := m.appendLedger(ctx, c, LedgerCheckOutMissed, a.ID, "", map[string]any{
		"checkedOutAt": s.EndsAt, "workedMinutes": worked,
	}); err != nil {
		return err
	}
	for _, kind := range []EventKind{CheckOutMissed, AssignmentCheckedOut, ReviewRequested} {
		if err := m.emit(ctx, c, Event{Kind: kind, ID: a.ID, ShiftID: a.ShiftID, WorkerID: a.WorkerID,
			EmployerID: a.EmployerID, Title: s.Title}); err != nil {
			return err
		}
	}
	return nil
}
