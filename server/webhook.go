package server

import (
	"errors"
	"io"
	"log/slog"
	"net/http"

	"flexwork/ent/rule"
	"flexwork/market"
	"flexwork/money"
)

// fundingWebhook takes the funding provider's notices: a signed notice
// that an employer's payment arrived credits its funds, once however
// often the provider sends it. A notice that is not the provider's is
// refused (400); one about anything else is acknowledged; a deposit that
// cannot be credited is not (the provider sends it again, and the log
// says why).
func fundingWebhook(m *market.Market, p money.FundingProvider, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, "unreadable body", http.StatusBadRequest)
			return
		}
		d, ok, err := p.Funded(body, r.Header)
		switch {
		case errors.Is(err, money.ErrBadSignature):
			log.WarnContext(r.Context(), "funding webhook: bad signature", "provider", p.Name())
			http.Error(w, "bad signature", http.StatusBadRequest)
			return
		case err != nil:
			refuse(w, r, log, "funding webhook", err)
			return
		case !ok:
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if err := m.CreditDeposit(rule.System(r.Context()), d); err != nil {
			log.ErrorContext(r.Context(), "funding webhook: deposit not credited", "provider", p.Name(),
				"reference", d.Reference, "employer", d.EmployerID, "err", err)
			refuse(w, r, log, "funding webhook", err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}
