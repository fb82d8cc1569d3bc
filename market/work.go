package market

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"flexwork/ent"
	"flexwork/ent/assignment"
	"flexwork/ent/contract"
	"flexwork/ent/creditevent"
	"flexwork/ent/rule"
	"flexwork/ent/shift"
	"flexwork/ent/workerprofile"
)

// Time windows of a working day.
const (
	checkInOpens     = 30 * time.Minute // before the start
	noShowGrace      = 30 * time.Minute // after the start, before a no-show may be marked
	checkOutCloses   = 4 * time.Hour    // after the end
	LateCheckInAfter = 10 * time.Minute // after the start, a check-in counts as late
)

// PresenceInput is a check-in or check-out, with where the phone is.
type PresenceInput struct {
	AssignmentID string   `json:"assignmentID" validate:"required"`
	Location     GeoPoint `json:"location"`
}

// workerAssignment loads an assignment of the viewer's.
func workerAssignment(ctx context.Context, c *ent.Client, id string) (*ent.Assignment, string, error) {
	v, err := worker(ctx)
	if err != nil {
		return nil, "", err
	}
	a, err := c.Assignment.Query().Where(assignment.ID(id)).WithShift().WithContract().Only(ctx)
	if ent.IsNotFound(err) {
		return nil, "", NotFound("assignment")
	}
	if err != nil {
		return nil, "", err
	}
	if a.WorkerID != v.WorkerID {
		return nil, "", Forbidden("only the worker of an assignment checks in and out")
	}
	return a, v.UserID, nil
}

// atThePlace refuses a location outside the shift's geofence, saying how
// far off it is.
func atThePlace(s *ent.Shift, at GeoPoint) error {
	d := DistanceKm(at, GeoPoint{Lat: s.Lat, Lng: s.Lng}) * 1000
	if d > float64(s.GeofenceRadiusM) {
		msg := fmt.Sprintf("you are %d m from the place; check in and out within %d m of it", int(math.Round(d)), s.GeofenceRadiusM)
		return &Error{Code: CodeOutsideGeofence, Message: msg, Fields: []FieldError{{Field: "location", Message: msg}},
			Details: map[string]any{"distanceM": int(math.Round(d)), "geofenceRadiusM": s.GeofenceRadiusM}}
	}
	return nil
}

// CheckIn starts the viewer's shift: both parties have signed the contract,
// the phone is inside the geofence, and it is no earlier than 30 minutes
// before the start and before the end.
func (m *Market) CheckIn(ctx context.Context, in PresenceInput) (*Changed, error) {
	if err := Validate(in); err != nil {
		return nil, err
	}
	var out *Changed
	err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		a, userID, err := workerAssignment(ctx, c, in.AssignmentID)
		if err != nil {
			return err
		}
		s, k, now := a.Edges.Shift, a.Edges.Contract, m.Now()
		if k == nil || k.WorkerSignedAt == nil || k.EmployerSignedAt == nil {
			return State(CodeContractNotSigned, "both parties must sign the contract before check-in")
		}
		if k.AgencyID != nil && k.AgencySignedAt == nil {
			return State(CodeContractNotSigned, "the agency must sign the contract too before check-in")
		}
		if err := m.checkCover(ctx, c, a, s); err != nil {
			return err
		}
		if err := checkBriefing(a, s); err != nil {
			return err
		}
		loc := shiftLocation(s)
		switch {
		case now.Before(s.StartsAt.Add(-checkInOpens)):
			return State(CodeCheckInNotOpen, "check-in opens 30 minutes before the start, at %s", s.StartsAt.Add(-checkInOpens).In(loc).Format("Mon 2 Jan 15:04"))
		case !now.Before(s.EndsAt):
			return State(CodeShiftEnded, "the shift ended at %s", s.EndsAt.In(loc).Format("Mon 2 Jan 15:04"))
		}
		if err := atThePlace(s, in.Location); err != nil {
			return err
		}
		n, err := c.Assignment.Update().Where(assignment.ID(a.ID), assignment.StatusEQ(assignment.StatusSCHEDULED)).
			SetStatus(assignment.StatusCHECKED_IN).SetCheckedInAt(now).
			SetCheckInLat(in.Location.Lat).SetCheckInLng(in.Location.Lng).Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			out, err = already(ctx, c, a.ID, assignment.StatusCHECKED_IN, CodeAssignmentNotScheduled, "the assignment is %s")
			return err
		}
		late := now.After(s.StartsAt.Add(LateCheckInAfter))
		if _, err := m.appendLedger(ctx, c, LedgerCheckIn, a.ID, userID, map[string]any{"at": now, "late": late}); err != nil {
			return err
		}
		if late {
			if _, err := m.recordCredit(ctx, c, creditFact{kind: creditevent.KindLATE_CHECK_IN, workerID: a.WorkerID, sourceID: a.ID}); err != nil {
				return err
			}
		}
		if err := m.emit(ctx, c, Event{Kind: AssignmentCheckedIn, ID: a.ID, ShiftID: a.ShiftID, WorkerID: a.WorkerID, EmployerID: a.EmployerID}); err != nil {
			return err
		}
		out = &Changed{Assignment: a}
		return out.reload(ctx, c)
	})
	return out, err
}

