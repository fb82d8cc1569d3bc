package market

import (
	"context"
	"strings"

	"flexwork/ent"
	"flexwork/ent/application"
	"flexwork/ent/offer"
	"flexwork/ent/shift"
	"flexwork/i18n"
)

// Eligibility screens the viewer for a shift: every rule, with its verdict.
func (m *Market) Eligibility(ctx context.Context, shiftID string) (*Eligibility, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	c := m.client(ctx)
	s, err := c.Shift.Get(ctx, shiftID)
	if ent.IsNotFound(err) {
		return nil, NotFound("shift")
	}
	if err != nil {
		return nil, err
	}
	e, err := m.screen(ctx, c, v.WorkerID, s)
	return &e, err
}

// screen loads the facts for one worker and one shift and screens.
func (m *Market) screen(ctx context.Context, c *ent.Client, workerID string, s *ent.Shift) (Eligibility, error) {
	facts, err := m.shiftFacts(ctx, s)
	if err != nil {
		return Eligibility{}, err
	}
	if workerID == "" {
		return Screen(facts[0], nil), nil
	}
	workers, err := m.loadWorkerFacts(ctx, c, []string{workerID}, facts, false)
	if err != nil {
		return Eligibility{}, err
	}
	return Screen(facts[0], workers[workerID]), nil
}

// ApplyInput asks for a shift.
type ApplyInput struct {
	ShiftID string  `json:"shiftID" validate:"required"`
	Message *string `json:"message" validate:"omitempty,max=1000"`
}

// ApplyToShift applies the viewer to a published shift with open slots,
// after the same screening eligibility shows; a failed rule refuses the
// application with SCREENING_FAILED and every failed rule.
func (m *Market) ApplyToShift(ctx context.Context, in ApplyInput) (*Changed, error) {
	return m.apply(ctx, in, false)
}

// apply writes an application, or with standby a place on a full shift's
// standby list: both screened the same way.
func (m *Market) apply(ctx context.Context, in ApplyInput, standby bool) (*Changed, error) {
	v, err := worker(ctx)
	if err != nil {
		return nil, err
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	var out *Changed
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		s, err := c.Shift.Get(ctx, in.ShiftID)
		if ent.IsNotFound(err) {
			return NotFound("shift")
		}
		if err != nil {
			return err
		}
		switch {
		case !s.StartsAt.After(m.Now()):
			return State(CodeShiftNotOpen, "this shift is not taking applications")
		case standby && s.Status == shift.StatusPUBLISHED:
			return State(CodeShiftNotFull, "the shift has a free slot: apply instead")
		case standby && s.Status != shift.StatusFILLED, !standby && s.Status != shift.StatusPUBLISHED:
			return State(CodeShiftNotOpen, "this shift is not taking applications")
		}
		e, err := m.screen(ctx, c, v.WorkerID, s)
		if err != nil {
			return err
		}
		if failed := e.Failed(); len(failed) > 0 {
			return screeningFailed(ctx, "apply", failed)
		}
		if prior, err := c.Application.Query().
			Where(application.ShiftID(s.ID), application.WorkerID(v.WorkerID)).Only(ctx); err == nil {
			if prior.Status == application.StatusAPPLIED || standby && prior.Status == application.StatusSTANDBY {
				out = &Changed{Application: prior, Shift: s} // a retry: the application is in
				return out.reload(ctx, c)
			}
			return State(CodeAlreadyApplied, "you have already applied to this shift; the application is %s", humanStatus(prior.Status.String()))
		} else if !ent.IsNotFound(err) {
			return err
		}
		create := c.Application.Create().SetShiftID(s.ID).SetWorkerID(v.WorkerID).SetEmployerID(s.EmployerID)
		if standby {
			create.SetStatus(application.StatusSTANDBY).SetStandby(true)
		}
		if in.Message != nil {
			create.SetMessage(strings.TrimSpace(*in.Message))
		}
		if w, err := c.WorkerProfile.Get(ctx, v.WorkerID); err == nil && w.HomeLat != nil && w.HomeLng != nil {
			// Stored as the employer may see it, to the half kilometre.
			create.SetDistanceKm(CoarseKm(DistanceKm(GeoPoint{*w.HomeLat, *w.HomeLng}, GeoPoint{s.Lat, s.Lng})))
		}
		a, err := create.Save(ctx)
		if ent.IsConstraintError(err) { // the same worker applying twice at once
			return State(CodeAlreadyApplied, "you have already applied to this shift")
		}
		if err != nil {
			return err
		}
		if err := m.emit(ctx, c, Event{Kind: ApplicationCreated, ID: a.ID, ShiftID: s.ID, WorkerID: v.WorkerID,
			EmployerID: s.EmployerID, Title: s.Title}); err != nil {
			return err
		}
		out = &Changed{Application: a, Shift: s}
		return out.reload(ctx, c)
	})
	return out, err
}

// FailedRule is a rule a refusal names in extensions.failedRules, with its
// message in the request's language.
type FailedRule struct {
	Rule    Rule   `json:"rule"`
	Passed  bool   `json:"passed"`
	Message string `json:"message"`
}

