// Package stripefake is a stand-in for the part of Stripe's API flexwork's
// payouts use (POST and GET /v1/transfers), for tests: Stripe's own Go SDK
// talks to it over HTTP. It also takes employers' payments (POST
// /v1/payment_intents) and, when told a payment succeeded, sends the
// signed payment_intent.succeeded webhook as Stripe does. It keeps Stripe's promises that matter here: an
// Idempotency-Key answers again with the first transfer made under it (and
// refuses other parameters under it), transfers are listed by transfer
// group, and a destination it does not know is refused with a 400. It can
// be told to be slow, or to make a transfer and lose its answer.
package stripefake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Transfer is a transfer the fake made.
type Transfer struct {
	ID            string            `json:"id"`
	Object        string            `json:"object"`
	Amount        int64             `json:"amount"`
	Currency      string            `json:"currency"`
	Destination   string            `json:"destination"`
	TransferGroup string            `json:"transfer_group"`
	Metadata      map[string]string `json:"metadata"`
	Created       int64             `json:"created"`
	Livemode      bool              `json:"livemode"`
}

// Server is a fake Stripe API.
type Server struct {
	*httptest.Server

	mu        sync.Mutex
	transfers []*Transfer
	byKey     map[string]*Transfer // idempotency key → its transfer
	paramsOf  map[string]string    // idempotency key → its request's form
	closed    map[string]bool      // destinations that are refused
	lose      int                  // answers still to lose
	delay     time.Duration
	intents   map[string]*PaymentIntent // by ID
	intentOf  map[string]*PaymentIntent // idempotency key → its payment intent
}

// Start runs a fake Stripe API on a local port.
func Start() *Server {
	s := &Server{byKey: map[string]*Transfer{}, paramsOf: map[string]string{}, closed: map[string]bool{},
		intents: map[string]*PaymentIntent{}, intentOf: map[string]*PaymentIntent{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Delay makes every answer wait d after the work is done.
func (s *Server) Delay(d time.Duration) { s.mu.Lock(); s.delay = d; s.mu.Unlock() }

// LoseAnswers makes the next n transfers happen but answer 500, as if the
// answer never came back.
func (s *Server) LoseAnswers(n int) { s.mu.Lock(); s.lose = n; s.mu.Unlock() }

// Close refuses transfers to destination from now on.
func (s *Server) CloseAccount(destination string) {
	s.mu.Lock()
	s.closed[destination] = true
	s.mu.Unlock()
}

// Transfers are the transfers made to destination ("" for all).
func (s *Server) Transfers(destination string) []Transfer {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Transfer
	for _, t := range s.transfers {
		if destination == "" || t.Destination == destination {
			out = append(out, *t)
		}
	}
	return out
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer sk_") {
		stripeError(w, http.StatusUnauthorized, "invalid_request_error", "", "Invalid API Key provided")
		return
	}
	switch {
	case r.URL.Path == "/v1/transfers" && r.Method == http.MethodPost:
		s.create(w, r)
	case r.URL.Path == "/v1/transfers" && r.Method == http.MethodGet:
		s.list(w, r)
	case r.URL.Path == "/v1/payment_intents" && r.Method == http.MethodPost:
		s.createIntent(w, r)
	default:
		stripeError(w, http.StatusNotFound, "invalid_request_error", "resource_missing", "Unrecognized request URL")
	}
}

func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		stripeError(w, http.StatusBadRequest, "invalid_request_error", "", err.Error())
		return
	}
	key, form := r.Header.Get("Idempotency-Key"), r.PostForm.Encode()
	s.mu.Lock()
	delay := s.delay
	if t, ok := s.byKey[key]; ok && key != "" {
		same := s.paramsOf[key] == form
		s.mu.Unlock()
		time.Sleep(delay)
		if !same {
			stripeError(w, http.StatusBadRequest, "idempotency_error", "", "Keys for idempotent requests can only be used with the same parameters they were first used with.")
			return
		}
		w.Header().Set("Idempotent-Replayed", "true")
		writeJSON(w, http.StatusOK, t)
		return
	}
	amount, err := strconv.ParseInt(r.PostForm.Get("amount"), 10, 64)
	dest := r.PostForm.Get("destination")
	switch {
	case err != nil || amount <= 0:
		s.mu.Unlock()
		stripeError(w, http.StatusBadRequest, "invalid_request_error", "parameter_invalid_integer", "Invalid amount")
		return
	case !strings.HasPrefix(dest, "acct_") || s.closed[dest]:
		s.mu.Unlock()
		stripeError(w, http.StatusBadRequest, "invalid_request_error", "account_invalid", fmt.Sprintf("No such destination: '%s'", dest))
		return
	}
	t := &Transfer{ID: fmt.Sprintf("tr_fake%06d", len(s.transfers)+1), Object: "transfer", Amount: amount,
		Currency: r.PostForm.Get("currency"), Destination: dest, TransferGroup: r.PostForm.Get("transfer_group"),
		Metadata: map[string]string{}, Created: time.Now().Unix()}
	for k, v := range r.PostForm {
		if strings.HasPrefix(k, "metadata[") {
			t.Metadata[strings.TrimSuffix(strings.TrimPrefix(k, "metadata["), "]")] = v[0]
		}
	}
	s.transfers = append(s.transfers, t)
	if key != "" {
		s.byKey[key], s.paramsOf[key] = t, form
	}
	lost := s.lose > 0
	if lost {
		s.lose--
	}
	s.mu.Unlock()
	time.Sleep(delay)
	if lost {
		stripeError(w, http.StatusInternalServerError, "api_error", "", "An unknown error occurred")
		return
	}
	writeJSON(w, http.StatusOK, t)
}

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	group := r.URL.Query().Get("transfer_group")
	s.mu.Lock()
	data := []*Transfer{}
	for _, t := range s.transfers {
		if group == "" || t.TransferGroup == group {
			data = append(data, t)
		}
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"object": "list", "data": data, "has_more": false, "url": "/v1/transfers"})
}

func stripeError(w http.ResponseWriter, status int, typ, code, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{"type": typ, "code": code, "message": msg}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Request-Id", "req_fake")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
