package auth

import (
	"context"
	"errors"
	"testing"
	"time"

	"flexwork/market"
)

// TestPasswordChecksWaitForASlot: with every slot taken, a check waits and
// is refused as busy rather than hashing alongside; a freed slot lets the
// next one run.
func TestPasswordChecksWaitForASlot(t *testing.T) {
	a := &Accounts{MaxConcurrentHashes: 2}
	slots := a.hashSlots()
	slots <- struct{}{}
	slots <- struct{}{}
	saved := hashWait
	hashWait = 50 * time.Millisecond
	defer func() { hashWait = saved }()
	start := time.Now()
	_, err := a.checkPassword(context.Background(), "x", dummyHash)
	var me *market.Error
	if !errors.As(err, &me) || me.Code != market.CodeRateLimited {
		t.Fatalf("with every slot taken: %v, want RATE_LIMITED", err)
	}
	if waited := time.Since(start); waited < 50*time.Millisecond {
		t.Fatalf("refused after %v, before the wait was over", waited)
	}
	<-slots
	if ok, err := a.checkPassword(context.Background(), "not a real password", dummyHash); err != nil || !ok {
		t.Fatalf("with a slot free: %v, %v", ok, err)
	}
	if len(slots) != 1 {
		t.Fatalf("the check kept its slot: %d taken", len(slots))
	}
}