// screeningFailed refuses with SCREENING_FAILED, every failed rule in
// extensions.failedRules and their messages after why (screen.failed.<why>),
// in the language of the request.
func screeningFailed(ctx context.Context, why string, failed []RuleResult) *Error {
	lang := i18n.Language(ctx)
	rules := make([]FailedRule, len(failed))
	for i, r := range failed {
		rules[i] = FailedRule{Rule: r.Rule, Message: r.In(lang)}
	}
	return rulesFailed(CodeScreeningFailed, i18n.T(lang, "screen.failed."+why, nil), "; ", rules)
}

// rulesFailed is a refusal that names failed rules (screening, the law), in
// extensions.failedRules and in its message after heading, each already in
// the request's language.
func rulesFailed(code Code, heading, sep string, rules []FailedRule) *Error {
	msgs := make([]string, len(rules))
	for i, r := range rules {
		msgs[i] = r.Message
	}
	return &Error{
		Code:      code,
		Message:   heading + ": " + strings.Join(msgs, sep),
		Details:   map[string]any{"failedRules": rules},
		Localized: true,
	}
}

// WithdrawApplication takes back the viewer's application, and declines an
// offer made from it.
func (m *Market) WithdrawApplication(ctx context.Context, id string) (*Changed, error) {
	v, err := worker(ctx)
	if err != nil {
		return nil, err
	}
	mine := func(_ context.Context, a *ent.Application) error {
		if a.WorkerID != v.WorkerID {
			return Forbidden("only the applicant can withdraw an application")
		}
		return nil
	}
	return m.moveApplication(ctx, id, mine, application.StatusWITHDRAWN, "",
		application.StatusAPPLIED, application.StatusSHORTLISTED, application.StatusOFFERED)
}

// ShortlistApplication marks an applicant as a likely hire.
func (m *Market) ShortlistApplication(ctx context.Context, id string) (*Changed, error) {
	return m.moveApplication(ctx, id, employerMay("shortlist applicants"), application.StatusSHORTLISTED, "",
		application.StatusAPPLIED)
}

// RejectApplication turns an applicant down, with a reason they will see.
func (m *Market) RejectApplication(ctx context.Context, id string, why *string) (*Changed, error) {
	reason := ""
	if why != nil {
		reason = strings.TrimSpace(*why)
	}
	if len(reason) > 500 {
		return nil, BadInput("reason", "must have at most 500 characters")
	}
	return m.moveApplication(ctx, id, employerMay("reject applicants"), application.StatusREJECTED, reason,
		application.StatusAPPLIED, application.StatusSHORTLISTED, application.StatusOFFERED)
}

func employerMay(what string) func(context.Context, *ent.Application) error {
	return func(ctx context.Context, a *ent.Application) error {
		_, err := manager(ctx, a.EmployerID, what)
		return err
	}
}

// moveApplication makes one application transition: check says whether the
// viewer may, and the conditional update makes it only from the allowed
// states, so two racing transitions cannot both happen. An offer pending on
// the application goes with it: declined when the worker withdraws, revoked
// when the employer rejects.
func (m *Market) moveApplication(ctx context.Context, id string, check func(context.Context, *ent.Application) error,
	to application.Status, reason string, from ...application.Status) (*Changed, error) {
	var out *Changed
	err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		a, err := c.Application.Get(ctx, id)
		if ent.IsNotFound(err) {
			return NotFound("application")
		}
		if err != nil {
			return err
		}
		if err := check(ctx, a); err != nil {
			return err
		}
		out = &Changed{Application: a}
		// An offer pending on the application goes first: offers are locked
		// before applications everywhere, as acceptOffer does.
		if a.Status == application.StatusOFFERED {
			offerTo := offer.StatusREVOKED
			if to == application.StatusWITHDRAWN {
				offerTo = offer.StatusDECLINED
			}
			pending, err := c.Offer.Query().Where(offer.ApplicationID(id), offer.StatusEQ(offer.StatusPENDING)).All(ctx)
			if err != nil {
				return err
			}
			for _, o := range pending {
				if err := c.Offer.UpdateOneID(o.ID).Where(offer.StatusEQ(offer.StatusPENDING)).
					SetStatus(offerTo).SetRespondedAt(m.Now()).Exec(ctx); err != nil && !ent.IsNotFound(err) {
					return err
				}
				out.Offer = o
			}
		}
		up := c.Application.Update().Where(application.ID(id), application.StatusIn(from...)).SetStatus(to)
		if reason != "" {
			up.SetRejectReason(reason)
		}
		n, err := up.Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			cur, err := c.Application.Get(ctx, id)
			if err != nil {
				return err
			}
			if cur.Status == to { // a retry: already done
				return out.reload(ctx, c)
			}
			return State(CodeApplicationNotActive, "the application is %s", humanStatus(cur.Status.String()))
		}
		kind := map[application.Status]EventKind{application.StatusWITHDRAWN: ApplicationWithdrawn,
			application.StatusREJECTED: ApplicationRejected, application.StatusSHORTLISTED: ApplicationShortlisted}[to]
		if err := m.emit(ctx, c, Event{Kind: kind, ID: id, ShiftID: a.ShiftID, WorkerID: a.WorkerID, EmployerID: a.EmployerID}); err != nil {
			return err
		}
		return out.reload(ctx, c)
	})
	return out, err
}
