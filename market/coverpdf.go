package market

import (
	"context"
	"fmt"
	"strings"

	"flexwork/ent"
	"flexwork/ent/assignment"
	"flexwork/ent/rule"
	"flexwork/market/contractpdf"
)

// CoverCertificatePath is where the worker (and the hire's organisations,
// and staff) download a cover's certificate, with the same bearer token
// the app sends to /graphql.
func CoverCertificatePath(id string) string { return "/covers/" + id + ".pdf" }

// CoverCertificate renders a certificate of cover as a PDF, in Chinese and
// English: who is covered, for which work, by whom, under which number,
// from when to when, and who pays. A cover the viewer may not read is not
// found, as over GraphQL.
func (m *Market) CoverCertificate(ctx context.Context, id string) ([]byte, error) {
	if _, err := signedIn(ctx); err != nil {
		return nil, err
	}
	c, err := m.db.InsuranceCover.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, NotFound("cover")
	}
	if err != nil {
		return nil, err
	}
	sys := rule.System(ctx)
	a, err := m.db.Assignment.Query().Where(assignment.ID(c.AssignmentID)).WithShift().Only(sys)
	if err != nil {
		return nil, err
	}
	name, err := m.insuredName(ctx, c.WorkerID)
	if err != nil {
		return nil, err
	}
	loc := shiftLocation(a.Edges.Shift)
	when := func(t interface{ Format(string) string }) string { return t.Format("2006-01-02 15:04 MST") }
	var b strings.Builder
	line := func(zh, en, value string) { fmt.Fprintf(&b, "%s / %s: %s\n", zh, en, value) }
	line("被保险人", "Insured", name)
	line("保障类型", "Cover", string(c.Kind))
	line("保险人", "Insurer", c.Insurer)
	line("保单或参保号", "Policy or enrolment number", c.PolicyNumber)
	line("保障期间自", "Covers from", when(c.CoversFrom.In(loc)))
	line("保障期间至", "Covers to", when(c.CoversTo.In(loc)))
	line("用工", "Work", a.Edges.Shift.Title+", "+a.Edges.Shift.Address)
	line("状态", "Status", string(c.Status))
	if c.Premium > 0 {
		line("保费", "Premium", FormatMoney(c.Premium, c.Currency))
	}
	body := b.String()
	return contractpdf.Render(contractpdf.Contract{ID: c.ID, Sha256: sha256Hex(body), TemplateVersion: "cover/v1", Revision: 1,
		Body: body, Title: "保险保障凭证 / Certificate of cover", Signatures: []string{"记录 / Recorded: " + when(c.CreatedAt.UTC())}})
}

// CoverCertificateURL is the cover's certificate path.
func (m *Market) CoverCertificateURL(c *ent.InsuranceCover) string { return CoverCertificatePath(c.ID) }
