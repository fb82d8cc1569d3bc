package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"

	"flexwork/ent/entdb"
)

// FeedRequests writes n requests of the feed scenario, one a line: a
// worker's bearer token, a tab, the ShiftFeed request body (the apps'
// persisted operation, a point in the worker's city, 10 km, 20 shifts).
// scripts/wrk-feed.lua replays them with wrk against the server and the
// floor alike, so that an outside load generator measures both sides with
// the same bytes. Tokens are signed with Secret, for a day.
func FeedRequests(ctx context.Context, databaseURL string, n int, seed uint64, out io.Writer) error {
	db, err := entdb.Open(ctx, databaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	r := rand.New(rand.NewPCG(seed, 7))
	l, err := newLab(ctx, db, r)
	if err != nil {
		return err
	}
	c, err := newClient(1)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(out)
	src := &locked{r: rand.New(rand.NewPCG(r.Uint64(), 1))}
	for range n {
		wk := l.workers[src.intN(len(l.workers))]
		lat, lng := src.point(wk.city)
		body, err := json.Marshal(map[string]any{"operationName": "ShiftFeed",
			"variables":  map[string]any{"near": map[string]any{"lat": lat, "lng": lng}, "radiusKm": 10, "first": 20},
			"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": c.ids["ShiftFeed"]}}})
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s\t%s\n", wk.token, body)
	}
	return w.Flush()
}