// CheckOut ends the viewer's shift inside the geofence and submits the
// timesheet: time from the later of check-in and start to check-out, less
// the unpaid break.
func (m *Market) CheckOut(ctx context.Context, in PresenceInput) (*Changed, error) {
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
		case a.Status == assignment.StatusCHECKED_IN && now.Before(s.StartsAt):
			loc := shiftLocation(s)
			return State(CodeCheckOutTooEarly, "the shift starts at %s; check out after it has started", s.StartsAt.In(loc).Format("Mon 2 Jan 15:04"))
		case a.Status == assignment.StatusCHECKED_IN && now.After(s.EndsAt.Add(checkOutCloses)):
			return State(CodeCheckOutClosed, "check-out closed 4 hours after the end; say when you left (claimTime), and the employer records your time")
		}
		if err := atThePlace(s, in.Location); err != nil {
			return err
		}
		n, err := c.Assignment.Update().Where(assignment.ID(a.ID), assignment.StatusEQ(assignment.StatusCHECKED_IN)).
			SetStatus(assignment.StatusCHECKED_OUT).SetCheckedOutAt(now).
			SetCheckOutLat(in.Location.Lat).SetCheckOutLng(in.Location.Lng).Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			if out, err = already(ctx, c, a.ID, assignment.StatusCHECKED_OUT, CodeNotCheckedIn,
				"you can check out only after checking in; the assignment is %s"); err != nil {
				return err
			}
			if out.Timesheet, err = out.Assignment.QueryTimesheet().Only(ctx); err != nil {
				return err
			}
			return nil
		}
		worked := workedMinutes(s, *a.CheckedInAt, now)
		ts, err := c.Timesheet.Create().
			SetAssignmentID(a.ID).SetWorkerID(a.WorkerID).SetEmployerID(a.EmployerID).SetNillableAgencyID(a.AgencyID).
			SetWorkedMinutes(worked).SetSubmittedAt(now).SetCurrency(s.Currency).
			Save(rule.System(ctx))
		if err != nil {
			return err
		}
		if _, err := m.appendLedger(ctx, c, LedgerCheckOut, a.ID, userID, map[string]any{
			"at": now, "workedMinutes": worked,
		}); err != nil {
			return err
		}
		for _, kind := range []EventKind{AssignmentCheckedOut, ReviewRequested} {
			if err := m.emit(ctx, c, Event{Kind: kind, ID: a.ID, ShiftID: a.ShiftID, WorkerID: a.WorkerID,
				EmployerID: a.EmployerID, Title: s.Title}); err != nil {
				return err
			}
		}
		out = &Changed{Assignment: a, Timesheet: ts}
		return out.reload(ctx, c)
	})
	return out, err
}

// employerAssignment loads an assignment whose employer the viewer manages.
func employerAssignment(ctx context.Context, c *ent.Client, id, what string) (*ent.Assignment, error) {
	a, err := c.Assignment.Query().Where(assignment.ID(id)).WithShift().Only(ctx)
	if ent.IsNotFound(err) {
		return nil, NotFound("assignment")
	}
	if err != nil {
		return nil, err
	}
	if _, err := manager(ctx, a.EmployerID, what); err != nil {
		return nil, err
	}
	return a, nil
}

