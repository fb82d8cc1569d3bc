package market

import (
	"context"
	"fmt"
	"strings"
	"time"

	"flexwork/ent"
	"flexwork/ent/application"
	"flexwork/ent/assignment"
	"flexwork/ent/creditevent"
	"flexwork/ent/employer"
	"flexwork/ent/offer"
	"flexwork/ent/rule"
	"flexwork/ent/schema/enum"
	"flexwork/ent/schema/week"
	"flexwork/ent/shift"
	"flexwork/ent/skill"
)

// Shift limits: what a real shift can be.
const (
	minShiftLength = 30 * time.Minute
	maxShiftLength = 16 * time.Hour
	minLeadTime    = 15 * time.Minute     // a shift starts at least this far ahead when posted
	maxLeadTime    = 365 * 24 * time.Hour // and no more than a year ahead
	lateCancel     = 24 * time.Hour       // cancelling closer to the start than this is late
)

// CreateShiftInput posts a shift as a draft.
type CreateShiftInput struct {
	EmployerID               string              `json:"employerID" validate:"required"`
	Title                    string              `json:"title" validate:"required,min=3,max=120"`
	Description              *string             `json:"description" validate:"omitempty,max=4000"`
	EngagementType           enum.EngagementType `json:"engagementType" validate:"enum"`
	Address                  string              `json:"address" validate:"required,max=300"`
	Location                 GeoPoint            `json:"location"`
	GeofenceRadiusM          *int                `json:"geofenceRadiusM" validate:"omitempty,gte=50,lte=2000"`
	StartsAt                 time.Time           `json:"startsAt" validate:"required"`
	EndsAt                   time.Time           `json:"endsAt" validate:"required"`
	TimeZone                 string              `json:"timeZone" validate:"timezone"`
	UnpaidBreakMinutes       *int                `json:"unpaidBreakMinutes" validate:"omitempty,gte=0,lte=180"`
	Pay                      Money               `json:"pay"`
	PayUnit                  shift.PayUnit       `json:"payUnit" validate:"required"`
	Slots                    int                 `json:"slots" validate:"gte=1,lte=500"`
	RequiredSkillIDs         []string            `json:"requiredSkillIDs" validate:"omitempty,max=20,unique"`
	RequiredCertificationIDs []string            `json:"requiredCertificationIDs" validate:"omitempty,max=10,unique"`
	RequiredCourseIDs        []string            `json:"requiredCourseIDs" validate:"omitempty,max=10,unique"`
	SafetyBriefing           *string             `json:"safetyBriefing" validate:"omitempty,max=4000"`
	MinCreditScore           *int                `json:"minCreditScore" validate:"omitempty,gte=0,lte=1000"`
	MaxDistanceKm            *int                `json:"maxDistanceKm" validate:"omitempty,gte=1,lte=200"`
	NewcomersAllowed         *bool               `json:"newcomersAllowed"`
	Nda                      *bool               `json:"nda"`
	PayCycleDays             *int                `json:"payCycleDays" validate:"omitempty,gte=1,lte=60"`
	AgencyID                 *string             `json:"agencyID"`
	PostNature               *shift.PostNature   `json:"postNature"`
	PostMonths               *int                `json:"postMonths" validate:"omitempty,gte=1,lte=120"`
}

// CreateShift posts a draft shift for an employer the viewer manages.
func (m *Market) CreateShift(ctx context.Context, in CreateShiftInput) (*Changed, error) {
	v, err := manager(ctx, in.EmployerID, "post shifts")
	if err != nil {
		return nil, err
	}
	if err := m.validateShift(&in); err != nil {
		return nil, err
	}
	var out *Changed
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		s, err := m.createShift(ctx, c, v.UserID, in, "")
		out = &Changed{Shift: s}
		return err
	})
	return out, err
}

// validateShift tidies a new shift's text and names every bad field at
// once: the tags' and the times'.
func (m *Market) validateShift(in *CreateShiftInput) error {
	in.Title, in.Address = strings.TrimSpace(in.Title), strings.TrimSpace(in.Address)
	return joinInputErrors(Validate(*in), m.checkShiftTimes(*in))
}

