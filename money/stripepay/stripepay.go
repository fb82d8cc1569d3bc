// Package stripepay pays workers through Stripe Connect with Stripe's
// official Go SDK (stripe-go): a transfer from the platform's balance to
// the worker's connected account, which Stripe then pays out to their
// bank. The payout's ID is both the transfer's idempotency key and its
// transfer group, so a retry never transfers twice and a transfer whose
// answer was lost is found again by its group.
//
// (The CN market's first choice, WeChat Pay's official Go SDK for merchant
// transfers to balance, github.com/wechatpay-apiv3/wechatpay-go, is not
// served by the module proxy this project builds from; Stripe's is.)
package stripepay

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/stripe/stripe-go/v82"

	"flexwork/money"
)

// Provider is a money.PayoutProvider and a money.FundingProvider over
// Stripe's API.
type Provider struct {
	client        *stripe.Client
	webhookSecret string
}

// New returns a provider with the platform's secret key. apiURL, when set,
// replaces Stripe's API address (a fake of it in tests).
func New(secretKey, apiURL string, hc *http.Client) *Provider {
	// The SDK's own log stays quiet: a failed send is the payout's
	// last_error and the job's retry.
	cfg := &stripe.BackendConfig{HTTPClient: hc, MaxNetworkRetries: stripe.Int64(2),
		LeveledLogger: &stripe.LeveledLogger{Level: stripe.LevelNull}}
	if apiURL != "" {
		cfg.URL = stripe.String(strings.TrimSuffix(apiURL, "/"))
	}
	backend := stripe.GetBackendWithConfig(stripe.APIBackend, cfg)
	return &Provider{client: stripe.NewClient(secretKey, stripe.WithBackends(&stripe.Backends{
		API: backend, Connect: backend, Uploads: backend, MeterEvents: backend,
	}))}
}

// Name implements money.PayoutProvider.
func (p *Provider) Name() string { return "stripe" }

// Send implements money.PayoutProvider.
func (p *Provider) Send(ctx context.Context, o money.PayoutOrder) (string, error) {
	params := &stripe.TransferCreateParams{
		Amount: stripe.Int64(o.Amount), Currency: stripe.String(strings.ToLower(o.Currency)),
		Destination: stripe.String(o.Destination), TransferGroup: stripe.String(o.Key),
		Metadata: map[string]string{"payout": o.Key},
	}
	params.SetIdempotencyKey(o.Key)
	t, err := p.client.V1Transfers.Create(ctx, params)
	if err != nil {
		return "", classify(err)
	}
	return t.ID, nil
}

// Find implements money.PayoutProvider.
func (p *Provider) Find(ctx context.Context, key string) (string, error) {
	for t, err := range p.client.V1Transfers.List(ctx, &stripe.TransferListParams{TransferGroup: stripe.String(key)}) {
		if err != nil {
			return "", classify(err)
		}
		return t.ID, nil
	}
	return "", nil
}

// classify makes Stripe's final refusals money.ErrPayoutRefused: a request
// Stripe found invalid (4xx but for rate limits and idempotency conflicts,
// which pass). Anything else is worth retrying.
func classify(err error) error {
	var se *stripe.Error
	if errors.As(err, &se) && se.HTTPStatusCode >= 400 && se.HTTPStatusCode < 500 &&
		se.HTTPStatusCode != http.StatusTooManyRequests && se.HTTPStatusCode != http.StatusConflict {
		return fmt.Errorf("%w: %s (%s)", money.ErrPayoutRefused, se.Msg, se.Code)
	}
	return fmt.Errorf("stripe: %w", err)
}
