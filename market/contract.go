package market

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"text/template"
	"time"

	"flexwork/ent"
	"flexwork/ent/contract"
	"flexwork/ent/rule"
	"flexwork/ent/schema/enum"
	"flexwork/ent/shift"
	"flexwork/ent/workerprofile"
)

// ContractTemplateVersion names the contract wording below. Change the
// wording only together with the version: signed contracts keep the version
// and the SHA-256 of the exact text both parties saw.
const ContractTemplateVersion = "flexwork-contract/2026-11/v2"

// PaymentTerm is how long after approval the employer has to pay.
const PaymentTerm = 7 * 24 * time.Hour

// relationship says, per engagement type, what kind of legal relationship
// the hire creates, who insures the work, and who pays taxes.
var relationship = map[enum.EngagementType]struct{ Nature, Insurance string }{
	enum.PartTime: {
		"This is a part-time employment relationship between the Employer and the Worker for the shift below. " +
			"The Employer withholds wage tax and pays social security contributions as the law requires.",
		"The Worker is covered by the Employer's statutory accident insurance while working the shift.",
	},
	enum.PlatformGig: {
		"The Worker takes on this shift as a self-employed contractor through the flexwork platform. " +
			"There is no employment relationship; the Worker is responsible for their own taxes and contributions.",
		"The Worker is responsible for their own accident and liability insurance; the Employer keeps the " +
			"workplace safe and tells the Worker of its hazards before the shift.",
	},
	enum.Dispatch: {
		"The Worker is dispatched to the Employer's site for this shift (temporary agency work). The Worker " +
			"keeps equal pay and working conditions for the work done, and the working-time rules of the site apply.",
		"The Worker is covered by statutory accident insurance; the Employer is responsible for safety at its site.",
	},
	enum.Outsourcing: {
		"The work is performed as an outsourced service under the direction of the contractor, not of the " +
			"Employer's own staff. The contractor remains responsible for the Worker's employment obligations.",
		"Accident insurance is provided through the contractor; the Employer keeps the site safe.",
	},
}

var contractText = template.Must(template.New("contract").Parse(`FLEXIBLE WORK CONTRACT
Template {{.Version}}

1. Parties
Employer: {{.Employer}}
Worker: {{.Worker}}

2. Nature of the working relationship ({{.Engagement}})
{{.Nature}}

3. The work
{{.Title}}
Place: {{.Address}} ({{printf "%.5f" .Lat}}, {{printf "%.5f" .Lng}}); check-in within {{.Geofence}} m of the place.
Time: {{.Start}} to {{.End}} ({{.TimeZone}}), with an unpaid break of {{.Break}} minutes.

4. Pay
{{.Pay}} per {{.Unit}}, before any deductions the law requires. The Employer approves the Worker's
timesheet after the shift; a timesheet not acted on within 72 hours is approved as submitted. The
amount approved is due within {{.PaymentDays}} days of approval.
If the Employer cancels this hire less than 24 hours before the start, it owes the Worker a
cancellation fee of half the pay for the scheduled time ({{.Fee}}), due within {{.PaymentDays}} days
of the cancellation, like wages.

5. Insurance
{{.Insurance}}
{{if .NDA}}
6. Confidentiality
The Worker keeps confidential all non-public information about the Employer's business learned during
the shift, during the shift and for two years after it.
{{end}}
Both parties sign electronically in the flexwork app. This text is identified by its SHA-256 digest;
any change to it makes a different contract.
`))

// renderContract writes the contract text of a hire.
func renderContract(s *ent.Shift, employer, workerName string) (string, error) {
	loc := shiftLocation(s)
	rel := relationship[s.EngagementType]
	unit := "hour"
	if s.PayUnit == shift.PayUnitSHIFT {
		unit = "shift"
	}
	var b bytes.Buffer
	err := contractText.Execute(&b, map[string]any{
		"Version": ContractTemplateVersion, "Employer": employer, "Worker": workerName,
		"Engagement": strings.ToLower(strings.ReplaceAll(string(s.EngagementType), "_", " ")),
		"Nature":     rel.Nature, "Insurance": rel.Insurance,
		"Title": s.Title, "Address": s.Address, "Lat": s.Lat, "Lng": s.Lng, "Geofence": s.GeofenceRadiusM,
		"Start": s.StartsAt.In(loc).Format("Monday 2 January 2006, 15:04"), "End": s.EndsAt.In(loc).Format("15:04 (2 Jan)"),
		"TimeZone": s.TimeZone, "Break": s.UnpaidBreakMinutes,
		"Pay": FormatMoney(s.PayRate, s.Currency), "Unit": unit, "PaymentDays": int(PaymentTerm.Hours() / 24),
		"NDA": s.Nda, "Fee": FormatMoney(cancellationFee(s), s.Currency),
	})
	return b.String(), err
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
	body, err := contractFor(ctx, c, s, a)
	if err != nil {
		return nil, err
	}
	return c.Contract.Create().
		SetAssignmentID(a.ID).SetWorkerID(a.WorkerID).SetEmployerID(a.EmployerID).
		SetTemplateVersion(ContractTemplateVersion).SetBody(body).SetSha256(sha256Hex(body)).
		Save(ctx)
}

// contractFor renders the contract text of a hire of the shift as it
// stands.
func contractFor(ctx context.Context, c *ent.Client, s *ent.Shift, a *ent.Assignment) (string, error) {
	e, err := c.Employer.Get(ctx, s.EmployerID)
	if err != nil {
		return "", err
	}
	w, err := c.WorkerProfile.Query().Where(workerprofile.ID(a.WorkerID)).WithUser().Only(ctx)
	if err != nil {
		return "", err
	}
	return renderContract(s, e.Name, w.Edges.User.DisplayName)
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
	body, err := contractFor(sys, c, s, a)
	if err != nil || sha256Hex(body) == k.Sha256 {
		return false, err
	}
	now, by := m.Now(), actor(ctx)
	if err := c.Contract.UpdateOneID(k.ID).
		SetBody(body).SetSha256(sha256Hex(body)).SetTemplateVersion(ContractTemplateVersion).AddRevision(1).
		ClearWorkerSignedAt().SetEmployerSignedAt(now).SetEmployerSignedByID(by).Exec(sys); err != nil {
		return false, err
	}
	_, err = m.appendLedger(ctx, c, LedgerContractReissued, k.ID, by, map[string]any{
		"assignment": a.ID, "revision": k.Revision + 1, "sha256": sha256Hex(body), "template": ContractTemplateVersion,
		"employerSigned": true, "replacedSha256": k.Sha256, "replacedBody": k.Body,
	})
	return true, err
}

// SignContract records the viewer's signature: the worker signs for
// themself, an owner or manager for the employer. A contract whose text no
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