// createShift writes a validated draft in the caller's transaction, as one
// of a series when series is set, and checks it against the law of the
// employer's place.
func (m *Market) createShift(ctx context.Context, c *ent.Client, userID string, in CreateShiftInput, series string) (*ent.Shift, error) {
	skills, err := knownSkills(ctx, c, in.RequiredSkillIDs, indexed("requiredSkillIDs"))
	if err != nil {
		return nil, err
	}
	certs, err := knownSkills(ctx, c, in.RequiredCertificationIDs, indexed("requiredCertificationIDs"))
	if err != nil {
		return nil, err
	}
	if err := checkAgency(ctx, c, in); err != nil {
		return nil, err
	}
	if err := checkCourses(ctx, c, in); err != nil {
		return nil, err
	}
	startMinute, minutes := week.Span(in.StartsAt, in.EndsAt, zone(in.TimeZone))
	create := c.Shift.Create().
		SetEmployerID(in.EmployerID).
		SetCreatedByID(userID).
		SetTitle(in.Title).
		SetEngagementType(in.EngagementType).
		SetAddress(in.Address).
		SetLat(in.Location.Lat).SetLng(in.Location.Lng).
		SetStartsAt(in.StartsAt.UTC()).SetEndsAt(in.EndsAt.UTC()).
		SetTimeZone(in.TimeZone).SetWeekMinute(startMinute).SetWeekMinutes(minutes).
		SetPayRate(in.Pay.Amount).SetCurrency(in.Pay.Currency).SetPayUnit(in.PayUnit).
		SetHourlyRate(hourlyRate(in)).
		SetSlots(in.Slots).
		SetNillableMinCreditScore(in.MinCreditScore).
		SetNillableMaxDistanceKm(in.MaxDistanceKm).
		SetNillableNewcomersAllowed(in.NewcomersAllowed).
		SetNillableNda(in.Nda).
		SetNillablePayCycleDays(in.PayCycleDays).
		SetNillableAgencyID(in.AgencyID).
		SetNillablePostNature(in.PostNature).
		SetNillablePostMonths(in.PostMonths).
		SetNillableGeofenceRadiusM(in.GeofenceRadiusM).
		SetNillableUnpaidBreakMinutes(in.UnpaidBreakMinutes).
		AddRequiredSkills(skills...).
		AddRequiredCertifications(certs...).
		SetRequiredSkillIds(in.RequiredSkillIDs).
		SetRequiredCertificationIds(in.RequiredCertificationIDs).
		SetRequiredCourseIds(in.RequiredCourseIDs)
	if in.SafetyBriefing != nil {
		create.SetSafetyBriefing(strings.TrimSpace(*in.SafetyBriefing))
	}
	if in.Description != nil {
		create.SetDescription(strings.TrimSpace(*in.Description))
	}
	if series != "" {
		create.SetSeriesID(series)
	}
	s, err := create.Save(ctx)
	if err != nil {
		return nil, err
	}
	return s, m.checkPostingLaw(ctx, c, s.EmployerID, s.ID)
}

// checkAgency refuses a third party where the engagement has none, or of
// the wrong kind: dispatch names an agency, outsourcing a contractor.
func checkAgency(ctx context.Context, c *ent.Client, in CreateShiftInput) error {
	if in.AgencyID == nil {
		return nil
	}
	want, ok := map[enum.EngagementType]employer.Kind{enum.Dispatch: employer.KindAGENCY, enum.Outsourcing: employer.KindCONTRACTOR}[in.EngagementType]
	if !ok {
		return BadInput("agencyID", "only dispatch and outsourcing shifts name an agency or contractor")
	}
	a, err := c.Employer.Get(rule.System(ctx), *in.AgencyID)
	if ent.IsNotFound(err) {
		return BadInput("agencyID", "is not an organisation")
	}
	if err != nil {
		return err
	}
	if a.Kind != want {
		return BadInput("agencyID", "is not a "+strings.ToLower(want.String()))
	}
	return nil
}

// hourlyRate is the pay per paid hour, so that hourly and per-shift pay can
// be compared and filtered.
func hourlyRate(in CreateShiftInput) int64 {
	if in.PayUnit == shift.PayUnitHOUR {
		return in.Pay.Amount
	}
	paid := int64(in.EndsAt.Sub(in.StartsAt).Minutes())
	if in.UnpaidBreakMinutes != nil {
		paid -= int64(*in.UnpaidBreakMinutes)
	}
	if paid <= 0 {
		return 0
	}
	return in.Pay.Amount * 60 / paid
}

