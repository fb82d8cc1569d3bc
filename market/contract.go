package market

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"flexwork/ent"
	"flexwork/ent/contract"
	"flexwork/ent/rule"
	"flexwork/ent/shift"
	"flexwork/ent/workerprofile"
	"flexwork/i18n"
	"flexwork/market/jurisdiction"
)

// PaymentTerm is how long after approval the employer has to pay, unless
// the shift says otherwise (Shift.pay_cycle_days, 7 by default).
const PaymentTerm = 7 * 24 * time.Hour

// A contract's wording lives in market/jurisdiction/contracts, one template
// per jurisdiction and language, covering each engagement type; each pack's
// template has a version that changes with its text. Signed contracts keep
// the version and the SHA-256 of the exact text every party saw.

// renderContract writes the contract text of a hire under the employer's
// jurisdiction, in its prevailing language and in the worker's when that
// differs, and names the template version it used.
func renderContract(s *ent.Shift, e *ent.Employer, agency, workerName, workerLang string) (body, version string, err error) {
	pack := jurisdiction.For(jurisdiction.Code(e.Jurisdiction))
	city, _ := jurisdiction.CityAt(s.Lat, s.Lng)
	digits := currencies[s.Currency]
	terms := jurisdiction.Terms{
		Engagement: s.EngagementType, Employer: e.Name, Agency: agency, Worker: workerName,
		Title: s.Title, Address: s.Address, Lat: s.Lat, Lng: s.Lng, Geofence: s.GeofenceRadiusM,
		StartsAt: s.StartsAt, EndsAt: s.EndsAt, Location: shiftLocation(s), BreakMinutes: s.UnpaidBreakMinutes,
		Pay:     i18n.Money{Amount: s.PayRate, Currency: s.Currency, Digits: digits},
		PerHour: s.PayUnit == shift.PayUnitHOUR, PayCycleDays: s.PayCycleDays,
		CancellationFee: i18n.Money{Amount: cancellationFee(s), Currency: s.Currency, Digits: digits},
		NDA:             s.Nda, City: city,
	}
	if s.PostNature != nil {
		terms.PostNature = s.PostNature.String()
	}
	if s.PostMonths != nil {
		terms.PostMonths = *s.PostMonths
	}
	body, err = pack.Contract.Render(terms, workerLang)
	return body, pack.Contract.Version, err
}

