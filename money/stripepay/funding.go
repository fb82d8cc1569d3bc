package stripepay

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/webhook"

	"flexwork/money"
)

// WithWebhookSecret sets the secret Stripe signs its webhooks with for
// this endpoint (whsec_…): without it no webhook is believed.
func (p *Provider) WithWebhookSecret(secret string) *Provider { p.webhookSecret = secret; return p }

// StartFunding implements money.FundingProvider: a PaymentIntent the
// employer's app confirms with Stripe's SDK, the employer in its metadata
// for the webhook to read back.
func (p *Provider) StartFunding(ctx context.Context, key, employerID string, amount int64, currency string) (money.FundingIntent, error) {
	params := &stripe.PaymentIntentCreateParams{
		Amount: stripe.Int64(amount), Currency: stripe.String(strings.ToLower(currency)),
		Metadata:                map[string]string{"employer_id": employerID},
		AutomaticPaymentMethods: &stripe.PaymentIntentCreateAutomaticPaymentMethodsParams{Enabled: stripe.Bool(true)},
	}
	params.SetIdempotencyKey(key)
	pi, err := p.client.V1PaymentIntents.Create(ctx, params)
	if err != nil {
		return money.FundingIntent{}, fmt.Errorf("stripe: %w", err)
	}
	return money.FundingIntent{ID: pi.ID, ClientSecret: pi.ClientSecret}, nil
}

// Funded implements money.FundingProvider: payment_intent.succeeded is a
// deposit of the amount received, for the employer its metadata names.
func (p *Provider) Funded(payload []byte, h http.Header) (money.Deposit, bool, error) {
	if p.webhookSecret == "" {
		return money.Deposit{}, false, money.ErrBadSignature
	}
	// The event's shape is read field by field below, so an event from a
	// newer API version than the SDK's is still read.
	ev, err := webhook.ConstructEventWithOptions(payload, h.Get("Stripe-Signature"), p.webhookSecret,
		webhook.ConstructEventOptions{IgnoreAPIVersionMismatch: true})
	if err != nil {
		return money.Deposit{}, false, fmt.Errorf("%w: %v", money.ErrBadSignature, err)
	}
	if ev.Type != stripe.EventTypePaymentIntentSucceeded {
		return money.Deposit{}, false, nil
	}
	var pi stripe.PaymentIntent
	if err := json.Unmarshal(ev.Data.Raw, &pi); err != nil {
		return money.Deposit{}, false, fmt.Errorf("stripe: payment_intent.succeeded: %w", err)
	}
	return money.Deposit{Reference: pi.ID, EmployerID: pi.Metadata["employer_id"], Amount: pi.AmountReceived,
		Currency: strings.ToUpper(string(pi.Currency))}, true, nil
}
