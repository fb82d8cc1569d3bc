package server

import (
	"context"
	"log/slog"
	"net/http"
	"strings"

	"flexwork/market"
)

// contractPDF serves GET /contracts/{id}.pdf to the parties of a contract,
// authenticated by the same bearer token as /graphql. Anyone else gets 404,
// as a node lookup would answer them.
func contractPDF(m *market.Market, log *slog.Logger) http.Handler {
	return pdfFile(m.ContractPDF, "contract pdf", log)
}

// coverPDF serves GET /covers/{id}.pdf, a cover's certificate, to whoever
// reads the cover, as contractPDF serves contracts.
func coverPDF(m *market.Market, log *slog.Logger) http.Handler {
	return pdfFile(m.CoverCertificate, "cover pdf", log)
}

// reportCSV serves GET /reports/{id}.csv, a rights report as issued (its
// SHA-256 is on the ledger), to auditors and staff.
func reportCSV(m *market.Market, log *slog.Logger) http.Handler {
	return download(m.RightsReportCSV, ".csv", "text/csv; charset=utf-8", "report csv", log)
}

// pdfFile serves the PDF render makes of {file}'s ID.
func pdfFile(render func(context.Context, string) ([]byte, error), what string, log *slog.Logger) http.Handler {
	return download(render, ".pdf", "application/pdf", what, log)
}

// download serves what render makes of {file}'s ID, the file named by its
// extension ext.
func download(render func(context.Context, string) ([]byte, error), ext, contentType, what string, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := strings.CutSuffix(r.PathValue("file"), ext)
		if !ok {
			http.NotFound(w, r)
			return
		}
		b, err := render(r.Context(), id)
		if err != nil {
			refuse(w, r, log, what+" "+id, err)
			return
		}
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Content-Disposition", `inline; filename="`+id+ext+`"`)
		w.Header().Set("Cache-Control", "private, no-store")
		_, _ = w.Write(b)
	})
}

// refuse answers an error on a plain-HTTP route (contracts, the ledger's
// well-known URLs): a market refusal with its code's HTTP status and its
// message, anything else logged and masked as 500.
func refuse(w http.ResponseWriter, r *http.Request, log *slog.Logger, what string, err error) {
	e, ok := market.AsError(err)
	if !ok {
		log.ErrorContext(r.Context(), what, "err", err)
		http.Error(w, "internal server error", http.StatusInternalServerError)
		return
	}
	status := http.StatusBadRequest
	switch e.Code {
	case market.CodeUnauthenticated:
		w.Header().Set("WWW-Authenticate", "Bearer")
		status = http.StatusUnauthorized
	case market.CodeForbidden:
		status = http.StatusForbidden
	case market.CodeNotFound:
		status = http.StatusNotFound
	}
	http.Error(w, e.Message, status)
}
