// Package ratelimit slows down whoever tries too often: a limit on how
// often a key (a client address, a user, an e-mail address) may act — the
// generic cell rate algorithm, in Redis through go-redis/redis_rate when
// REDIS_URL is set, so every replica counts together, else in this
// process — and a lockout that doubles after each failure on a key (wrong
// passwords on an account).
package ratelimit

import (
	"context"
	"sync"
	"time"
)

// Limit lets Burst actions at once, then Rate per Period.
type Limit struct {
	Rate   int
	Period time.Duration
	Burst  int
}

// Store keeps the counts. Allow spends one action of key's budget, or says
// how long until one is free; Fail records a failure on key and says how
// long key is now locked out; Locked says how long key is still locked;
// Forget clears key's failures.
type Store interface {
	Allow(ctx context.Context, key string, l Limit) (retryAfter time.Duration, err error)
	Fail(ctx context.Context, key string, b Backoff) (lockedFor time.Duration, err error)
	Locked(ctx context.Context, key string) (time.Duration, error)
	Forget(ctx context.Context, key string) error
}

// Backoff locks a key out after Free failures, for First, doubling with
// each further failure up to Max; failures are forgotten after Memory
// without one.
type Backoff struct {
	Free       int
	First, Max time.Duration
	Memory     time.Duration
}

// lockFor is how long the n-th failure locks a key out.
func (b Backoff) lockFor(n int) time.Duration {
	if n <= b.Free {
		return 0
	}
	d := b.First
	for i := b.Free + 1; i < n && d < b.Max; i++ {
		d *= 2
	}
	return min(d, b.Max)
}

// Memory is a Store in this process, for the embedded default and a single
// replica.
type Memory struct {
	mu    sync.Mutex
	now   func() time.Time
	tat   map[string]time.Time // GCRA: the theoretical arrival time of the next action
	fails map[string]*failures
}

type failures struct {
	n           int
	last, until time.Time
}

// NewMemory returns an empty in-process store on the wall clock.
func NewMemory() *Memory { return NewMemoryAt(time.Now) }

// NewMemoryAt returns an empty in-process store reading the time from now.
func NewMemoryAt(now func() time.Time) *Memory {
	return &Memory{now: now, tat: map[string]time.Time{}, fails: map[string]*failures{}}
}

// Allow is GCRA: each action moves the key's arrival time on by
// Period/Rate; an action is allowed while that time is no more than Burst
// intervals ahead of now.
func (m *Memory) Allow(_ context.Context, key string, l Limit) (time.Duration, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	m.tidy(now)
	interval := l.Period / time.Duration(max(l.Rate, 1))
	tat := m.tat[key]
	if tat.Before(now) {
		tat = now
	}
	next := tat.Add(interval)
	if allowAt := next.Add(-interval * time.Duration(max(l.Burst, 1))); now.Before(allowAt) {
		return allowAt.Sub(now), nil
	}
	m.tat[key] = next
	return 0, nil
}

// Fail records a failure and locks the key out as b says.
func (m *Memory) Fail(_ context.Context, key string, b Backoff) (time.Duration, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	f := m.fails[key]
	if f == nil || now.Sub(f.last) > b.Memory {
		f = &failures{}
		m.fails[key] = f
	}
	f.n++
	f.last = now
	d := b.lockFor(f.n)
	f.until = now.Add(d)
	return d, nil
}

// Locked says how long key is still locked out.
func (m *Memory) Locked(_ context.Context, key string) (time.Duration, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if f := m.fails[key]; f != nil {
		if d := f.until.Sub(m.now()); d > 0 {
			return d, nil
		}
	}
	return 0, nil
}

// Forget clears key's failures.
func (m *Memory) Forget(_ context.Context, key string) error {
	m.mu.Lock()
	delete(m.fails, key)
	m.mu.Unlock()
	return nil
}

// tidy drops what no longer limits anyone, once the maps grow: a flood of
// addresses must not grow them for ever.
func (m *Memory) tidy(now time.Time) {
	if len(m.tat) < 100_000 && len(m.fails) < 100_000 {
		return
	}
	for k, t := range m.tat {
		if t.Before(now) {
			delete(m.tat, k)
		}
	}
	for k, f := range m.fails {
		if now.Sub(f.last) > time.Hour && now.After(f.until) {
			delete(m.fails, k)
		}
	}
}
