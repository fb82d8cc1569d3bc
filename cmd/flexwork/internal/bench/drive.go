package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	mobileschema "flexwork/mobile-schema"
)

// Outcome is how one request ended.
type Outcome int

// Outcomes: ok; refused, a business answer the scenario expects some of
// (the slot went to someone faster, screening failed); error, anything else:
// a transport failure, a 5xx, an internal error or an unexpected code.
const (
	OK Outcome = iota
	Refused
	Failed
)

// client sends the apps' operations, by manifest id, to its addresses in
// turn (the replicas of a server, as a load balancer would).
type client struct {
	bases []string
	next  atomic.Uint64
	http  *http.Client
	ids   map[string]string
}

func newClient(conns int, addrs ...string) (*client, error) {
	m, err := mobileschema.Embedded()
	if err != nil {
		return nil, err
	}
	ids := map[string]string{}
	for _, op := range m.Operations {
		ids[op.Name] = op.ID
	}
	bases := make([]string, len(addrs))
	for i, a := range addrs {
		bases[i] = "http://" + a
	}
	return &client{bases: bases, ids: ids, http: &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{MaxIdleConns: conns * 2, MaxIdleConnsPerHost: conns * 2, MaxConnsPerHost: conns * 2},
	}}, nil
}

// response is what the client reads of a GraphQL response: its errors.
type response struct {
	Errors []struct {
		Message    string
		Extensions struct{ Code string }
	}
}

// op runs an operation of the apps; refusals lists the error codes that
// count as Refused.
func (c *client) op(ctx context.Context, token, name string, vars map[string]any, refusals ...string) (Outcome, error) {
	id, ok := c.ids[name]
	if !ok {
		return Failed, fmt.Errorf("no operation %s in the manifest", name)
	}
	body, _ := json.Marshal(map[string]any{"operationName": name, "variables": vars,
		"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": id}}})
	return c.post(ctx, "/graphql", token, body, refusals...)
}

// bodies are the buffers responses are read into: a candidates page is
// 70–90 KB, which io.ReadAll would reach by a dozen growths.
var bodies = sync.Pool{New: func() any { return new(bytes.Buffer) }}

var (
	dataFirst = []byte(`{"data":`)
	errorsKey = []byte(`"errors":`)
)

func (c *client) post(ctx context.Context, path, token string, body []byte, refusals ...string) (Outcome, error) {
	base := c.bases[(c.next.Add(1)-1)%uint64(len(c.bases))]
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+path, bytes.NewReader(body))
	if err != nil {
		return Failed, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := c.http.Do(req)
	if err != nil {
		return Failed, err
	}
	defer resp.Body.Close()
	buf := bodies.Get().(*bytes.Buffer)
	defer bodies.Put(buf)
	buf.Reset()
	if resp.ContentLength > 0 {
		buf.Grow(int(resp.ContentLength))
	}
	if _, err := buf.ReadFrom(resp.Body); err != nil {
		return Failed, err
	}
	raw := buf.Bytes()
	// The common answer is data without errors, and the client shares the
	// machine with the server it measures: it does not parse 80 KB to learn
	// that. A response with errors writes them before its data (the
	// server's order, which GraphQL over HTTP recommends), and none has
	// the key anywhere.
	if resp.StatusCode == http.StatusOK && bytes.HasPrefix(raw, dataFirst) && !bytes.Contains(raw, errorsKey) {
		return OK, nil
	}
	var r response
	if err := json.Unmarshal(raw, &r); err != nil {
		return Failed, fmt.Errorf("HTTP %d: %.200s", resp.StatusCode, raw)
	}
	if len(r.Errors) == 0 {
		if resp.StatusCode >= 300 {
			return Failed, fmt.Errorf("HTTP %d without errors: %.200s", resp.StatusCode, raw)
		}
		return OK, nil
	}
	for _, code := range refusals {
		if r.Errors[0].Extensions.Code == code {
			return Refused, nil
		}
	}
	return Failed, fmt.Errorf("%s: %s", r.Errors[0].Extensions.Code, r.Errors[0].Message)
}

// Stats are a scenario's figures.
type Stats struct {
	Requests, Refused, Errors int
	Took                      time.Duration
	P50, P95, P99, Max        time.Duration
	FirstError                string
	StatementsPerRequest      float64
}

// Throughput is requests per second.
func (s Stats) Throughput() float64 { return float64(s.Requests) / s.Took.Seconds() }

func (s Stats) String() string {
	out := fmt.Sprintf("%8.0f req/s  p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms  max %6.1f ms  %d requests, %d refused, %d errors",
		s.Throughput(), ms(s.P50), ms(s.P95), ms(s.P99), ms(s.Max), s.Requests, s.Refused, s.Errors)
	if s.StatementsPerRequest > 0 {
		out += fmt.Sprintf(", %.2f SQL statements/request", s.StatementsPerRequest)
	}
	if s.FirstError != "" {
		out += "\n    first error: " + s.FirstError
	}
	return out
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// drive runs fn from c goroutines for d and gathers the figures. fn gets
// the goroutine's number and how many requests it has made.
func drive(ctx context.Context, c int, d time.Duration, fn func(ctx context.Context, g, n int) (Outcome, error)) Stats {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var (
		mu    sync.Mutex
		lat   []time.Duration
		stats Stats
		wg    sync.WaitGroup
	)
	began := time.Now()
	for g := range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			var refused, failed int
			var first string
			for n := 0; ctx.Err() == nil; n++ {
				t := time.Now()
				o, err := fn(ctx, g, n)
				if ctx.Err() != nil {
					break // cut off by the deadline: not a result
				}
				mine = append(mine, time.Since(t))
				switch o {
				case Refused:
					refused++
				case Failed:
					failed++
					if first == "" && err != nil {
						first = err.Error()
					}
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			stats.Refused += refused
			stats.Errors += failed
			if stats.FirstError == "" {
				stats.FirstError = first
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	stats.Took = time.Since(began)
	stats.latencies(lat)
	return stats
}

// latencies sets the request count and percentiles from the latencies.
func (s *Stats) latencies(lat []time.Duration) {
	s.Requests = len(lat)
	if len(lat) == 0 {
		return
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	at := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	s.P50, s.P95, s.P99, s.Max = at(0.50), at(0.95), at(0.99), lat[len(lat)-1]
}
