package market

import (
	"context"
	"errors"

	"flexwork/ent/assignment"
	"flexwork/ent/insurancecover"
	"flexwork/ent/rule"
	"flexwork/ent/user"
	"flexwork/market/insurer"
)

// Insurer enrols hires in the cover flexwork pays for (insurer.Client).
type Insurer interface {
	Name() string
	Enrol(ctx context.Context, e insurer.Enrolment) (insurer.Policy, error)
	Cancel(ctx context.Context, policyNumber string) error
}

// WithInsurer enrols platform-paid cover through i; without it, staff
// record those enrolments.
func WithInsurer(i Insurer) Option { return func(m *Market) { m.insurer = i } }

// Insures reports whether the market enrols cover itself.
func (m *Market) Insures() bool { return m.insurer != nil }

// EnrolCover enrols a new hire in the cover its jurisdiction asks flexwork
// to pay for (CN platform gig: occupational-injury protection), under the
// worker's verified legal name, and records the policy. A job runs it
// after the hire and again after a failure: the insurer keeps the
// assignment's ID as the enrolment's reference, so a retry answers with
// the same policy, and a cover already recorded ends it. A hire that needs
// no such cover, or ended, is left alone.
func (m *Market) EnrolCover(ctx context.Context, assignmentID string) error {
	if m.insurer == nil {
		return nil
	}
	sys := rule.System(ctx)
	a, err := m.db.Assignment.Query().Where(assignment.ID(assignmentID)).WithShift().Only(sys)
	if err != nil || a.Status != assignment.StatusSCHEDULED {
		return err
	}
	need, _, err := m.coverNeeded(ctx, a, a.Edges.Shift)
	if err != nil || need == nil || need.Payer != "PLATFORM" {
		return err
	}
	if ok, err := m.db.InsuranceCover.Query().Where(insurancecover.AssignmentID(a.ID), insurancecover.StatusEQ(insurancecover.StatusACTIVE),
		insurancecover.KindEQ(need.Kind)).Exist(sys); err != nil || ok {
		return err
	}
	name, err := m.insuredName(ctx, a.WorkerID)
	if err != nil {
		return err
	}
	s := a.Edges.Shift
	p, err := m.insurer.Enrol(ctx, insurer.Enrolment{Reference: a.ID, Product: string(need.Kind), InsuredName: name,
		CoversFrom: s.StartsAt.Add(-checkInOpens), CoversTo: s.EndsAt.Add(checkOutCloses)})
	if errors.Is(err, insurer.ErrRefused) {
		// Final: staff enrol by hand; check-in says what is missing.
		m.logger.WarnContext(ctx, "the insurer refused an enrolment", "assignment", a.ID, "err", err)
		return nil
	}
	if err != nil {
		return err
	}
	return m.db.InsuranceCover.Create().SetAssignmentID(a.ID).SetWorkerID(a.WorkerID).SetEmployerID(a.EmployerID).
		SetPayerID("").SetKind(need.Kind).SetInsurer(p.Insurer).SetPolicyNumber(p.PolicyNumber).
		SetCoversFrom(s.StartsAt.Add(-checkInOpens)).SetCoversTo(s.EndsAt.Add(checkOutCloses)).
		SetPremium(p.Premium.Amount).SetCurrency(p.Premium.Currency).SetRecordedBy(m.insurer.Name()).Exec(sys)
}

// insuredName is the worker's verified legal name, else their display
// name.
func (m *Market) insuredName(ctx context.Context, workerID string) (string, error) {
	r, uid, err := verifiedRealName(ctx, m.db, workerID)
	if err != nil {
		return "", err
	}
	if r != nil {
		return r.LegalName, nil
	}
	return m.db.User.Query().Where(user.ID(uid)).Select(user.FieldDisplayName).String(rule.System(ctx))
}

// CancelCover cancels, at the insurer, the cover it enrolled for a hire
// that ended unworked (cancelled, or a no-show), and marks it CANCELLED.
func (m *Market) CancelCover(ctx context.Context, assignmentID string) error {
	if m.insurer == nil {
		return nil
	}
	sys := rule.System(ctx)
	a, err := m.db.Assignment.Get(sys, assignmentID)
	if err != nil || (a.Status != assignment.StatusCANCELLED_BY_WORKER && a.Status != assignment.StatusCANCELLED_BY_EMPLOYER && a.Status != assignment.StatusNO_SHOW) {
		return err
	}
	covers, err := m.db.InsuranceCover.Query().Where(insurancecover.AssignmentID(a.ID), insurancecover.StatusEQ(insurancecover.StatusACTIVE),
		insurancecover.RecordedBy(m.insurer.Name())).All(sys)
	if err != nil {
		return err
	}
	for _, c := range covers {
		if err := m.insurer.Cancel(ctx, c.PolicyNumber); err != nil && !errors.Is(err, insurer.ErrRefused) {
			return err
		}
		if err := c.Update().SetStatus(insurancecover.StatusCANCELLED).Exec(sys); err != nil {
			return err
		}
	}
	return nil
}
