package market

import (
	"context"
	"slices"
	"sync"
	"time"

	"flexwork/ent"
	"flexwork/ent/employer"
	"flexwork/ent/rule"
)

// employerCacheTTL is how stale an employer's name or rating may be in the
// feed. Every feed row shows its employer, and a city's feed shows the same
// few hundred employers over and over: keeping them a little while saves a
// statement on almost every feed request.
const employerCacheTTL = 30 * time.Second

// employerCache keeps employers read for the feed. The entities kept are
// loaded through the root client, never a transaction's, so they stay
// usable after the request that loaded them; their edges are still queried,
// with privacy, under the context of whoever asks.
type employerCache struct {
	mu      sync.Mutex
	entries map[string]cachedEmployer
}

type cachedEmployer struct {
	e  *ent.Employer
	at time.Time
}

// employers returns the employers with the given IDs, from memory when read
// within the TTL, else in one query.
func (m *Market) employers(ctx context.Context, ids []string) (map[string]*ent.Employer, error) {
	now := m.Now()
	out := make(map[string]*ent.Employer, len(ids))
	var missing []string
	c := &m.employerCache
	c.mu.Lock()
	for _, id := range ids {
		if e, ok := c.entries[id]; ok && now.Sub(e.at) < employerCacheTTL {
			out[id] = e.e
		} else if !slices.Contains(missing, id) { // a page shows an employer's shifts together
			missing = append(missing, id)
		}
	}
	c.mu.Unlock()
	if len(missing) == 0 {
		return out, nil
	}
	// A shift the viewer may see shows its employer: read as the system.
	db, keep := m.cacheFiller(ctx)
	loaded, err := db.Employer.Query().Where(employer.IDIn(missing...)).All(rule.System(ctx))
	if err != nil {
		return nil, err
	}
	if !keep {
		for _, e := range loaded {
			out[e.ID] = e
		}
		return out, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) > 50_000 {
		c.entries = map[string]cachedEmployer{} // a crude bound: start over
	}
	for _, e := range loaded {
		c.entries[e.ID] = cachedEmployer{e: e, at: now}
		out[e.ID] = e
	}
	return out, nil
}
