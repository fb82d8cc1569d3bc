package money

import (
	"context"
	"errors"
)

// PayoutOrder is money to send to a worker's account at a payment
// provider. Key names it at the provider: sending it again under the same
// key answers with the first transfer and moves nothing more.
type PayoutOrder struct {
	Key         string
	Destination string // the worker's account at the provider
	Amount      int64  // minor units
	Currency    string // ISO 4217
}

// PayoutProvider sends payouts: one real payment provider's API.
type PayoutProvider interface {
	// Name names the provider on the payout's record ("stripe").
	Name() string
	// Send pays o and returns the provider's reference for the transfer.
	// ErrPayoutRefused means the provider refused it for good (an unknown
	// or closed account); any other error may be retried with the same key.
	Send(ctx context.Context, o PayoutOrder) (ref string, err error)
	// Find returns the reference of the transfer made under key, or "" when
	// the provider never made one: how a payout whose answer was lost is
	// settled without paying it twice.
	Find(ctx context.Context, key string) (ref string, err error)
}

// ErrPayoutRefused is a provider's final no.
var ErrPayoutRefused = errors.New("money: the provider refused the payout")
