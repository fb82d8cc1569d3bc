package market

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"

	"flexwork/ent"
	"flexwork/ent/employer"
	"flexwork/ent/realname"
	"flexwork/ent/rule"
	"flexwork/ent/staffaction"
	"flexwork/ent/workerprofile"
	"flexwork/market/idcheck"
	"flexwork/market/jurisdiction"
	"flexwork/market/sealed"
)

// RealNameChecker asks an identity service whether a legal name and an
// identity number belong together (idcheck.Client).
type RealNameChecker interface {
	Name() string
	Check(ctx context.Context, name, number string) (idcheck.Answer, error)
}

// WithDataKey seals sensitive values with key (32 bytes; older keys still
// open what they sealed) and derives from it the key of identity digests.
func WithDataKey(box *sealed.Box, digestKey []byte) Option {
	return func(m *Market) { m.sealed, m.digestKey = box, digestKey }
}

// WithRealNameCheck checks real names with c; without it, staff decide.
func WithRealNameCheck(c RealNameChecker) Option { return func(m *Market) { m.idCheck = c } }

// RealNameInput is the name and number on a person's identity card.
type RealNameInput struct {
	LegalName string `json:"legalName" validate:"required,max=100"`
	IDNumber  string `json:"idNumber" validate:"required,max=40"`
}

// SubmitRealName records the viewer's legal name and PRC resident
// identity number, checked first by its check digit, then by the identity
// service when there is one (VERIFIED or REJECTED at once), else by staff
// (PENDING). The number is sealed at rest and shown masked; one identity
// verifies one account. A person verified already stays so.
func (m *Market) SubmitRealName(ctx context.Context, in RealNameInput) (*Changed, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	in.LegalName = strings.TrimSpace(in.LegalName)
	if err := Validate(in); err != nil {
		return nil, err
	}
	number, ok := jurisdiction.ValidResidentID(in.IDNumber)
	if !ok {
		return nil, BadInput("idNumber", "check the number: 18 characters whose last is the check digit of the others")
	}
	if m.sealed == nil {
		return nil, State(CodeRealNameUnavailable, "real-name verification is not set up on this server")
	}
	digest := m.idDigest(number)
	sys, c := rule.System(ctx), m.client(ctx) // the request's transaction: never a second connection
	// Whose the number is, and whether the viewer is done, before the
	// identity service is asked (and paid) for it.
	if taken, err := c.RealName.Query().Where(realname.IDNumberDigest(digest), realname.UserIDNEQ(v.UserID),
		realname.StatusNEQ(realname.StatusREJECTED)).Exist(sys); err != nil {
		return nil, err
	} else if taken {
		return nil, State(CodeIdentityInUse, "this identity number belongs to another account")
	}
	if done, err := c.RealName.Query().Where(realname.UserID(v.UserID), realname.StatusEQ(realname.StatusVERIFIED)).Exist(sys); err != nil {
		return nil, err
	} else if done {
		return nil, State(CodeRealNameVerified, "your real name is verified already")
	}
	status, by, ref, reason := realname.StatusPENDING, "", "", ""
	if m.idCheck != nil {
		// A service that cannot answer now leaves the check to staff.
		if a, err := m.idCheck.Check(ctx, in.LegalName, number); err == nil {
			status, by, ref, reason = realname.StatusREJECTED, m.idCheck.Name(), a.Ref, a.Reason
			if a.Match {
				status = realname.StatusVERIFIED
			}
		} else {
			m.logger.WarnContext(ctx, "real-name check failed; left to staff", "service", m.idCheck.Name(), "err", err)
		}
	}
	box, err := m.sealed.Seal([]byte(number), "real_names:"+v.UserID)
	if err != nil {
		return nil, err
	}
	var out *Changed
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		sys := rule.System(ctx)
		if _, err := c.RealName.Delete().Where(realname.UserID(v.UserID), realname.StatusNEQ(realname.StatusVERIFIED)).Exec(sys); err != nil {
			return err
		}
		create := c.RealName.Create().SetUserID(v.UserID).SetLegalName(in.LegalName).SetIDNumberSealed(box).
			SetIDNumberMasked(jurisdiction.MaskID(number)).SetStatus(status).
			SetCheckedBy(by).SetCheckRef(ref).SetReason(reason)
		switch status {
		case realname.StatusVERIFIED:
			create.SetVerifiedAt(m.Now()).SetIDNumberDigest(digest)
		case realname.StatusPENDING:
			create.SetIDNumberDigest(digest)
		}
		r, err := create.Save(sys)
		if ent.IsConstraintError(err) { // the same number, or the same person, at once
			return State(CodeIdentityInUse, "this identity number belongs to another account")
		}
		if err != nil {
			return err
		}
		out = &Changed{RealName: r}
		return nil
	})
	return out, err
}

