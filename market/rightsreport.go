package market

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"time"

	"flexwork/ent"
	"flexwork/ent/employer"
	"flexwork/ent/rightsreport"
	"flexwork/ent/rule"
	"flexwork/ent/schema/rights"
	"flexwork/ent/staffaction"
	"flexwork/ent/user"
	"flexwork/ent/viewer"
	"flexwork/ledger"
)

// LedgerRightsReportIssued records a report's CSV digest, so that anyone
// holding the CSV can prove it is the one issued (its receipt).
const LedgerRightsReportIssued = "RIGHTS_REPORT_ISSUED"

// RightsReportInput is the period a report covers: hires whose shifts
// start from From and before To.
type RightsReportInput struct {
	From time.Time `json:"from" validate:"required"`
	To   time.Time `json:"to" validate:"required"`
	// Jurisdiction counts only its organisations; nil counts all.
	Jurisdiction *employer.Jurisdiction `json:"jurisdiction"`
}

// AppointAuditorInput makes a user an auditor for a body.
type AppointAuditorInput struct {
	UserID string `json:"userID" validate:"required"`
	Body   string `json:"body" validate:"required,max=120"`
}

// maxReportPeriod keeps a report to a year, the longest period the
// indicators are read over.
const maxReportPeriod = 366 * 24 * time.Hour

// auditorOrStaff is the viewer when they supervise the platform.
func auditorOrStaff(ctx context.Context, what string) (*viewer.Viewer, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if !v.Auditor && !v.Staff {
		return nil, Forbidden("only auditors and staff %s", what)
	}
	return v, nil
}

// AppointAuditor, for staff: the user becomes an auditor for body (a
// regulator or an industry association). From their next request they
// read aggregates and reports, and no one's personal data.
func (m *Market) AppointAuditor(ctx context.Context, in AppointAuditorInput) (*Changed, error) {
	if _, err := staff(ctx, "appoint auditors"); err != nil {
		return nil, err
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	body := strings.TrimSpace(in.Body)
	var out *Changed
	err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		n, err := c.User.Update().Where(user.ID(in.UserID)).SetAuditorFor(body).Save(rule.System(ctx))
		if err != nil {
			return err
		}
		if n == 0 {
			return NotFound("user")
		}
		if err := m.audit(ctx, c, staffaction.ActionAUDITOR_APPOINTED, in.UserID, body); err != nil {
			return err
		}
		out = &Changed{User: &ent.User{ID: in.UserID}}
		return out.reload(ctx, c)
	})
	return out, err
}

// IssueRightsReport, for auditors and staff: counts the workers'-rights
// indicators of every organisation that hired in the period, and of the
// platform, as CSV; keeps it, and puts its SHA-256 on the ledger.
func (m *Market) IssueRightsReport(ctx context.Context, in RightsReportInput) (*ent.RightsReport, error) {
	v, err := auditorOrStaff(ctx, "issue rights reports")
	if err != nil {
		return nil, err
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	if !in.To.After(in.From) {
		return nil, BadInput("to", "the period must end after it starts")
	}
	if in.To.Sub(in.From) > maxReportPeriod {
		return nil, BadInput("to", "a report covers at most a year")
	}
	from, to := in.From.UTC(), in.To.UTC()
	scope := hires{from: from, to: to}
	if in.Jurisdiction != nil {
		scope.jurisdiction = *in.Jurisdiction
	}
	figures, err := m.rightsFigures(ctx, scope, m.Now())
	if err != nil {
		return nil, err
	}
	body, err := m.rightsCSV(ctx, from, to, scope.jurisdiction, figures)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	digest := hex.EncodeToString(sum[:])
	var out *ent.RightsReport
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		sys := rule.System(ctx)
		create := c.RightsReport.Create().SetPeriodFrom(from).SetPeriodTo(to).SetIssuedByID(v.UserID).SetCsv(string(body)).SetSha256(digest)
		if scope.jurisdiction != "" {
			create.SetJurisdiction(rightsreport.Jurisdiction(scope.jurisdiction))
		}
		r, err := create.Save(sys)
		if err != nil {
			return err
		}
		if _, err := m.appendLedger(ctx, c, LedgerRightsReportIssued, r.ID, v.UserID, map[string]any{
			"from": from.Format(time.RFC3339), "to": to.Format(time.RFC3339), "jurisdiction": string(scope.jurisdiction), "sha256": digest,
		}); err != nil {
			return err
		}
		out = r
		return nil
	})
	return out, err
}

