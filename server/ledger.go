package server

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strconv"

	"flexwork/market"
)

// ledgerCheckpoint publishes the ledger's latest signed checkpoint at a
// well-known URL, for witnesses and anyone keeping one: a signed note, as
// text.
func ledgerCheckpoint(m *market.Market, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cp, err := m.LatestCheckpoint(r.Context())
		switch {
		case err != nil:
			refuse(w, r, log, "ledger checkpoint", err)
			return
		case cp == nil:
			http.Error(w, "no checkpoint yet", http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write([]byte(cp.Note))
	})
}

// ledgerKey publishes the public key that checkpoints verify with.
func ledgerKey(m *market.Market) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte(m.LogKey() + "\n"))
	})
}

// ledgerConsistency answers GET /ledger/consistency?from=N&to=M with the
// consistency proof, as JSON {"proof": [base64…]}: what a witness asks.
func ledgerConsistency(m *market.Market, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		from, err1 := strconv.Atoi(r.URL.Query().Get("from"))
		to, err2 := strconv.Atoi(r.URL.Query().Get("to"))
		if err1 != nil || err2 != nil {
			http.Error(w, "from and to must be sizes", http.StatusBadRequest)
			return
		}
		p, err := m.LedgerConsistency(r.Context(), from, to)
		if err != nil {
			refuse(w, r, log, "ledger consistency", err)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"proof": p})
	})
}

// ledgerCosign takes a witness's cosignature of a checkpoint (POST the
// signed note the witness made) and keeps it with the checkpoint.
func ledgerCosign(m *market.Market, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, "unreadable body", http.StatusBadRequest)
			return
		}
		if _, err = m.Cosign(r.Context(), string(b)); err != nil {
			refuse(w, r, log, "ledger cosignature", err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}
