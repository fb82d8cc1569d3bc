package server

import (
	"log/slog"
	"net/http"
	"strings"

	"flexwork/market"
)

// contractPDF serves GET /contracts/{id}.pdf to the parties of a contract,
// authenticated by the same bearer token as /graphql. Anyone else gets 404,
// as a node lookup would answer them.
func contractPDF(m *market.Market, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := strings.CutSuffix(r.PathValue("file"), ".pdf")
		if !ok {
			http.NotFound(w, r)
			return
		}
		b, err := m.ContractPDF(r.Context(), id)
		if err != nil {
			e, known := market.AsError(err)
			switch {
			case known && e.Code == market.CodeUnauthenticated:
				w.Header().Set("WWW-Authenticate", "Bearer")
				http.Error(w, "sign in to download a contract", http.StatusUnauthorized)
			case known && e.Code == market.CodeNotFound:
				http.NotFound(w, r)
			default:
				log.ErrorContext(r.Context(), "contract pdf", "contract", id, "err", err)
				http.Error(w, "internal server error", http.StatusInternalServerError)
			}
			return
		}
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", `inline; filename="`+id+`.pdf"`)
		w.Header().Set("Cache-Control", "private, no-store")
		_, _ = w.Write(b)
	})
}