// FormatMoney writes minor units as "15.50 EUR".
func FormatMoney(amount int64, currency string) string {
	digits := currencies[currency]
	if digits == 0 {
		return fmt.Sprintf("%d %s", amount, currency)
	}
	div := int64(1)
	for range digits {
		div *= 10
	}
	sign := ""
	if amount < 0 {
		sign, amount = "-", -amount
	}
	return fmt.Sprintf("%s%d.%0*d %s", sign, amount/div, digits, amount%div, currency)
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// writeContract renders and stores the contract of a new assignment.
func (m *Market) writeContract(ctx context.Context, c *ent.Client, s *ent.Shift, a *ent.Assignment) (*ent.Contract, error) {
	body, version, err := contractFor(ctx, c, s, a)
	if err != nil {
		return nil, err
	}
	return c.Contract.Create().
		SetAssignmentID(a.ID).SetWorkerID(a.WorkerID).SetEmployerID(a.EmployerID).SetNillableAgencyID(a.AgencyID).
		SetTemplateVersion(version).SetBody(body).SetSha256(sha256Hex(body)).
		Save(ctx)
}

// contractFor renders the contract text of a hire of the shift as it
// stands.
func contractFor(ctx context.Context, c *ent.Client, s *ent.Shift, a *ent.Assignment) (body, version string, err error) {
	e, err := c.Employer.Get(ctx, s.EmployerID)
	if err != nil {
		return "", "", err
	}
	agency := ""
	if s.AgencyID != nil {
		ag, err := c.Employer.Get(ctx, *s.AgencyID)
		if err != nil {
			return "", "", err
		}
		agency = ag.Name
	}
	w, err := c.WorkerProfile.Query().Where(workerprofile.ID(a.WorkerID)).WithUser().Only(ctx)
	if err != nil {
		return "", "", err
	}
	return renderContract(termsOf(s, a), e, agency, w.Edges.User.DisplayName, w.Edges.User.Locale)
}

// LedgerContractReissued records a contract's new text after the terms of
// its shift changed, with the text and digest it replaced.
const LedgerContractReissued = "CONTRACT_REISSUED"

// reissueContract writes a hire's contract again from the shift as it now
// stands, when its text differs: a new revision, which the employer, having
// made the change, signs; the worker signs it again before checking in.
// It reports whether the text changed.
func (m *Market) reissueContract(ctx context.Context, c *ent.Client, s *ent.Shift, a *ent.Assignment) (bool, error) {
	sys := rule.System(ctx)
	k, err := c.Contract.Query().Where(contract.AssignmentID(a.ID)).Only(sys)
	if err != nil {
		return false, err
	}
	body, version, err := contractFor(sys, c, s, a)
	if err != nil || sha256Hex(body) == k.Sha256 {
		return false, err
	}
	now, by := m.Now(), actor(ctx)
	if err := c.Contract.UpdateOneID(k.ID).
		SetBody(body).SetSha256(sha256Hex(body)).SetTemplateVersion(version).AddRevision(1).
		ClearWorkerSignedAt().ClearAgencySignedAt().SetEmployerSignedAt(now).SetEmployerSignedByID(by).Exec(sys); err != nil {
		return false, err
	}
	_, err = m.appendLedger(ctx, c, LedgerContractReissued, k.ID, by, map[string]any{
		"assignment": a.ID, "revision": k.Revision + 1, "sha256": sha256Hex(body), "template": version,
		"employerSigned": true, "replacedSha256": k.Sha256, "replacedBody": k.Body,
	})
	return true, err
}

// SignContract records the viewer's signature: the worker signs for
// themself, an owner or manager for the employer, and one of the agency or
// contractor for it where the hire has a third party. A contract whose text no
// longer matches its digest cannot be signed.
func (m *Market) SignContract(ctx context.Context, id string) (*Changed, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	var out *Changed
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		k, err := c.Contract.Get(ctx, id)
		if ent.IsNotFound(err) {
			return NotFound("contract")
		}
		if err != nil {
			return err
		}
		if sha256Hex(k.Body) != k.Sha256 {
			return fmt.Errorf("contract %s: body does not match its digest", k.ID)
		}
		now := m.Now()
		up := c.Contract.Update().Where(contract.ID(id))
		party := "worker"
		switch {
		case v.WorkerID != "" && v.WorkerID == k.WorkerID:
			up.Where(contract.WorkerSignedAtIsNil()).SetWorkerSignedAt(now)
		case v.IsMember(k.EmployerID):
			if _, err := manager(ctx, k.EmployerID, "sign contracts"); err != nil {
				return err
			}
			party = "employer"
			up.Where(contract.EmployerSignedAtIsNil()).SetEmployerSignedAt(now).SetEmployerSignedByID(v.UserID)
		case k.AgencyID != nil && v.IsMember(*k.AgencyID):
			if _, err := manager(ctx, *k.AgencyID, "sign contracts"); err != nil {
				return err
			}
			party = "agency"
			up.Where(contract.AgencySignedAtIsNil()).SetAgencySignedAt(now).SetAgencySignedByID(v.UserID)
		default:
			return Forbidden("only the parties sign a contract")
		}
		n, err := up.Where(contract.Sha256(k.Sha256)).Save(ctx) // the text the signer was shown
		if err != nil {
			return err
		}
		if cur, err := c.Contract.Get(ctx, id); n == 0 && err == nil && cur.Sha256 != k.Sha256 {
			return State(CodeShiftChanged, "the contract was re-issued just now with new terms; read it again")
		}
		out = &Changed{Contract: k, Assignment: &ent.Assignment{ID: k.AssignmentID}}
		if n == 0 {
			// Signed already (a retry, or a fellow manager for the
			// employer): the contract stands signed, as the caller meant.
			return out.reload(ctx, c)
		}
		if _, err := m.appendLedger(ctx, c, LedgerContractSigned, k.ID, v.UserID, map[string]any{
			"assignment": k.AssignmentID, "party": party, "sha256": k.Sha256, "template": k.TemplateVersion,
		}); err != nil {
			return err
		}
		return out.reload(ctx, c)
	})
	return out, err
}
