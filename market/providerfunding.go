package market

import (
	"context"

	"flexwork/ent"
	"flexwork/ent/schema/pulid"
	"flexwork/money"
)

// WithFunding takes employers' payments through p; without it, funds come
// by bank transfer only.
func WithFunding(p money.FundingProvider) Option { return func(m *Market) { m.funding = p } }

// StartFundingInput asks to pay an amount into an employer's funds.
type StartFundingInput struct {
	EmployerID string `json:"employerID" validate:"required"`
	Amount     Money  `json:"amount"`
}

// FundingPayment is a payment begun at the provider, for the employer's
// app to complete with the provider's SDK.
type FundingPayment struct {
	Provider     string `json:"provider"`
	PaymentID    string `json:"paymentID"`
	ClientSecret string `json:"clientSecret"`
	Amount       Money  `json:"amount"`
}

// StartFunding begins a payment into an employer's funds at the payment
// provider, for its owners and managers. Nothing is credited here: the
// funds rise when the provider's webhook says the money arrived.
func (m *Market) StartFunding(ctx context.Context, in StartFundingInput) (*FundingPayment, error) {
	if _, err := manager(ctx, in.EmployerID, "add funds"); err != nil {
		return nil, err
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	if in.Amount.Amount <= 0 {
		return nil, BadInput("amount.amount", "must be more than 0")
	}
	if m.funding == nil {
		return nil, State(CodeFundingUnavailable, "payments by card are not set up on this server; fund by bank transfer")
	}
	// A new key per payment: a retry of this mutation is the Idempotency-
	// Key header's to answer, and the SDK's own retries keep their key.
	intent, err := m.funding.StartFunding(ctx, "funding-"+pulid.New("fnd"), in.EmployerID, in.Amount.Amount, in.Amount.Currency)
	if err != nil {
		return nil, err
	}
	return &FundingPayment{Provider: m.funding.Name(), PaymentID: intent.ID, ClientSecret: intent.ClientSecret, Amount: in.Amount}, nil
}

// CreditDeposit credits a deposit the funding provider's webhook
// reported, once however often the provider sends it (its reference is
// the key).
func (m *Market) CreditDeposit(ctx context.Context, d money.Deposit) error {
	if m.funding == nil {
		return State(CodeFundingUnavailable, "no funding provider")
	}
	if err := Validate(Money{Amount: d.Amount, Currency: d.Currency}); err != nil || d.Amount <= 0 || d.Reference == "" {
		return BadInput("amount", "a deposit needs a reference and an amount in a known currency")
	}
	return m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		return m.creditFunds(ctx, c, m.funding.Name(), d)
	})
}
