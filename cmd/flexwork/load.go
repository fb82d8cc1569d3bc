package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"time"

	"flexwork/cmd/flexwork/internal/bench"
	"flexwork/ent/entdb"
	"flexwork/ent/membership"
	"flexwork/ent/rule"
	"flexwork/ent/skill"
	"flexwork/market"
	"flexwork/notifications/fcmfake"
	"flexwork/server/auth"
	"flexwork/server/demo"
)

// The load commands measure a real server — a `flexwork serve` child
// process over its own database — from outside, over real sockets, and
// print figures. They are tools, not tests: nothing passes or fails.

const loadUsage = `usage:
  flexwork load subscribers [--n 10000] [--shifts 5] [--database_url URL]
                           [--processes 1 --redis_url URL]
      N workers subscribe to shiftPublished over WebSocket; prints delivery
      latency p50/p99 and the server's memory per connection; with
      --processes K, K servers share PostgreSQL and Redis and K processes of
      this tool hold the sockets (past one process's limit on open files)
  flexwork load push [--devices 100000] [--database_url URL]
      fans a new shift out to N devices through a fake FCM; prints messages/s
  flexwork load signin [--clients 200] [--duration 10s] [--database_url URL]
      wrong passwords from one address, from many, and at one account; prints
      attempts checked and refused per second and the server's peak memory`

func load(ctx context.Context, args []string, log *slog.Logger) error {
	if len(args) == 0 {
		return errors.New(loadUsage)
	}
	switch args[0] {
	case "subscribers":
		return loadSubscribers(ctx, args[1:])
	case "subscriber-part": // started by "subscribers" itself
		return loadSubscriberPart(ctx, args[1:])
	case "push":
		return loadPush(ctx, args[1:])
	case "signin":
		return loadSignIn(ctx, args[1:])
	}
	return errors.New(loadUsage)
}

// lab is a database with a marketplace in it and a server child process.
type lab struct {
	dir, dbURL, addr string
	db               *entdb.DB
	srv              *bench.Child   // the first server: the one the tool's requests go to
	srvs             []*bench.Child // every server, srv first
	manager          string         // access token of the employer's manager
	employer, skill  string
	centre           market.GeoPoint
}

func newLab(ctx context.Context, dbURL string) (*lab, error) {
	raiseFileLimit()
	dir, err := os.MkdirTemp("", "flexwork-load-")
	if err != nil {
		return nil, err
	}
	l := &lab{dir: dir, dbURL: dbURL, centre: demo.Centre}
	if l.dbURL == "" {
		l.dbURL = entdb.SQLiteURL(filepath.Join(dir, "flexwork.db"))
	}
	if l.db, err = entdb.Open(ctx, l.dbURL); err != nil {
		return nil, err
	}
	if err := l.db.Migrate(ctx); err != nil {
		return nil, err
	}
	if err := market.EnsureSkills(ctx, l.db.Client); err != nil {
		return nil, err
	}
	sys := rule.System(ctx)
	if l.skill, err = l.db.Skill.Query().Where(skill.Slug("order-picking")).OnlyID(sys); err != nil {
		return nil, err
	}
	boss, err := l.db.User.Create().SetDisplayName("Load manager").Save(sys)
	if err != nil {
		return nil, err
	}
	emp, err := l.db.Employer.Create().SetName("Load Logistics").SetLat(l.centre.Lat).SetLng(l.centre.Lng).Save(sys)
	if err != nil {
		return nil, err
	}
	if _, err := l.db.Membership.Create().SetEmployerID(emp.ID).SetUserID(boss.ID).SetRole(membership.RoleOWNER).Save(sys); err != nil {
		return nil, err
	}
	l.employer = emp.ID
	l.manager, err = mintToken(boss.ID)
	return l, err
}

// mintToken signs an access token for userID with the key the lab's
// servers trust.
func mintToken(userID string) (string, error) {
	t, err := auth.NewTokens([]byte(bench.Secret), 24*time.Hour, nil)
	if err != nil {
		return "", err
	}
	s, _, err := t.Issue(userID)
	return s, err
}

// start runs `flexwork serve` on the lab's database and waits until ready.
func (l *lab) start(ctx context.Context, env ...string) error {
	return l.startReplicas(ctx, 1, env...)
}

// startReplicas runs n servers on the lab's database; more than one share
// their live events through the REDIS_URL that env must then name.
func (l *lab) startReplicas(ctx context.Context, n int, env ...string) error {
	for range n {
		srv, err := bench.StartChild(ctx, []string{"serve"}, append([]string{"DATABASE_URL=" + l.dbURL,
			"FLEXWORK_WS_PING_INTERVAL=60s", "FLEXWORK_WS_MAX_SUBSCRIPTIONS=5", "FLEXWORK_JOB_POLL_INTERVAL=100ms",
			"FLEXWORK_PPROF=true"}, env...)...)
		if err != nil {
			return err
		}
		l.srvs = append(l.srvs, srv)
	}
	l.srv, l.addr = l.srvs[0], l.srvs[0].Addr
	return nil
}

