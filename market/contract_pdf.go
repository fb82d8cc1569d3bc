package market

import (
	"context"
	"fmt"
	"time"

	"flexwork/ent"
	"flexwork/i18n"
	"flexwork/market/contractpdf"
)

// ContractPDFPath is where a party downloads a contract as a PDF, with the
// same bearer token the app sends to /graphql.
func ContractPDFPath(id string) string { return "/contracts/" + id + ".pdf" }

// ContractPDF renders a contract the viewer is a party to as a PDF: its
// signed text, byte for byte, with its digest and every signature. A
// contract the viewer may not read is not found, as over GraphQL.
func (m *Market) ContractPDF(ctx context.Context, id string) ([]byte, error) {
	if _, err := signedIn(ctx); err != nil {
		return nil, err
	}
	k, err := m.db.Contract.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, NotFound("contract")
	}
	if err != nil {
		return nil, err
	}
	if sha256Hex(k.Body) != k.Sha256 {
		return nil, fmt.Errorf("contract %s: body does not match its digest", k.ID)
	}
	lang := i18n.Language(ctx)
	sign := func(party string, at *time.Time) string {
		when := i18n.T(lang, "contract.unsigned", nil)
		if at != nil {
			when = at.UTC().Format("2006-01-02 15:04 UTC")
		}
		return i18n.T(lang, "contract.party."+party, nil) + ": " + when
	}
	sigs := []string{sign("worker", k.WorkerSignedAt), sign("employer", k.EmployerSignedAt)}
	if k.AgencyID != nil {
		sigs = append(sigs, sign("agency", k.AgencySignedAt))
	}
	return contractpdf.Render(contractpdf.Contract{ID: k.ID, Sha256: k.Sha256, TemplateVersion: k.TemplateVersion,
		Revision: k.Revision, Body: k.Body, Signatures: sigs, Title: i18n.T(lang, "contract.title", nil)})
}