// idDigest is the keyed digest of an identity number: equal numbers give
// equal digests, and without the key nobody can test a guess.
func (m *Market) idDigest(number string) string {
	mac := hmac.New(sha256.New, m.digestKey)
	mac.Write([]byte(number))
	return hex.EncodeToString(mac.Sum(nil))
}

// DecideRealNameInput is staff's decision on a pending real name.
type DecideRealNameInput struct {
	UserID   string  `json:"userID" validate:"required"`
	Verified bool    `json:"verified"`
	Reason   *string `json:"reason" validate:"omitempty,max=300"`
}

// DecideRealName is staff's decision on a real name the identity service
// did not decide, made against the card; audited.
func (m *Market) DecideRealName(ctx context.Context, in DecideRealNameInput) (*Changed, error) {
	v, err := staff(ctx, "decide real names")
	if err != nil {
		return nil, err
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	if !in.Verified && (in.Reason == nil || strings.TrimSpace(*in.Reason) == "") {
		return nil, BadInput("reason", "say why, for the person to put it right")
	}
	var out *Changed
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		sys := rule.System(ctx)
		r, err := c.RealName.Query().Where(realname.UserID(in.UserID)).Only(sys)
		if ent.IsNotFound(err) {
			return NotFound("real name")
		}
		if err != nil {
			return err
		}
		if r.Status != realname.StatusPENDING {
			return State(CodeRealNameNotPending, "this real name was decided already")
		}
		up := r.Update().SetCheckedBy(v.UserID).SetStatus(realname.StatusREJECTED)
		note := "rejected"
		if in.Verified {
			up.SetStatus(realname.StatusVERIFIED).SetVerifiedAt(m.Now())
			note = "verified"
		} else {
			up.SetReason(strings.TrimSpace(*in.Reason)).ClearIDNumberDigest()
			note += ": " + strings.TrimSpace(*in.Reason)
		}
		if r, err = up.Save(sys); err != nil {
			return err
		}
		if err := m.audit(ctx, c, staffaction.ActionREAL_NAME_DECIDED, in.UserID, note+" "+r.IDNumberMasked); err != nil {
			return err
		}
		out = &Changed{RealName: r}
		return nil
	})
	return out, err
}

