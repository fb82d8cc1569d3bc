package market

import (
	"context"
	"strings"
	"time"

	"flexwork/ent"
	"flexwork/ent/application"
	"flexwork/ent/assignment"
	"flexwork/ent/offer"
	"flexwork/ent/rule"
	"flexwork/ent/schema/week"
	"flexwork/ent/shift"
)

// LedgerShiftChanged records an edit of a published shift.
const LedgerShiftChanged = "SHIFT_CHANGED"

// UpdateShiftInput changes a shift; fields left out stay as they are.
type UpdateShiftInput struct {
	ShiftID            string     `json:"shiftID" validate:"required"`
	Title              *string    `json:"title" validate:"omitempty,min=3,max=120"`
	Description        *string    `json:"description" validate:"omitempty,max=4000"`
	Address            *string    `json:"address" validate:"omitempty,max=300"`
	Location           *GeoPoint  `json:"location"`
	GeofenceRadiusM    *int       `json:"geofenceRadiusM" validate:"omitempty,gte=50,lte=2000"`
	StartsAt           *time.Time `json:"startsAt"`
	EndsAt             *time.Time `json:"endsAt"`
	UnpaidBreakMinutes *int       `json:"unpaidBreakMinutes" validate:"omitempty,gte=0,lte=180"`
	Pay                *Money     `json:"pay"`
	Slots              *int       `json:"slots" validate:"omitempty,gte=1,lte=500"`
}

// UpdateShift edits a shift: a draft freely; a published or filled one
// until 24 hours before its start, its times only while nobody is hired
// (hires keep the times they agreed to). Hires whose contract text changes
// get the contract re-issued, signed by the employer and waiting for the
// worker's signature; hires, applicants and workers with an offer are told.
func (m *Market) UpdateShift(ctx context.Context, in UpdateShiftInput) (*Changed, error) {
	if in.Title != nil {
		*in.Title = strings.TrimSpace(*in.Title)
	}
	if in.Address != nil {
		*in.Address = strings.TrimSpace(*in.Address)
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	var out *Changed
	err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		s, err := m.managedShift(ctx, c, in.ShiftID, "edit shifts")
		if err != nil {
			return err
		}
		out, err = m.editShift(ctx, c, s, in)
		return err
	})
	return out, err
}

// editShift applies an edit to a shift in the caller's transaction.
func (m *Market) editShift(ctx context.Context, c *ent.Client, s *ent.Shift, in UpdateShiftInput) (*Changed, error) {
	now, draft := m.Now(), s.Status == shift.StatusDRAFT
	switch {
	case s.Status != shift.StatusDRAFT && s.Status != shift.StatusPUBLISHED && s.Status != shift.StatusFILLED:
		return nil, State(CodeShiftLocked, "a shift that is %s cannot be edited", humanStatus(s.Status.String()))
	case !draft && s.StartsAt.Sub(now) < lateCancel:
		return nil, State(CodeShiftLocked, "a published shift can be edited until 24 hours before its start")
	}
	next := asInput(s)
	merge(&next, in)
	timesChanged := !next.StartsAt.Equal(s.StartsAt) || !next.EndsAt.Equal(s.EndsAt)
	var errs []error
	if timesChanged || in.UnpaidBreakMinutes != nil || in.Pay != nil {
		errs = append(errs, m.checkShiftTimes(next))
	}
	if timesChanged && !draft && next.StartsAt.Sub(now) < lateCancel {
		errs = append(errs, BadInput("startsAt", "a published shift keeps at least 24 hours' notice"))
	}
	if next.Slots < s.Filled {
		errs = append(errs, BadInput("slots", "cannot be fewer than the workers hired"))
	}
	if err := joinInputErrors(errs...); err != nil {
		return nil, err
	}
	startMinute, minutes := week.Span(next.StartsAt, next.EndsAt, zone(s.TimeZone))
	up := c.Shift.Update().Where(shift.ID(s.ID), shift.TermsVersion(s.TermsVersion)).
		SetTitle(next.Title).SetAddress(next.Address).SetLat(next.Location.Lat).SetLng(next.Location.Lng).
		SetStartsAt(next.StartsAt.UTC()).SetEndsAt(next.EndsAt.UTC()).SetWeekMinute(startMinute).SetWeekMinutes(minutes).
		SetUnpaidBreakMinutes(*next.UnpaidBreakMinutes).
		SetPayRate(next.Pay.Amount).SetHourlyRate(boostedRate(next, s.Boost)).SetSlots(next.Slots).
		SetGeofenceRadiusM(*next.GeofenceRadiusM).AddTermsVersion(1)
	if next.Description != nil {
		up.SetDescription(strings.TrimSpace(*next.Description))
	}
	if timesChanged {
		up.Where(shift.Filled(0)) // hires keep the times they agreed to
	}
	switch {
	case s.Status == shift.StatusFILLED && next.Slots > s.Filled:
		up.SetStatus(shift.StatusPUBLISHED)
	case s.Status == shift.StatusPUBLISHED && next.Slots == s.Filled:
		up.SetStatus(shift.StatusFILLED)
	}
	n, err := up.Save(ctx)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		if timesChanged {
			return nil, State(CodeShiftLocked, "workers are hired for these times; cancel their hires or post a new shift")
		}
		return nil, State(CodeShiftChanged, "the shift changed just now; look at it again")
	}
	if err := m.checkPostingLaw(ctx, c, s.EmployerID, s.ID); err != nil {
		return nil, err
	}
	if draft {
		out := &Changed{Shift: s}
		return out, out.reload(ctx, c)
	}
	sys := rule.System(ctx)
	cur, err := c.Shift.Get(sys, s.ID)
	if err != nil {
		return nil, err
	}
	hires, err := c.Assignment.Query().Where(assignment.ShiftID(s.ID), assignment.StatusEQ(assignment.StatusSCHEDULED)).All(sys)
	if err != nil {
		return nil, err
	}
	reissued := 0
	for _, a := range hires {
		changed, err := m.reissueContract(ctx, c, cur, a)
		if err != nil {
			return nil, err
		}
		if changed {
			reissued++
		}
	}
	if _, err := m.appendLedger(ctx, c, LedgerShiftChanged, s.ID, actor(ctx), map[string]any{
		"employer": s.EmployerID, "contractsReissued": reissued, "termsVersion": s.TermsVersion + 1,
	}); err != nil {
		return nil, err
	}
	// Everyone with a stake in the shift hears of the change, once.
	told := map[string]bool{}
	var workers []string
	for _, a := range hires {
		workers = append(workers, a.WorkerID)
	}
	waiting, err := c.Application.Query().Where(application.ShiftID(s.ID),
		application.StatusIn(application.StatusAPPLIED, application.StatusSHORTLISTED, application.StatusOFFERED)).All(sys)
	if err != nil {
		return nil, err
	}
	for _, a := range waiting {
		workers = append(workers, a.WorkerID)
	}
	offered, err := c.Offer.Query().Where(offer.ShiftID(s.ID), offer.StatusEQ(offer.StatusPENDING)).All(sys)
	if err != nil {
		return nil, err
	}
	for _, o := range offered {
		workers = append(workers, o.WorkerID)
	}
	for _, w := range workers {
		if told[w] {
			continue
		}
		told[w] = true
		if err := m.emit(ctx, c, Event{Kind: ShiftChanged, ID: s.ID, ShiftID: s.ID, WorkerID: w, EmployerID: s.EmployerID,
			Title: cur.Title, When: cur.StartsAt}); err != nil {
			return nil, err
		}
	}
	out := &Changed{Shift: s}
	return out, out.reload(ctx, c)
}