// checkShiftTimes refuses times that make no sense, naming every bad field.
func (m *Market) checkShiftTimes(in CreateShiftInput) error {
	var errs fieldErrors
	now := m.Now()
	length := in.EndsAt.Sub(in.StartsAt)
	switch {
	case in.StartsAt.Before(now.Add(minLeadTime)):
		errs.add("startsAt", "must be at least 15 minutes in the future")
	case in.StartsAt.After(now.Add(maxLeadTime)):
		errs.add("startsAt", "must be within a year")
	}
	switch {
	case !in.EndsAt.After(in.StartsAt):
		errs.add("endsAt", "must be after startsAt")
	case length < minShiftLength:
		errs.add("endsAt", "a shift lasts at least 30 minutes")
	case length > maxShiftLength:
		errs.add("endsAt", "a shift lasts at most 16 hours")
	}
	if in.UnpaidBreakMinutes != nil && length > 0 && time.Duration(*in.UnpaidBreakMinutes)*time.Minute >= length {
		errs.add("unpaidBreakMinutes", "must be shorter than the shift")
	}
	if in.Pay.Amount <= 0 {
		errs.add("pay.amount", "must be greater than 0")
	}
	if err := shift.PayUnitValidator(in.PayUnit); err != nil {
		errs.add("payUnit", "is not an allowed value")
	}
	return errs.err()
}

// knownSkills loads skills by ID, refusing the first unknown one under the
// field name field(i) gives its position.
func knownSkills(ctx context.Context, c *ent.Client, ids []string, field func(i int) string) ([]*ent.Skill, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	found, err := c.Skill.Query().Where(skill.IDIn(ids...)).All(ctx)
	if err != nil {
		return nil, err
	}
	if len(found) != len(ids) {
		have := map[string]bool{}
		for _, s := range found {
			have[s.ID] = true
		}
		for i, id := range ids {
			if !have[id] {
				return nil, BadInput(field(i), "is not a known skill")
			}
		}
	}
	return found, nil
}

func indexed(field string) func(int) string {
	return func(i int) string { return fmt.Sprintf("%s[%d]", field, i) }
}

// managedShift loads a shift and checks the viewer manages its employer.
func (m *Market) managedShift(ctx context.Context, c *ent.Client, id, what string) (*ent.Shift, error) {
	s, err := c.Shift.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, NotFound("shift")
	}
	if err != nil {
		return nil, err
	}
	if _, err := manager(ctx, s.EmployerID, what); err != nil {
		return nil, err
	}
	return s, nil
}

// PublishShift opens a draft to workers.
func (m *Market) PublishShift(ctx context.Context, id string) (*Changed, error) {
	var out *Changed
	err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		s, err := m.managedShift(ctx, c, id, "publish shifts")
		if err != nil {
			return err
		}
		now := m.Now()
		if !s.StartsAt.After(now) {
			return State(CodeShiftStarted, "the shift's start has passed; post a new shift")
		}
		n, err := c.Shift.Update().
			Where(shift.ID(id), shift.StatusEQ(shift.StatusDRAFT)).
			SetStatus(shift.StatusPUBLISHED).
			SetPublishedAt(now).
			Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			if cur, err := c.Shift.Get(ctx, id); err == nil && cur.Status == shift.StatusPUBLISHED {
				out = &Changed{Shift: cur} // a retry: already published
				return nil
			}
			return State(CodeShiftNotDraft, "only a draft can be published; this shift is %s", humanStatus(s.Status.String()))
		}
		if err := m.checkPostingLaw(ctx, c, s.EmployerID, id); err != nil {
			return err
		}
		if err := m.emit(ctx, c, Event{Kind: ShiftPublished, ID: id, ShiftID: id, EmployerID: s.EmployerID,
			Title: s.Title, When: s.StartsAt}); err != nil {
			return err
		}
		out = &Changed{Shift: s}
		return out.reload(ctx, c)
	})
	return out, err
}