// UserRealName is a user's real name, for them and staff; nil otherwise or
// before one is given.
func (m *Market) UserRealName(ctx context.Context, u *ent.User) (*ent.RealName, error) {
	r, err := m.client(ctx).RealName.Query().Where(realname.UserID(u.ID)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return r, err
}

// realNameVerified reports whether a worker's person is verified.
func realNameVerified(ctx context.Context, c *ent.Client, workerID string) (bool, error) {
	r, _, err := verifiedRealName(ctx, c, workerID)
	return r != nil, err
}

// verifiedRealName is a worker's verified real name, nil without one, and
// the worker's user ID.
func verifiedRealName(ctx context.Context, c *ent.Client, workerID string) (*ent.RealName, string, error) {
	sys := rule.System(ctx)
	uid, err := c.WorkerProfile.Query().Where(workerprofile.ID(workerID)).Select(workerprofile.FieldUserID).String(sys)
	if err != nil {
		return nil, "", err
	}
	r, err := c.RealName.Query().Where(realname.UserID(uid), realname.StatusEQ(realname.StatusVERIFIED)).Only(sys)
	if ent.IsNotFound(err) {
		return nil, uid, nil
	}
	return r, uid, err
}

// LicenceInput is an organisation's business licence number.
type LicenceInput struct {
	EmployerID string `json:"employerID" validate:"required"`
	CreditCode string `json:"creditCode" validate:"required,max=40"`
}

// SubmitBusinessLicence records an organisation's unified social credit
// code, checked by its check character, for staff to verify against the
// licence: its owners and managers submit it, and a new code waits for
// staff again.
func (m *Market) SubmitBusinessLicence(ctx context.Context, in LicenceInput) (*Changed, error) {
	if _, err := manager(ctx, in.EmployerID, "submit the business licence"); err != nil {
		return nil, err
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	code, ok := jurisdiction.ValidCreditCode(in.CreditCode)
	if !ok {
		return nil, BadInput("creditCode", "check the code: 18 characters whose last is the check character of the others")
	}
	var out *Changed
	err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		e, err := c.Employer.UpdateOneID(in.EmployerID).SetLicenceNumber(code).
			SetLicenceStatus(employer.LicenceStatusPENDING).Save(rule.System(ctx))
		if err != nil {
			return err
		}
		out = &Changed{Employer: e}
		return nil
	})
	return out, err
}

// DecideLicenceInput is staff's decision on a submitted licence.
type DecideLicenceInput struct {
	EmployerID string  `json:"employerID" validate:"required"`
	Verified   bool    `json:"verified"`
	Reason     *string `json:"reason" validate:"omitempty,max=300"`
}

// DecideBusinessLicence is staff's decision on a submitted licence, made
// against the licence and the public register; audited.
func (m *Market) DecideBusinessLicence(ctx context.Context, in DecideLicenceInput) (*Changed, error) {
	if _, err := staff(ctx, "decide business licences"); err != nil {
		return nil, err
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	if !in.Verified && (in.Reason == nil || strings.TrimSpace(*in.Reason) == "") {
		return nil, BadInput("reason", "say why, for the organisation to put it right")
	}
	var out *Changed
	err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		sys := rule.System(ctx)
		to, note := employer.LicenceStatusREJECTED, "rejected"
		if in.Verified {
			to, note = employer.LicenceStatusVERIFIED, "verified"
		} else {
			note += ": " + strings.TrimSpace(*in.Reason)
		}
		n, err := c.Employer.Update().Where(employer.ID(in.EmployerID), employer.LicenceStatusEQ(employer.LicenceStatusPENDING)).
			SetLicenceStatus(to).Save(sys)
		if err != nil {
			return err
		}
		if n == 0 {
			if ok, err := c.Employer.Query().Where(employer.ID(in.EmployerID)).Exist(sys); err != nil || !ok {
				return errors.Join(err, NotFound("employer"))
			}
			return State(CodeLicenceNotPending, "no licence of this organisation waits for a decision")
		}
		if err := m.audit(ctx, c, staffaction.ActionLICENCE_DECIDED, in.EmployerID, note); err != nil {
			return err
		}
		out = &Changed{Employer: &ent.Employer{ID: in.EmployerID}}
		return out.reload(ctx, c)
	})
	return out, err
}

// RealNameNumber is the identity number in full, for its owner alone.
func (m *Market) RealNameNumber(ctx context.Context, r *ent.RealName) (*string, error) {
	v, err := signedIn(ctx)
	if err != nil || v.UserID != r.UserID || m.sealed == nil {
		return nil, nil
	}
	n, err := m.sealed.Open(r.IDNumberSealed, "real_names:"+r.UserID)
	if err != nil {
		return nil, err
	}
	s := string(n)
	return &s, nil
}

// PendingRealNames are the real names waiting for staff, oldest first.
func (m *Market) PendingRealNames(ctx context.Context) ([]*ent.RealName, error) {
	if _, err := staff(ctx, "read pending real names"); err != nil {
		return nil, err
	}
	return m.client(ctx).RealName.Query().Where(realname.StatusEQ(realname.StatusPENDING)).
		Order(ent.Asc(realname.FieldCreatedAt)).Limit(100).All(ctx)
}
