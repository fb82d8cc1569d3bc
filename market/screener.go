package market

import (
	"context"
	"sync"
	"time"

	"flexwork/ent"
)

// screenerHorizon is how far ahead a Screener knows a worker's bookings, and
// screenerTTL how long its facts are trusted before they are reloaded.
const (
	screenerHorizon = 120 * 24 * time.Hour
	screenerTTL     = 5 * time.Minute
)

// Screener screens one worker against a stream of shifts — the live
// shiftPublished subscription — from facts loaded once and refreshed every
// few minutes, so that ten thousand subscribers cost no query per shift.
type Screener struct {
	m        *Market
	workerID string
	mu       sync.Mutex
	facts    *WorkerFacts
	loaded   time.Time
}

// NewScreener loads a worker's facts for screening.
func (m *Market) NewScreener(ctx context.Context, workerID string) (*Screener, error) {
	sc := &Screener{m: m, workerID: workerID}
	return sc, sc.refresh(ctx)
}

func (sc *Screener) refresh(ctx context.Context) error {
	now := sc.m.Now()
	horizon := ShiftFacts{Start: now, End: now.Add(screenerHorizon)}
	facts, err := sc.m.loadWorkerFacts(ctx, sc.m.db, []string{sc.workerID}, []ShiftFacts{horizon}, false)
	if err != nil {
		return err
	}
	sc.facts, sc.loaded = facts[sc.workerID], now
	return nil
}

// Screen screens the worker for a shift whose facts the caller has (from
// FactsOf, once for all subscribers).
func (sc *Screener) Screen(ctx context.Context, f ShiftFacts) (Eligibility, error) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.m.Now().Sub(sc.loaded) > screenerTTL {
		if err := sc.refresh(ctx); err != nil {
			return Eligibility{}, err
		}
	}
	return Screen(f, sc.facts), nil
}

// FactsOf returns a shift's screening facts.
func (m *Market) FactsOf(ctx context.Context, s *ent.Shift) (ShiftFacts, error) {
	f, err := m.shiftFacts(ctx, s)
	if err != nil {
		return ShiftFacts{}, err
	}
	return f[0], nil
}
