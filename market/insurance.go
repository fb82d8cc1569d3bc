package market

import (
	"context"
	"strings"
	"time"

	"flexwork/ent"
	"flexwork/ent/assignment"
	"flexwork/ent/insurancecover"
	"flexwork/ent/rule"
	"flexwork/market/jurisdiction"
)

// CoverInput records an insurance enrolment made for a hire: the policy
// or enrolment number the insurer gave, and the window it covers.
type CoverInput struct {
	AssignmentID string              `json:"assignmentID" validate:"required"`
	Kind         insurancecover.Kind `json:"kind" validate:"required"`
	Insurer      string              `json:"insurer" validate:"required,max=120"`
	PolicyNumber string              `json:"policyNumber" validate:"required,max=64"`
	CoversFrom   time.Time           `json:"coversFrom" validate:"required"`
	CoversTo     time.Time           `json:"coversTo" validate:"required"`
	Premium      *Money              `json:"premium"`
}

// CoverRequirement is the cover a hire needs before check-in: its kind and
// who enrols the worker and pays (EMPLOYER, AGENCY or PLATFORM).
type CoverRequirement struct {
	Kind  insurancecover.Kind `json:"kind"`
	Payer string              `json:"payer"`
}

// coverNeeded is what the hire's jurisdiction asks of a, and the ID of the
// organisation that pays ("" for the platform); nil when nothing.
func (m *Market) coverNeeded(ctx context.Context, a *ent.Assignment, s *ent.Shift) (*CoverRequirement, string, error) {
	pack, err := m.packOf(ctx, a.EmployerID)
	if err != nil || pack.Cover == nil {
		return nil, "", err
	}
	need := pack.Cover(s.EngagementType)
	if need.Kind == "" {
		return nil, "", nil
	}
	payer := ""
	switch need.Payer {
	case "EMPLOYER":
		payer = a.EmployerID
	case "AGENCY":
		if s.AgencyID != nil {
			payer = *s.AgencyID
		}
	}
	return &CoverRequirement{Kind: insurancecover.Kind(need.Kind), Payer: need.Payer}, payer, nil
}

// RecordCover records a hire's insurance cover, enrolled outside
// flexwork: by staff, or by the managers of the organisation its
// jurisdiction makes pay for it. The cover must span the shift.
func (m *Market) RecordCover(ctx context.Context, in CoverInput) (*Changed, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	in.Insurer, in.PolicyNumber = strings.TrimSpace(in.Insurer), strings.TrimSpace(in.PolicyNumber)
	if err := Validate(in); err != nil {
		return nil, err
	}
	if err := insurancecover.KindValidator(in.Kind); err != nil {
		return nil, BadInput("kind", "not a kind of cover")
	}
	var out *Changed
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		sys := rule.System(ctx)
		a, err := c.Assignment.Query().Where(assignment.ID(in.AssignmentID)).WithShift().Only(sys)
		if ent.IsNotFound(err) {
			return NotFound("assignment")
		}
		if err != nil {
			return err
		}
		s := a.Edges.Shift
		need, payer, err := m.coverNeeded(ctx, a, s)
		if err != nil {
			return err
		}
		if need == nil {
			payer = a.EmployerID // cover the law does not ask: the employer's own
		}
		switch {
		case v.Staff, payer != "" && v.CanManage(payer):
		case v.IsMember(a.EmployerID) || (payer != "" && v.IsMember(payer)) || (v.WorkerID != "" && v.WorkerID == a.WorkerID):
			return Forbidden("only staff and the managers of the organisation that pays for the cover record it")
		default:
			return NotFound("assignment")
		}
		if a.Status != assignment.StatusSCHEDULED {
			return State(CodeAssignmentNotScheduled, "the assignment is %s", a.Status)
		}
		if in.CoversFrom.After(s.StartsAt) || in.CoversTo.Before(s.EndsAt) {
			return BadInput("coversTo", "the cover must span the shift, from its start to its end")
		}
		premium := Money{Currency: s.Currency}
		if in.Premium != nil {
			if err := Validate(in.Premium); err != nil {
				return err
			}
			premium = *in.Premium
		}
		cov, err := c.InsuranceCover.Create().SetAssignmentID(a.ID).SetWorkerID(a.WorkerID).SetEmployerID(a.EmployerID).
			SetPayerID(payer).SetKind(in.Kind).SetInsurer(in.Insurer).SetPolicyNumber(in.PolicyNumber).
			SetCoversFrom(in.CoversFrom.UTC()).SetCoversTo(in.CoversTo.UTC()).SetPremium(premium.Amount).
			SetCurrency(premium.Currency).SetRecordedBy(v.UserID).Save(sys)
		if err != nil {
			return err
		}
		out = &Changed{Assignment: a, Cover: cov}
		return nil
	})
	return out, err
}

// checkCover refuses check-in to a hire whose jurisdiction asks for cover
// it does not have: an active cover of the kind asked, spanning the shift.
func (m *Market) checkCover(ctx context.Context, c *ent.Client, a *ent.Assignment, s *ent.Shift) error {
	need, _, err := m.coverNeeded(ctx, a, s)
	if err != nil || need == nil {
		return err
	}
	ok, err := c.InsuranceCover.Query().Where(insurancecover.AssignmentID(a.ID), insurancecover.StatusEQ(insurancecover.StatusACTIVE),
		insurancecover.KindEQ(need.Kind), insurancecover.CoversFromLTE(s.StartsAt), insurancecover.CoversToGTE(s.EndsAt)).Exist(rule.System(ctx))
	if err != nil || ok {
		return err
	}
	who := map[string]string{"EMPLOYER": "the employer", "AGENCY": "the agency", "PLATFORM": "flexwork"}[need.Payer]
	return &Error{Code: CodeCoverMissing, Message: "this hire needs " + strings.ToLower(strings.ReplaceAll(string(need.Kind), "_", " ")) +
		" cover before check-in; " + who + " enrols the worker (" + jurisdiction.RuleCover + ")",
		Details: map[string]any{"kind": string(need.Kind), "payer": need.Payer}}
}

// AssignmentCover is the hire's latest active cover, for whoever may read
// it; nil without one.
func (m *Market) AssignmentCover(ctx context.Context, a *ent.Assignment) (*ent.InsuranceCover, error) {
	cov, err := m.client(ctx).InsuranceCover.Query().Where(insurancecover.AssignmentID(a.ID), insurancecover.StatusEQ(insurancecover.StatusACTIVE)).
		Order(ent.Desc(insurancecover.FieldCreatedAt)).First(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return cov, err
}

// AssignmentCoverRequired is the cover the hire's jurisdiction asks for
// before check-in; nil when none.
func (m *Market) AssignmentCoverRequired(ctx context.Context, a *ent.Assignment) (*CoverRequirement, error) {
	s, err := m.client(ctx).Shift.Get(rule.System(ctx), a.ShiftID)
	if err != nil {
		return nil, err
	}
	need, _, err := m.coverNeeded(ctx, a, s)
	return need, err
}

// CoverPremium is what the cover costs, for those who read it.
func (m *Market) CoverPremium(c *ent.InsuranceCover) *Money {
	return &Money{Amount: c.Premium, Currency: c.Currency}
}
