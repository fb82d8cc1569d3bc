package market

import (
	"context"
	"fmt"
	"time"

	"flexwork/ent"
	"flexwork/ent/schema/pulid"
	"flexwork/ent/shift"
)

// maxBatch is the most shifts one createShifts posts.
const maxBatch = 100

// Shifts is what a mutation of many shifts answers: each as it now stands.
type Shifts struct {
	Shifts []*ent.Shift `json:"shifts"`
}

// CreateShiftsInput is shifts posted together.
type CreateShiftsInput struct {
	Shifts []CreateShiftInput `json:"shifts"`
}

// CreateShifts posts every shift of a batch as a draft, or none: one bad
// item refuses the whole batch, naming every bad field of every item
// (shifts[3].startsAt), and nothing is written.
func (m *Market) CreateShifts(ctx context.Context, in CreateShiftsInput) (*Shifts, error) {
	if n := len(in.Shifts); n == 0 || n > maxBatch {
		return nil, BadInput("shifts", fmt.Sprintf("give 1 to %d shifts", maxBatch))
	}
	var (
		userID string
		errs   []error
	)
	for i := range in.Shifts {
		v, err := manager(ctx, in.Shifts[i].EmployerID, "post shifts")
		if err != nil {
			return nil, err
		}
		userID = v.UserID
		errs = append(errs, atField(fmt.Sprintf("shifts[%d]", i), m.validateShift(&in.Shifts[i])))
	}
	if err := joinInputErrors(errs...); err != nil {
		return nil, err
	}
	out := &Shifts{}
	err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		for i, s := range in.Shifts {
			made, err := m.createShift(ctx, c, userID, s, "")
			if err != nil {
				return atField(fmt.Sprintf("shifts[%d]", i), err)
			}
			out.Shifts = append(out.Shifts, made)
		}
		return nil
	})
	return out, err
}

// CreateShiftSeriesInput is a shift and the rule that repeats it.
type CreateShiftSeriesInput struct {
	Shift      CreateShiftInput `json:"shift"`
	Recurrence string           `json:"recurrence"`
}

// CreateShiftSeries posts a draft for every occurrence of a recurrence rule
// (RFC 5545, see Occurrences), all sharing one series ID, or none.
func (m *Market) CreateShiftSeries(ctx context.Context, in CreateShiftSeriesInput) (*Shifts, error) {
	v, err := manager(ctx, in.Shift.EmployerID, "post shifts")
	if err != nil {
		return nil, err
	}
	if err := atField("shift", m.validateShift(&in.Shift)); err != nil {
		return nil, err
	}
	spans, err := Occurrences(in.Shift.StartsAt, in.Shift.EndsAt, in.Shift.TimeZone, in.Recurrence)
	if err != nil {
		return nil, BadInput("recurrence", err.Error())
	}
	items := make([]CreateShiftInput, len(spans))
	for i, sp := range spans {
		items[i] = in.Shift
		items[i].StartsAt, items[i].EndsAt = sp.StartsAt, sp.EndsAt
		if err := m.checkShiftTimes(items[i]); err != nil {
			return nil, BadInput("recurrence", fmt.Sprintf("the shift of %s: %s", sp.StartsAt.Format("2006-01-02"), firstReason(err)))
		}
	}
	series := pulid.New("ser")
	out := &Shifts{}
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		for _, it := range items {
			made, err := m.createShift(ctx, c, v.UserID, it, series)
			if err != nil {
				return atField("shift", err)
			}
			out.Shifts = append(out.Shifts, made)
		}
		return nil
	})
	return out, err
}

// atField puts an item's refusal under its place in the input: its bad
// fields become prefix.field, and a refusal naming no field names prefix.
func atField(prefix string, err error) error {
	e, ok := AsError(err)
	if !ok {
		return err
	}
	out := *e
	out.Fields = make([]FieldError, 0, max(1, len(e.Fields)))
	for _, f := range e.Fields {
		f.Field = prefix + "." + f.Field
		out.Fields = append(out.Fields, f)
	}
	if len(e.Fields) == 0 {
		out.Fields = append(out.Fields, FieldError{Field: prefix, Message: e.Message})
	}
	out.Message = prefix + ": " + e.Message
	return &out
}

// firstReason is the first bad field's reason of an input refusal.
func firstReason(err error) string {
	if e, ok := AsError(err); ok && len(e.Fields) > 0 {
		return e.Fields[0].Field + " " + e.Fields[0].Message
	}
	return err.Error()
}

// UpdateShiftSeries edits a shift of a series and every later one still
// open to edits ("this and following"), all or none. Times move as wall
// clock: a new start or end is the chosen shift's new local time, and each
// later shift takes the same local time (and the same shift in days) on
// its own date. A shift that refuses the edit (hired for its times, under
// 24 hours away) refuses the whole edit, named by its date.
func (m *Market) UpdateShiftSeries(ctx context.Context, in UpdateShiftInput) (*Shifts, error) {
	if err := Validate(in); err != nil {
		return nil, err
	}
	out := &Shifts{}
	err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		first, err := m.managedShift(ctx, c, in.ShiftID, "edit shifts")
		if err != nil {
			return err
		}
		if first.SeriesID == nil {
			return BadInput("shiftID", "is not part of a series; edit it with updateShift")
		}
		series, err := c.Shift.Query().Where(shift.SeriesID(*first.SeriesID), shift.StartsAtGTE(first.StartsAt),
			shift.StatusIn(shift.StatusDRAFT, shift.StatusPUBLISHED, shift.StatusFILLED)).
			Order(ent.Asc(shift.FieldStartsAt)).All(ctx)
		if err != nil {
			return err
		}
		for _, s := range series {
			edit := in
			edit.ShiftID = s.ID
			if in.StartsAt != nil {
				edit.StartsAt = ptr(sameWallClock(s.StartsAt, first.StartsAt, *in.StartsAt, s.TimeZone))
			}
			if in.EndsAt != nil {
				edit.EndsAt = ptr(sameWallClock(s.StartsAt, first.StartsAt, *in.EndsAt, s.TimeZone))
			}
			changed, err := m.editShift(ctx, c, s, edit)
			if err != nil {
				return ofShift(s, err)
			}
			out.Shifts = append(out.Shifts, changed.Shift)
		}
		return nil
	})
	return out, err
}

// sameWallClock is, for a shift of a series starting at start, the time
// that stands to it as to stands to the chosen shift's start from: the
// same number of days after its own date, at to's local clock time.
func sameWallClock(start, from, to time.Time, zone string) time.Time {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		loc = time.UTC
	}
	s, f, t := start.In(loc), from.In(loc), to.In(loc)
	days := civilDays(f, t)
	return time.Date(s.Year(), s.Month(), s.Day()+days, t.Hour(), t.Minute(), t.Second(), 0, loc)
}

// ofShift says which shift of a series refused an edit.
func ofShift(s *ent.Shift, err error) error {
	e, ok := AsError(err)
	if !ok {
		return err
	}
	out := *e
	at := s.StartsAt
	if loc, err := time.LoadLocation(s.TimeZone); err == nil {
		at = at.In(loc)
	}
	out.Message = "the shift of " + at.Format("2006-01-02") + ": " + e.Message
	return &out
}
