package stripefake

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// PaymentIntent is a payment the fake was asked to take.
type PaymentIntent struct {
	ID             string            `json:"id"`
	Object         string            `json:"object"`
	Amount         int64             `json:"amount"`
	AmountReceived int64             `json:"amount_received"`
	Currency       string            `json:"currency"`
	Status         string            `json:"status"`
	ClientSecret   string            `json:"client_secret"`
	Metadata       map[string]string `json:"metadata"`
	Created        int64             `json:"created"`
	Livemode       bool              `json:"livemode"`
}

func (s *Server) createIntent(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		stripeError(w, http.StatusBadRequest, "invalid_request_error", "", err.Error())
		return
	}
	amount, err := strconv.ParseInt(r.PostForm.Get("amount"), 10, 64)
	if err != nil || amount <= 0 {
		stripeError(w, http.StatusBadRequest, "invalid_request_error", "parameter_invalid_integer", "Invalid amount")
		return
	}
	key := r.Header.Get("Idempotency-Key")
	s.mu.Lock()
	defer s.mu.Unlock()
	if pi, ok := s.intentOf[key]; ok && key != "" {
		w.Header().Set("Idempotent-Replayed", "true")
		writeJSON(w, http.StatusOK, pi)
		return
	}
	id := fmt.Sprintf("pi_fake%06d", len(s.intents)+1)
	pi := &PaymentIntent{ID: id, Object: "payment_intent", Amount: amount, Currency: r.PostForm.Get("currency"),
		Status: "requires_payment_method", ClientSecret: id + "_secret_fake", Metadata: map[string]string{}, Created: time.Now().Unix()}
	for k, v := range r.PostForm {
		if strings.HasPrefix(k, "metadata[") {
			pi.Metadata[strings.TrimSuffix(strings.TrimPrefix(k, "metadata["), "]")] = v[0]
		}
	}
	s.intents[id] = pi
	if key != "" {
		s.intentOf[key] = pi
	}
	writeJSON(w, http.StatusOK, pi)
}

// Intent is the payment intent id, as the fake holds it.
func (s *Server) Intent(id string) (PaymentIntent, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	pi, ok := s.intents[id]
	if !ok {
		return PaymentIntent{}, false
	}
	return *pi, true
}

// Pay has the customer pay intent id in full, and delivers the
// payment_intent.succeeded event to the endpoint at url, signed with
// secret as Stripe signs (Stripe-Signature: t=…,v1=HMAC-SHA256 of
// "t.payload"). It returns the endpoint's status code.
func (s *Server) Pay(id, url, secret string) (int, error) {
	s.mu.Lock()
	pi, ok := s.intents[id]
	if ok {
		pi.Status, pi.AmountReceived = "succeeded", pi.Amount
	}
	var event []byte
	if ok {
		event, _ = json.Marshal(map[string]any{
			"id": "evt_" + strings.TrimPrefix(id, "pi_"), "object": "event", "api_version": "2025-01-27.acacia",
			"type": "payment_intent.succeeded", "created": time.Now().Unix(), "livemode": false,
			"data": map[string]any{"object": pi},
		})
	}
	s.mu.Unlock()
	if !ok {
		return 0, fmt.Errorf("stripefake: no payment intent %s", id)
	}
	return Deliver(url, secret, event, time.Now())
}

// Deliver posts a webhook event to url signed with secret at time t, as
// Stripe does; it returns the endpoint's status code.
func Deliver(url, secret string, event []byte, t time.Time) (int, error) {
	ts := strconv.FormatInt(t.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "." + string(event)))
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(event))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Stripe-Signature", "t="+ts+",v1="+hex.EncodeToString(mac.Sum(nil)))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	res.Body.Close()
	return res.StatusCode, nil
}