// MarkNoShow records that a hired worker did not come: only once the start
// plus a 30-minute grace period has passed without a check-in.
func (m *Market) MarkNoShow(ctx context.Context, id string) (*Changed, error) {
	var out *Changed
	err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		a, err := employerAssignment(ctx, c, id, "mark no-shows")
		if err != nil {
			return err
		}
		now, s := m.Now(), a.Edges.Shift
		if now.Before(s.StartsAt.Add(noShowGrace)) {
			return State(CodeNoShowTooEarly, "a no-show can be marked from 30 minutes after the start, at %s",
				s.StartsAt.Add(noShowGrace).In(shiftLocation(s)).Format("Mon 2 Jan 15:04"))
		}
		n, err := c.Assignment.Update().Where(assignment.ID(id), assignment.StatusEQ(assignment.StatusSCHEDULED)).
			SetStatus(assignment.StatusNO_SHOW).Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			out, err = already(ctx, c, id, assignment.StatusNO_SHOW, CodeAssignmentNotScheduled, "only a scheduled hire can be a no-show; this one is %s")
			return err
		}
		if err := c.WorkerProfile.Update().Where(workerprofile.ID(a.WorkerID)).AddNoShows(1).Exec(rule.System(ctx)); err != nil {
			return err
		}
		if err := m.returnEscrow(ctx, c, a, s.Currency, "no-show"); err != nil {
			return err
		}
		if _, err := m.appendLedger(ctx, c, LedgerNoShow, id, actor(ctx), map[string]any{"worker": a.WorkerID}); err != nil {
			return err
		}
		if _, err := m.recordCredit(ctx, c, creditFact{kind: creditevent.KindNO_SHOW, workerID: a.WorkerID, sourceID: id}); err != nil {
			return err
		}
		if err := m.emit(ctx, c, Event{Kind: AssignmentNoShow, ID: id, ShiftID: a.ShiftID, WorkerID: a.WorkerID, EmployerID: a.EmployerID}); err != nil {
			return err
		}
		out = &Changed{Assignment: a, Shift: a.Edges.Shift}
		return out.reload(ctx, c)
	})
	return out, err
}

// CancelAssignment cancels a hire before the shift starts, by either party.
// Within 24 hours of the start the cancellation is recorded as late. The
// slot opens again.
func (m *Market) CancelAssignment(ctx context.Context, id, reason string) (*Changed, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || len(reason) > 500 {
		return nil, BadInput("reason", "say why, in at most 500 characters")
	}
	var out *Changed
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		a, err := c.Assignment.Query().Where(assignment.ID(id)).WithShift().Only(ctx)
		if ent.IsNotFound(err) {
			return NotFound("assignment")
		}
		if err != nil {
			return err
		}
		to := assignment.StatusCANCELLED_BY_WORKER
		if a.WorkerID != v.WorkerID {
			if _, err := manager(ctx, a.EmployerID, "cancel hires"); err != nil {
				return err
			}
			to = assignment.StatusCANCELLED_BY_EMPLOYER
		}
		now, s := m.Now(), a.Edges.Shift
		if !now.Before(s.StartsAt) {
			return State(CodeShiftStarted, "the shift has started; it can no longer be cancelled")
		}
		sys := rule.System(ctx)
		if err := c.Shift.UpdateOneID(s.ID).SetUpdatedAt(now).Exec(sys); err != nil { // shift first: lock order
			return err
		}
		late := s.StartsAt.Sub(now) < lateCancel
		n, err := c.Assignment.Update().Where(assignment.ID(id), assignment.StatusEQ(assignment.StatusSCHEDULED)).
			SetStatus(to).SetCancelledAt(now).SetCancelReason(reason).SetLateCancellation(late).Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			out, err = already(ctx, c, id, to, CodeAssignmentNotScheduled, "only a scheduled hire can be cancelled; this one is %s")
			return err
		}
		if err := c.Shift.UpdateOneID(s.ID).AddFilled(-1).Exec(sys); err != nil {
			return err
		}
		reopened, err := c.Shift.Update().Where(shift.ID(s.ID), shift.StatusEQ(shift.StatusFILLED)).
			SetStatus(shift.StatusPUBLISHED).Save(sys)
		if err != nil {
			return err
		}
		if reopened > 0 {
			if err := m.startBackfill(ctx, c, s, v.UserID); err != nil {
				return err
			}
		}
		if _, err := m.appendLedger(ctx, c, LedgerAssignmentCancelled, id, v.UserID, map[string]any{
			"by": strings.ToLower(strings.TrimPrefix(to.String(), "CANCELLED_BY_")), "late": late, "reason": reason,
		}); err != nil {
			return err
		}
		fact := creditFact{kind: creditevent.KindEARLY_CANCELLATION, workerID: a.WorkerID, sourceID: id}
		switch {
		case to == assignment.StatusCANCELLED_BY_WORKER && late:
			fact.kind = creditevent.KindLATE_CANCELLATION
		case to == assignment.StatusCANCELLED_BY_EMPLOYER && late:
			fact = creditFact{kind: creditevent.KindSHIFT_CANCELLED_LATE, employerID: a.EmployerID, sourceID: id}
		case to == assignment.StatusCANCELLED_BY_EMPLOYER:
			fact.kind = "" // an employer cancelling in good time is no credit fact
		}
		if to == assignment.StatusCANCELLED_BY_WORKER {
			// A worker who turns down terms changed after the hire, before
			// signing them, has broken no promise.
			k, err := c.Contract.Query().Where(contract.AssignmentID(id)).Only(sys)
			if err != nil {
				return err
			}
			if k.Revision > 1 && k.WorkerSignedAt == nil {
				fact.kind = ""
			}
		}
		if fact.kind != "" {
			if _, err := m.recordCredit(ctx, c, fact); err != nil {
				return err
			}
		}
		if to == assignment.StatusCANCELLED_BY_EMPLOYER && late {
			if err := m.oweCancellationFee(ctx, c, s, a); err != nil {
				return err
			}
		}
		if err := m.returnEscrow(ctx, c, a, s.Currency, "cancelled"); err != nil {
			return err
		}
		if err := m.emit(ctx, c, Event{Kind: AssignmentCancelled, ID: id, ShiftID: a.ShiftID, WorkerID: a.WorkerID,
			EmployerID: a.EmployerID, Title: s.Title}); err != nil {
			return err
		}
		out = &Changed{Assignment: a, Shift: a.Edges.Shift}
		return out.reload(ctx, c)
	})
	return out, err
}

