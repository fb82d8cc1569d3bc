package money

import (
	"context"
	"errors"
	"net/http"
)

// FundingIntent is a payment an employer has begun at a payment provider
// to fund its account: the app completes it with the provider's own SDK
// (card, wallet, bank debit) using the client secret.
type FundingIntent struct {
	ID           string // the provider's reference, the deposit's reference once paid
	ClientSecret string
}

// Deposit is money a provider reports arrived for an employer.
type Deposit struct {
	Reference  string // the provider's, unique per payment
	EmployerID string
	Amount     int64 // minor units
	Currency   string
}

// FundingProvider takes employers' payments through one payment
// provider's API: it starts a payment for the app to complete, and reads
// the provider's signed notice (its webhook) that the money arrived. A
// bank transfer that staff match on the statement is the other way money
// comes in (market.ConfirmFunding); both credit the funds the same way.
type FundingProvider interface {
	// Name names the provider in the deposit's key ("stripe").
	Name() string
	// StartFunding begins a payment of amount for employerID; key makes
	// asking again with the same key answer with the same payment.
	StartFunding(ctx context.Context, key, employerID string, amount int64, currency string) (FundingIntent, error)
	// Funded reads a webhook's body and headers: the deposit it reports,
	// or ok false for a notice about anything else. ErrBadSignature means
	// the notice is not the provider's.
	Funded(payload []byte, h http.Header) (d Deposit, ok bool, err error)
}

// ErrBadSignature is a webhook whose signature does not verify.
var ErrBadSignature = errors.New("money: the webhook's signature does not verify")