// CancelShift cancels a shift that has not started. Pending offers are
// revoked, open applications rejected and scheduled hires cancelled by the
// employer — late when within 24 hours of the start.
func (m *Market) CancelShift(ctx context.Context, id, reason string) (*Changed, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" || len(reason) > 500 {
		return nil, BadInput("reason", "say why, in at most 500 characters")
	}
	var out *Changed
	err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		s, err := m.managedShift(ctx, c, id, "cancel shifts")
		if err != nil {
			return err
		}
		now := m.Now()
		n, err := c.Shift.Update().
			Where(shift.ID(id), shift.StatusIn(shift.StatusDRAFT, shift.StatusPUBLISHED, shift.StatusFILLED), shift.StartsAtGT(now)).
			SetStatus(shift.StatusCANCELLED).SetCancelledAt(now).SetCancelReason(reason).
			Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			if cur, err := c.Shift.Get(ctx, id); err == nil && cur.Status == shift.StatusCANCELLED {
				out = &Changed{Shift: cur, CancelledAssignments: []*ent.Assignment{}, RevokedOffers: []*ent.Offer{}} // a retry
				return nil
			}
			return State(CodeShiftStarted, "a shift can be cancelled only before it starts; this one is %s", humanStatus(s.Status.String()))
		}
		// Who is affected, to tell them once the changes are made.
		sys := rule.System(ctx)
		pending, err := c.Offer.Query().Where(offer.ShiftID(id), offer.StatusEQ(offer.StatusPENDING)).All(sys)
		if err != nil {
			return err
		}
		scheduled, err := c.Assignment.Query().Where(assignment.ShiftID(id), assignment.StatusEQ(assignment.StatusSCHEDULED)).All(sys)
		if err != nil {
			return err
		}
		if _, err := c.Offer.Update().Where(offer.ShiftID(id), offer.StatusEQ(offer.StatusPENDING)).
			SetStatus(offer.StatusREVOKED).SetRespondedAt(now).Save(ctx); err != nil {
			return err
		}
		// Applicants hear the shift is off; those with an offer hear of its withdrawal.
		waiting, err := c.Application.Query().Where(application.ShiftID(id),
			application.StatusIn(application.StatusAPPLIED, application.StatusSHORTLISTED)).All(sys)
		if err != nil {
			return err
		}
		if _, err := c.Application.Update().
			Where(application.ShiftID(id), application.StatusIn(application.StatusAPPLIED, application.StatusSHORTLISTED, application.StatusOFFERED)).
			SetStatus(application.StatusREJECTED).SetRejectReason("the shift was cancelled: " + reason).Save(ctx); err != nil {
			return err
		}
		late := s.StartsAt.Sub(now) < lateCancel
		hires, err := c.Assignment.Update().Where(assignment.ShiftID(id), assignment.StatusEQ(assignment.StatusSCHEDULED)).
			SetStatus(assignment.StatusCANCELLED_BY_EMPLOYER).SetCancelledAt(now).SetCancelReason(reason).
			SetLateCancellation(late).Save(ctx)
		if err != nil {
			return err
		}
		if _, err := m.appendLedger(ctx, c, LedgerShiftCancelled, id, actor(ctx), map[string]any{
			"employer": s.EmployerID, "reason": reason, "hiresCancelled": hires, "late": late && hires > 0,
		}); err != nil {
			return err
		}
		if late && hires > 0 {
			if _, err := m.recordCredit(ctx, c, creditFact{kind: creditevent.KindSHIFT_CANCELLED_LATE, employerID: s.EmployerID, sourceID: id}); err != nil {
				return err
			}
		}
		for _, a := range scheduled {
			if late {
				if err := m.oweCancellationFee(ctx, c, s, a); err != nil {
					return err
				}
			}
			if err := m.returnEscrow(ctx, c, a, s.Currency, "cancelled"); err != nil {
				return err
			}
		}
		events := []Event{{Kind: ShiftCancelled, ID: id, ShiftID: id, EmployerID: s.EmployerID, Title: s.Title, When: s.StartsAt}}
		for _, o := range pending {
			events = append(events, Event{Kind: OfferRevoked, ID: o.ID, ShiftID: id, WorkerID: o.WorkerID, EmployerID: s.EmployerID, Title: s.Title})
		}
		for _, a := range scheduled {
			events = append(events, Event{Kind: AssignmentCancelled, ID: a.ID, ShiftID: id, WorkerID: a.WorkerID, EmployerID: s.EmployerID, Title: s.Title})
		}
		for _, a := range waiting {
			events = append(events, Event{Kind: ApplicationRejected, ID: a.ID, ShiftID: id, WorkerID: a.WorkerID, EmployerID: s.EmployerID,
				Title: s.Title, Detail: "the shift was cancelled"})
		}
		for _, e := range events {
			if err := m.emit(ctx, c, e); err != nil {
				return err
			}
		}
		out = &Changed{Shift: s, CancelledAssignments: scheduled, RevokedOffers: pending}
		return out.reload(ctx, c)
	})
	return out, err
}

// actor is the user ID of the viewer, for ledger entries; "" for the system.
func actor(ctx context.Context) string {
	if v, err := signedIn(ctx); err == nil {
		return v.UserID
	}
	return ""
}

// ShiftPay is a shift's pay rate as money.
func (m *Market) ShiftPay(s *ent.Shift) *Money {
	return &Money{Amount: s.PayRate, Currency: s.Currency}
}
