package auth

import (
	"context"
	"runtime"
	"time"

	"github.com/alexedwards/argon2id"

	"flexwork/market"
)

// passwordParams follow OWASP's argon2id recommendation (19 MiB, 2 passes).
var passwordParams = &argon2id.Params{
	Memory:      19 * 1024,
	Iterations:  2,
	Parallelism: 1,
	SaltLength:  16,
	KeyLength:   32,
}

// HashPassword returns the argon2id hash of password in PHC string format.
func HashPassword(password string) (string, error) {
	return argon2id.CreateHash(password, passwordParams)
}

// CheckPassword reports whether password matches hash.
func CheckPassword(password, hash string) bool {
	ok, err := argon2id.ComparePasswordAndHash(password, hash)
	return err == nil && ok
}

// dummyHash is compared against when an account does not exist, so that a
// wrong email takes as long as a wrong password and does not reveal which
// emails are registered.
var dummyHash, _ = HashPassword("not a real password")

// hashWait is how long a password check waits for a free hashing slot
// before the request is refused as busy.
var hashWait = 5 * time.Second

var errBusy = &market.Error{Code: market.CodeRateLimited, Message: "the server is busy signing people in; try again in a moment",
	Details: map[string]any{"retryAfterSeconds": 1}}

// hashSlots bounds how many argon2id computations run at once: each holds
// 19 MiB and a core for tens of milliseconds, and a flood of sign-ins must
// queue for the cores rather than take the server's memory.
func (a *Accounts) hashSlots() chan struct{} {
	a.slotsOnce.Do(func() {
		n := a.MaxConcurrentHashes
		if n <= 0 {
			n = runtime.GOMAXPROCS(0)
		}
		a.slots = make(chan struct{}, n)
	})
	return a.slots
}

// maxWaitersPerSlot bounds the queue for hashing slots: about a second and
// a half of work per core. Beyond it a request is refused at once, rather
// than held (with its memory) only to be refused after hashWait.
const maxWaitersPerSlot = 64

// withHashSlot runs fn once a slot is free, or refuses as busy.
func (a *Accounts) withHashSlot(ctx context.Context, fn func()) error {
	slots := a.hashSlots()
	if a.waiting.Add(1) > int64(maxWaitersPerSlot*cap(slots)) {
		a.waiting.Add(-1)
		return errBusy
	}
	defer a.waiting.Add(-1)
	t := time.NewTimer(hashWait)
	defer t.Stop()
	select {
	case slots <- struct{}{}:
	case <-t.C:
		return errBusy
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-slots }()
	fn()
	return nil
}

// hashPassword is HashPassword in a hashing slot.
func (a *Accounts) hashPassword(ctx context.Context, password string) (hash string, err error) {
	if e := a.withHashSlot(ctx, func() { hash, err = HashPassword(password) }); e != nil {
		return "", e
	}
	return hash, err
}

// checkPassword is CheckPassword in a hashing slot.
func (a *Accounts) checkPassword(ctx context.Context, password, hash string) (ok bool, err error) {
	err = a.withHashSlot(ctx, func() { ok = CheckPassword(password, hash) })
	return ok, err
}