// AdvanceShifts moves shifts through time: open and filled shifts whose
// start has come are in progress, and those whose end has passed are
// completed. A job runs it.
func (m *Market) AdvanceShifts(ctx context.Context) (int, error) {
	ctx, now := rule.System(ctx), m.Now()
	c := m.client(ctx)
	started, err := c.Shift.Update().
		Where(shift.StatusIn(shift.StatusPUBLISHED, shift.StatusFILLED), shift.StartsAtLTE(now)).
		SetStatus(shift.StatusIN_PROGRESS).Save(ctx)
	if err != nil {
		return 0, err
	}
	ended, err := c.Shift.Update().
		Where(shift.StatusEQ(shift.StatusIN_PROGRESS), shift.EndsAtLTE(now)).
		SetStatus(shift.StatusCOMPLETED).Save(ctx)
	return started + ended, err
}

func shiftLocation(s *ent.Shift) *time.Location { return zone(s.TimeZone) }

// zone loads an IANA time zone; shifts are validated to have one, UTC is the
// fallback for a zone database that lacks it. time.LoadLocation opens and
// parses the zone's file on every call (a feed page screened 20 shifts
// with a few such calls each), so each zone is loaded once; a process sees
// a few dozen.
func zone(name string) *time.Location {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC // not kept: a zone database installed later is read then
	}
	zones.Store(name, loc)
	return loc
}

var zones sync.Map // zone name → *time.Location

func humanStatus(s string) string { return strings.ToLower(strings.ReplaceAll(s, "_", " ")) }

// already answers a transition whose conditional update found the
// assignment in another state: when that state is the one asked for (a
// retry, a double tap), with the assignment and its shift as they are;
// otherwise a refusal with code, naming the state (why has one %s for it).
func already(ctx context.Context, c *ent.Client, id string, to assignment.Status, code Code, why string) (*Changed, error) {
	cur, err := c.Assignment.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if cur.Status != to {
		return nil, State(code, why, humanStatus(cur.Status.String()))
	}
	out := &Changed{Assignment: cur, Shift: &ent.Shift{ID: cur.ShiftID}}
	return out, out.reload(ctx, c)
}
