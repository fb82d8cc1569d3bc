package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"flexwork/ent/rule"
	"flexwork/server/auth"
)

// loadSignIn floods a server with wrong passwords, as a guesser would, in
// three shapes, and prints for each how many attempts per second the server
// checked (a password hash ran) and how many it refused (RATE_LIMITED), the
// latency, and the server's peak resident memory:
//
//	one address    every attempt from one address, at many accounts
//	many addresses each client its own address (a botnet), at many accounts
//	one account    each client its own address, all at one account
func loadSignIn(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("load signin", flag.ContinueOnError)
	clients := fs.Int("clients", 200, "concurrent clients")
	duration := fs.Duration("duration", 10*time.Second, "how long each shape runs")
	dbURL := fs.String("database_url", "", "PostgreSQL URL (default: SQLite in a temporary directory)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	for _, shape := range []string{"one address", "many addresses", "one account"} {
		// A fresh server per shape: its peak memory and limits are its own.
		l, err := newLab(ctx, *dbURL)
		if err != nil {
			return err
		}
		hash, err := auth.HashPassword("the right password, unguessed")
		if err != nil {
			return err
		}
		if _, err := l.db.User.Create().SetEmail("victim@load.example").SetDisplayName("Victim").SetPasswordHash(hash).
			Save(rule.System(ctx)); err != nil {
			return err
		}
		if err := l.start(ctx, "FLEXWORK_CLIENT_IP_HEADER=X-Forwarded-For"); err != nil {
			return err
		}
		idle := l.srv.PeakRSS()
		r := floodSignIn(ctx, l.addr, shape, *clients, *duration)
		fmt.Printf("%-15s %4d clients %5.0fs: %7.1f attempts/s, checked %6.1f/s, refused %7.1f/s, p50 %6.1f ms, p99 %7.1f ms; "+
			"peak RSS %4.0f MiB (idle %3.0f MiB)\n", shape, *clients, duration.Seconds(), r.total/duration.Seconds(),
			r.checked/duration.Seconds(), r.refused/duration.Seconds(), ms(r.p50), ms(r.p99),
			float64(l.srv.PeakRSS())/(1<<20), float64(idle)/(1<<20))
		l.close()
	}
	return nil
}

type floodResult struct {
	total, checked, refused float64
	p50, p99                time.Duration
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// floodSignIn runs clients posting wrong sign-ins until d is over.
func floodSignIn(ctx context.Context, addr, shape string, clients int, d time.Duration) floodResult {
	var (
		checked, refused, total atomic.Int64
		mu                      sync.Mutex
		lat                     []time.Duration
		wg                      sync.WaitGroup
	)
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}, Timeout: 30 * time.Second}
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			from := fmt.Sprintf("198.18.%d.%d", c/250, c%250+1)
			if shape == "one address" {
				from = "198.18.0.1"
			}
			for i := 0; ctx.Err() == nil; i++ {
				email := fmt.Sprintf("guess%d-%d@load.example", c, i)
				if shape == "one account" {
					email = "victim@load.example"
				}
				body, _ := json.Marshal(map[string]any{"query": `mutation($in: SignInInput!) { signIn(input: $in) { accessToken } }`,
					"variables": map[string]any{"in": map[string]any{"email": email, "password": fmt.Sprintf("guess number %d", i)}}})
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+addr+"/graphql", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-Forwarded-For", from)
				start := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					continue // the run ended mid-request
				}
				raw, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				took := time.Since(start)
				var out struct {
					Errors []struct {
						Extensions struct{ Code string }
					}
				}
				_ = json.Unmarshal(raw, &out)
				total.Add(1)
				if len(out.Errors) > 0 && out.Errors[0].Extensions.Code == "RATE_LIMITED" {
					refused.Add(1)
				} else {
					checked.Add(1)
				}
				mu.Lock()
				lat = append(lat, took)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	p := percentiles(lat)
	return floodResult{total: float64(total.Load()), checked: float64(checked.Load()), refused: float64(refused.Load()), p50: p[0], p99: p[2]}
}