// RightsReports lists the reports issued, newest first, to auditors and
// staff.
func (m *Market) RightsReports(ctx context.Context) ([]*ent.RightsReport, error) {
	if _, err := auditorOrStaff(ctx, "read rights reports"); err != nil {
		return nil, err
	}
	return m.client(ctx).RightsReport.Query().Order(ent.Desc(rightsreport.FieldCreatedAt), ent.Desc(rightsreport.FieldID)).
		Limit(100).All(ctx)
}

// RightsReportCSV is a report's CSV, for whoever reads the report.
func (m *Market) RightsReportCSV(ctx context.Context, id string) ([]byte, error) {
	r, err := m.client(ctx).RightsReport.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, NotFound("report")
	}
	if err != nil {
		return nil, err
	}
	return []byte(r.Csv), nil
}

// rightsCSVHeader names the report's columns; rates are shares from 0 to
// 1, empty where nothing was counted.
var rightsCSVHeader = []string{
	"scope", "organisation_id", "organisation", "jurisdiction", "period_from", "period_to",
	"hires", "contracted", "contract_rate",
	"wages_due", "wages_on_time", "wages_on_time_rate",
	"cover_required", "covered", "cover_rate",
	"disputes", "disputes_settled", "disputes_decided", "disputes_open",
	"average_credit", "workers", "workers_verified", "real_name_rate",
}

// rightsCSV writes the platform's row, then one per organisation by name.
func (m *Market) rightsCSV(ctx context.Context, from, to time.Time, scope employer.Jurisdiction, figures map[string]*rights.Figures) ([]byte, error) {
	ids := keys(figures)
	orgs, err := m.client(ctx).Employer.Query().Where(employer.IDIn(ids...)).Select(employer.FieldName, employer.FieldJurisdiction).All(rule.System(ctx))
	if err != nil {
		return nil, err
	}
	slices.SortFunc(orgs, func(a, b *ent.Employer) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID)) })
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	period := []string{from.Format(time.RFC3339), to.Format(time.RFC3339)}
	_ = w.Write(rightsCSVHeader)
	_ = w.Write(append(append([]string{"PLATFORM", "", "", string(scope)}, period...), rightsColumns(figures[""])...))
	for _, e := range orgs {
		_ = w.Write(append(append([]string{"ORGANISATION", e.ID, e.Name, string(e.Jurisdiction)}, period...), rightsColumns(figures[e.ID])...))
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

func rightsColumns(f *rights.Figures) []string {
	n := strconv.Itoa
	rate := func(part, whole int) string {
		if r := rights.Rate(part, whole); r != nil {
			return strconv.FormatFloat(*r, 'f', 4, 64)
		}
		return ""
	}
	return []string{
		n(f.Hires), n(f.Contracted), rate(f.Contracted, f.Hires),
		n(f.WagesDue), n(f.WagesOnTime), rate(f.WagesOnTime, f.WagesDue),
		n(f.CoverRequired), n(f.Covered), rate(f.Covered, f.CoverRequired),
		n(f.Disputes), n(f.DisputesSettled), n(f.DisputesDecided), n(f.DisputesOpen),
		strconv.FormatFloat(f.AverageCredit, 'f', 1, 64), n(f.Workers), n(f.WorkersVerified), rate(f.WorkersVerified, f.Workers),
	}
}

// RightsReportCSVPath is where a report's CSV is downloaded.
func RightsReportCSVPath(id string) string { return "/reports/" + id + ".csv" }

// RightsReportReceipt proves the report's digest is in the ledger's log,
// for whoever reads the report; nil until a checkpoint covers it.
func (m *Market) RightsReportReceipt(ctx context.Context, r *ent.RightsReport) (*ledger.Receipt, error) {
	return m.latestReceipt(ctx, r.ID, LedgerRightsReportIssued)
}