// asInput is a shift as the input that would post it again.
func asInput(s *ent.Shift) CreateShiftInput {
	description, geofence, unpaid, newcomers, nda := s.Description, s.GeofenceRadiusM, s.UnpaidBreakMinutes, s.NewcomersAllowed, s.Nda
	return CreateShiftInput{
		EmployerID: s.EmployerID, Title: s.Title, Description: &description, EngagementType: s.EngagementType,
		Address: s.Address, Location: GeoPoint{Lat: s.Lat, Lng: s.Lng}, GeofenceRadiusM: &geofence,
		StartsAt: s.StartsAt, EndsAt: s.EndsAt, TimeZone: s.TimeZone, UnpaidBreakMinutes: &unpaid,
		Pay: Money{Amount: s.PayRate, Currency: s.Currency}, PayUnit: s.PayUnit, Slots: s.Slots,
		RequiredSkillIDs: s.RequiredSkillIds, RequiredCertificationIDs: s.RequiredCertificationIds,
		RequiredCourseIDs: s.RequiredCourseIds, SafetyBriefing: &s.SafetyBriefing,
		MinCreditScore: s.MinCreditScore, MaxDistanceKm: s.MaxDistanceKm, NewcomersAllowed: &newcomers, Nda: &nda,
	}
}

// merge writes the fields an edit gives over the shift's.
func merge(next *CreateShiftInput, in UpdateShiftInput) {
	if in.Title != nil {
		next.Title = *in.Title
	}
	if in.Description != nil {
		next.Description = in.Description
	}
	if in.Address != nil {
		next.Address = *in.Address
	}
	if in.Location != nil {
		next.Location = *in.Location
	}
	if in.GeofenceRadiusM != nil {
		next.GeofenceRadiusM = in.GeofenceRadiusM
	}
	if in.StartsAt != nil {
		next.StartsAt = *in.StartsAt
	}
	if in.EndsAt != nil {
		next.EndsAt = *in.EndsAt
	}
	if in.UnpaidBreakMinutes != nil {
		next.UnpaidBreakMinutes = in.UnpaidBreakMinutes
	}
	if in.Pay != nil {
		next.Pay.Amount = in.Pay.Amount // the currency stays the shift's
	}
	if in.Slots != nil {
		next.Slots = *in.Slots
	}
}

// DuplicateShiftInput books a shift again.
type DuplicateShiftInput struct {
	ShiftID  string    `json:"shiftID" validate:"required"`
	StartsAt time.Time `json:"startsAt" validate:"required"`
}

// DuplicateShift posts a draft like the given shift — any shift of the
// employer's, past or cancelled too — starting at startsAt and lasting as
// long: "book again".
func (m *Market) DuplicateShift(ctx context.Context, in DuplicateShiftInput) (*Changed, error) {
	if err := Validate(in); err != nil {
		return nil, err
	}
	s, err := m.client(ctx).Shift.Get(ctx, in.ShiftID)
	if ent.IsNotFound(err) {
		return nil, NotFound("shift")
	}
	if err != nil {
		return nil, err
	}
	again := asInput(s)
	again.StartsAt, again.EndsAt = in.StartsAt, in.StartsAt.Add(s.EndsAt.Sub(s.StartsAt))
	return m.CreateShift(ctx, again)
}
