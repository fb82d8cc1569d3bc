package auth

import (
	"context"
	"math"
	"strconv"
	"time"

	"flexwork/market"
	"flexwork/server/ratelimit"
)

// How often one client address and one account may try. A phone behind a
// carrier's NAT shares its address with many: the address limits are for
// floods, the account backoff is for guessing.
var (
	signInPerClient = ratelimit.Limit{Rate: 30, Period: time.Minute, Burst: 30}
	// Attempts at one account, taken before the password is checked: a
	// budget spent atomically, so that guesses sent all at once cannot slip
	// past the backoff while the first of them are still being checked.
	signInPerAccount = ratelimit.Limit{Rate: 20, Period: time.Hour, Burst: 10}
	signUpPerClient  = ratelimit.Limit{Rate: 20, Period: time.Hour, Burst: 10}
	signUpPerEmail   = ratelimit.Limit{Rate: 5, Period: time.Hour, Burst: 3} // each sends a mail
	verifyPerClient  = ratelimit.Limit{Rate: 60, Period: time.Hour, Burst: 20}
	refreshPerClient = ratelimit.Limit{Rate: 60, Period: time.Minute, Burst: 60}
	// Five wrong passwords are free; then the account waits 1 s, 2 s, 4 s …
	// up to 15 minutes before the next try, until a right one.
	passwordBackoff = ratelimit.Backoff{Free: 5, First: time.Second, Max: 15 * time.Minute, Memory: time.Hour}
)

// RateLimited is the RATE_LIMITED refusal, with the seconds to wait.
func RateLimited(wait time.Duration, what string) error {
	secs := int(math.Ceil(wait.Seconds()))
	return &market.Error{Code: market.CodeRateLimited, Message: "too many " + what + "; try again in " + human(secs),
		Details: map[string]any{"retryAfterSeconds": secs}}
}

func human(secs int) string {
	switch {
	case secs <= 1:
		return "a second"
	case secs < 90:
		return strconv.Itoa(secs) + " seconds"
	}
	return strconv.Itoa((secs+59)/60) + " minutes"
}

// limit spends one action of key's budget under l, or refuses. A store
// that fails (Redis down) lets the action through: sign-in stays open, and
// password hashing is bounded on its own.
func (a *Accounts) limit(ctx context.Context, key string, l ratelimit.Limit, what string) error {
	if a.Limits == nil {
		return nil
	}
	wait, err := a.Limits.Allow(ctx, key, l)
	if err != nil {
		a.warn(ctx, "rate limit store", err)
		return nil
	}
	if wait > 0 {
		return RateLimited(wait, what)
	}
	return nil
}

// locked refuses while an account is locked out after wrong passwords.
func (a *Accounts) locked(ctx context.Context, email string) error {
	if a.Limits == nil {
		return nil
	}
	wait, err := a.Limits.Locked(ctx, "signin:"+email)
	if err != nil {
		a.warn(ctx, "rate limit store", err)
		return nil
	}
	if wait > 0 {
		return RateLimited(wait, "wrong passwords for this account")
	}
	return nil
}

// failed records a wrong password on an account.
func (a *Accounts) failed(ctx context.Context, email string) {
	if a.Limits != nil {
		if _, err := a.Limits.Fail(ctx, "signin:"+email, passwordBackoff); err != nil {
			a.warn(ctx, "rate limit store", err)
		}
	}
}

// succeeded forgets an account's wrong passwords.
func (a *Accounts) succeeded(ctx context.Context, email string) {
	if a.Limits != nil {
		if err := a.Limits.Forget(ctx, "signin:"+email); err != nil {
			a.warn(ctx, "rate limit store", err)
		}
	}
}

func (a *Accounts) warn(ctx context.Context, msg string, err error) {
	if a.Log != nil {
		a.Log.WarnContext(ctx, msg, "err", err)
	}
}