func (l *lab) close() {
	for _, s := range l.srvs {
		s.Stop()
	}
	l.db.Close()
	os.RemoveAll(l.dir)
}

// rss is the servers' resident memory, added up.
func (l *lab) rss() int64 {
	var n int64
	for _, s := range l.srvs {
		n += s.RSS()
	}
	return n
}

// metric is an unlabelled series added up over the servers.
func (l *lab) metric(name string) (float64, error) {
	var sum float64
	for _, s := range l.srvs {
		v, err := s.Metric(name)
		if err != nil {
			return 0, err
		}
		sum += v
	}
	return sum, nil
}

// gql posts an operation as the manager.
func (l *lab) gql(query string, vars map[string]any, out any) error {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, "http://"+l.addr+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+l.manager)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var r struct {
		Data   json.RawMessage
		Errors []struct{ Message string }
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return fmt.Errorf("%s: %w", raw, err)
	}
	if len(r.Errors) > 0 {
		return fmt.Errorf("graphql: %s", r.Errors[0].Message)
	}
	return json.Unmarshal(r.Data, out)
}

// postShift creates a shift near the centre; publish publishes it.
func (l *lab) postShift(title string) (string, error) {
	start := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Minute)
	var out struct {
		CreateShift struct{ Shift struct{ ID string } }
	}
	err := l.gql(`mutation($in: CreateShiftInput!) { createShift(input: $in) { shift { id } } }`, map[string]any{"in": map[string]any{
		"employerID": l.employer, "title": title, "engagementType": "PART_TIME", "address": "Load street 1",
		"location": map[string]any{"lat": l.centre.Lat, "lng": l.centre.Lng}, "startsAt": start, "endsAt": start.Add(6 * time.Hour),
		"timeZone": "Europe/Berlin", "pay": map[string]any{"amount": 1500, "currency": "EUR"}, "payUnit": "HOUR", "slots": 5,
		"requiredSkillIDs": []string{l.skill},
	}}, &out)
	return out.CreateShift.Shift.ID, err
}

func (l *lab) publish(id string) error {
	return l.gql(`mutation($id: ID!) { publishShift(input: {shiftID: $id}) { shift { id } } }`, map[string]any{"id": id}, &struct{}{})
}

func loadPush(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("load push", flag.ContinueOnError)
	n := fs.Int("devices", 100000, "devices to push to")
	dbURL := fs.String("database_url", "", "database (default: a temporary SQLite file)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	fake := fcmfake.Start()
	defer fake.Close()
	l, err := newLab(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer l.close()
	fmt.Printf("seeding %d workers with devices…\n", *n)
	if _, err := demo.Crowd(ctx, l.db.Client, *n, l.centre, l.skill, true); err != nil {
		return err
	}
	// Nobody's daily cap should stop a load run.
	if err := l.db.User.Update().SetDailyShiftPushCap(100).Exec(rule.System(ctx)); err != nil {
		return err
	}
	// Nobody is a favourite or on standby here: tell everyone at once (the
	// default head start would hold the crowd's pushes back five minutes).
	if err := l.start(ctx, "FLEXWORK_FCM_ENDPOINT="+fake.Endpoint(), "FLEXWORK_PUSH_HEAD_START=0s"); err != nil {
		return err
	}
	id, err := l.postShift("Push load shift")
	if err != nil {
		return err
	}
	start := time.Now()
	if err := l.publish(id); err != nil {
		return err
	}
	var first time.Duration
	for deadline := time.Now().Add(10 * time.Minute); fake.Total() < int64(*n); time.Sleep(50 * time.Millisecond) {
		if first == 0 && fake.Total() > 0 {
			first = time.Since(start)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("only %d of %d pushes after 10 minutes", fake.Total(), *n)
		}
	}
	total := time.Since(start)
	dup := 0
	for _, c := range fake.Counts() {
		if c > 1 {
			dup++
		}
	}
	fmt.Printf("\ndevices %d: all pushed in %s (first push after %s), %.0f messages/s end to end; %d duplicates\n",
		*n, total.Round(time.Millisecond), first.Round(time.Millisecond), float64(*n)/total.Seconds(), dup)
	fmt.Printf("sending alone (first to last push): %.0f messages/s\n", float64(*n)/(total-first).Seconds())
	return nil
}

// percentiles returns p50, p99 and max.
func percentiles(d []time.Duration) [3]time.Duration {
	if len(d) == 0 {
		return [3]time.Duration{}
	}
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	at := func(p float64) time.Duration { return s[min(len(s)-1, int(p*float64(len(s))))].Round(time.Millisecond) }
	return [3]time.Duration{at(0.50), at(0.99), s[len(s)-1].Round(time.Millisecond)}
}
