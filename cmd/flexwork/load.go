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
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/coder/websocket"

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
      N workers subscribe to shiftPublished over WebSocket; prints delivery
      latency p50/p99 and the server's memory per connection
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
	srv              *bench.Child
	manager          string // access token of the employer's manager
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
	l.manager, err = l.token(boss.ID)
	return l, err
}

func (l *lab) token(userID string) (string, error) {
	t, err := auth.NewTokens([]byte(bench.Secret), 24*time.Hour, nil)
	if err != nil {
		return "", err
	}
	s, _, err := t.Issue(userID)
	return s, err
}

// start runs `flexwork serve` on the lab's database and waits until ready.
func (l *lab) start(ctx context.Context, env ...string) error {
	srv, err := bench.StartChild(ctx, []string{"serve"}, append([]string{"DATABASE_URL=" + l.dbURL,
		"FLEXWORK_WS_PING_INTERVAL=60s", "FLEXWORK_WS_MAX_SUBSCRIPTIONS=5", "FLEXWORK_JOB_POLL_INTERVAL=100ms",
		"FLEXWORK_PPROF=true"}, env...)...)
	if err != nil {
		return err
	}
	l.srv, l.addr = srv, srv.Addr
	return nil
}

func (l *lab) close() {
	if l.srv != nil {
		l.srv.Stop()
	}
	l.db.Close()
	os.RemoveAll(l.dir)
}

func (l *lab) rss() int64                          { return l.srv.RSS() }
func (l *lab) metric(name string) (float64, error) { return l.srv.Metric(name) }

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

func loadSubscribers(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("load subscribers", flag.ContinueOnError)
	n := fs.Int("n", 10000, "subscribers")
	shifts := fs.Int("shifts", 5, "shifts to publish")
	dbURL := fs.String("database_url", "", "database (default: a temporary SQLite file)")
	profile := fs.String("cpuprofile", "", "write the server's CPU profile while shifts are published to this file")
	toolProfile := fs.String("toolprofile", "", "write this tool's own CPU profile while shifts are published to this file")
	heapProfile := fs.String("heapprofile", "", "write the server's heap profile with every subscriber connected to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	// One descriptor per socket on each side, and some for the database,
	// logs and the tool's own requests.
	if err := needFiles(uint64(*n) + 1024); err != nil {
		return err
	}
	l, err := newLab(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer l.close()
	fmt.Printf("seeding %d workers…\n", *n)
	members, err := demo.Crowd(ctx, l.db.Client, *n, l.centre, l.skill, false)
	if err != nil {
		return err
	}
	if err := l.start(ctx); err != nil {
		return err
	}
	base, err := l.memory(false)
	if err != nil {
		return err
	}
	fmt.Printf("opening %d WebSockets…\n", *n)
	var (
		mu        sync.Mutex
		published = map[string]time.Time{}
		latencies = map[string][]time.Duration{}
		arrivals  []arrival    // not yet decoded
		nexts     atomic.Int64 // "next" messages received
		open      atomic.Int64
		conns     = make([]*websocket.Conn, 0, *n)
		sem       = make(chan struct{}, 64)
		wg        sync.WaitGroup
	)
	opened := time.Now()
	for i, m := range members {
		tok, err := l.token(m.UserID)
		if err != nil {
			return err
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			c, err := subscribeShifts(ctx, sourceClient(i), l.addr, tok, l.centre)
			if err != nil {
				fmt.Fprintln(os.Stderr, "subscribe:", err)
				return
			}
			open.Add(1)
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			// The reader only notes what came and when: the messages are
			// decoded after each broadcast, so that this tool, on the
			// server's cores, spends as little of them as it can.
			go func() {
				for {
					_, b, err := c.Read(context.Background())
					if err != nil {
						return
					}
					at := time.Now()
					if bytes.Contains(b, []byte(`"type":"ping"`)) {
						_ = c.Write(context.Background(), websocket.MessageText, []byte(`{"type":"pong"}`))
						continue
					}
					mu.Lock()
					arrivals = append(arrivals, arrival{at, b})
					mu.Unlock()
					if bytes.Contains(b, []byte(`"type":"next"`)) {
						nexts.Add(1)
					}
				}
			}()
		}()
	}
	wg.Wait()
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		live, err := l.metric("flexwork_live_subscriptions")
		if err != nil {
			return fmt.Errorf("reading the server's subscriptions: %w", err)
		}
		if live >= float64(open.Load()) {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("only %v of %d subscriptions registered", live, open.Load())
		}
	}
	fmt.Printf("%d subscribed in %s\n", open.Load(), time.Since(opened).Round(time.Millisecond))
	time.Sleep(2 * time.Second) // let the server settle before reading its memory
	held, err := l.memory(false)
	if err != nil {
		return err
	}
	live, err := l.memory(true)
	if err != nil {
		return err
	}
	if *heapProfile != "" {
		if err := l.fetch("/debug/pprof/heap?gc=1", *heapProfile); err != nil {
			return err
		}
		fmt.Printf("heap profile: go tool pprof -top -sample_index=inuse_space %s\n", *heapProfile)
	}
	profiled := l.profile(*profile, time.Duration(*shifts)*time.Second)
	cpu, err := l.cpu()
	if err != nil {
		return err
	}
	stopToolProfile, err := profileSelf(*toolProfile)
	if err != nil {
		return err
	}
	var all []time.Duration
	for i := range *shifts {
		id, err := l.postShift(fmt.Sprintf("Load shift %d", i))
		if err != nil {
			return err
		}
		mu.Lock()
		published[id] = time.Now()
		mu.Unlock()
		if err := l.publish(id); err != nil {
			return err
		}
		deadline := time.Now().Add(30 * time.Second)
		for nexts.Load() < int64(i+1)*open.Load() && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		mu.Lock()
		decodeArrivals(arrivals, published, latencies)
		arrivals = arrivals[:0]
		lat := append([]time.Duration(nil), latencies[id]...)
		mu.Unlock()
		all = append(all, lat...)
		p := percentiles(lat)
		fmt.Printf("shift %d: delivered to %d/%d  p50 %s  p99 %s  max %s\n", i+1, len(lat), open.Load(), p[0], p[1], p[2])
	}
	stopToolProfile()
	spent, err := l.cpu()
	if err != nil {
		return err
	}
	p := percentiles(all)
	fmt.Printf("\nsubscribers %d, shifts %d, deliveries %d of %d\n", open.Load(), *shifts, len(all), open.Load()*int64(*shifts))
	fmt.Printf("delivery latency (publishShift sent → event received): p50 %s  p99 %s  max %s\n", p[0], p[1], p[2])
	perDelivery := func(s float64) float64 { return s * 1e6 / float64(max(1, len(all))) }
	fmt.Printf("CPU per delivery while the shifts were published: server %.1f µs (with the push fan-out and keep-alives), this tool %.1f µs\n",
		perDelivery(spent.server-cpu.server), perDelivery(spent.tool-cpu.tool))
	per := func(v, b float64) float64 { return (v - b) / 1024 / float64(open.Load()) }
	gogc := os.Getenv("GOGC")
	if gogc == "" {
		gogc = fmt.Sprintf("%d (the server's own, falling to %d as the live heap grows from %d to %d MiB)",
			serveGCPercent, leanGCPercent, gcHeadroom*100/serveGCPercent>>20, gcHeadroom*100/leanGCPercent>>20)
	}
	fmt.Printf("server memory per connection at GOGC=%s: %.1f KiB RSS (%d → %d MiB), %.1f KiB heap in use and %.1f KiB of stacks; "+
		"after three collections %.1f KiB heap and %.1f KiB of stacks; %.2f goroutines\n", gogc, per(held.rss, base.rss),
		int64(base.rss)>>20, int64(held.rss)>>20, per(held.heap, base.heap), per(held.stacks, base.stacks),
		per(live.heap, base.heap), per(live.stacks, base.stacks), (held.goroutines-base.goroutines)/float64(open.Load()))
	// The profile ends before the sockets close: 10,000 teardowns would
	// otherwise be a tenth of the samples said to be the broadcast's.
	err = profiled()
	for _, c := range conns {
		c.CloseNow()
	}
	return err
}

func (l *lab) fetch(path, file string) error { return l.srv.Fetch(path, file) }

// arrival is a message a subscriber received, and when.
type arrival struct {
	at  time.Time
	msg []byte
}

// decodeArrivals adds to latencies, by shift, the time from each shift's
// publication to each event about it.
func decodeArrivals(arrivals []arrival, published map[string]time.Time, latencies map[string][]time.Duration) {
	for _, a := range arrivals {
		var msg struct {
			Type    string
			Payload struct {
				Data struct{ ShiftPublished struct{ ID string } }
			}
		}
		if json.Unmarshal(a.msg, &msg) != nil || msg.Type != "next" {
			continue
		}
		id := msg.Payload.Data.ShiftPublished.ID
		latencies[id] = append(latencies[id], a.at.Sub(published[id]))
	}
}

// profileSelf writes this process's CPU profile into file until the
// returned function is called (nothing when file is "").
func profileSelf(file string) (stop func(), err error) {
	if file == "" {
		return func() {}, nil
	}
	f, err := os.Create(file)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
		fmt.Printf("tool's CPU profile: go tool pprof -top %s\n", file)
	}, nil
}

// cpuSpent is the CPU time, in seconds, the server and this tool have used.
type cpuSpent struct{ server, tool float64 }

func (l *lab) cpu() (cpuSpent, error) {
	server, err := l.metric("process_cpu_seconds_total")
	if err != nil {
		return cpuSpent{}, err
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return cpuSpent{}, err
	}
	secs := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return cpuSpent{server: server, tool: secs(ru.Utime) + secs(ru.Stime)}, nil
}

// serverMemory is what the server holds, from /proc and its metrics.
type serverMemory struct{ rss, heap, stacks, goroutines float64 }

// memory reads the server's memory; collected first runs three garbage
// collections in it (pprof's heap endpoint runs one with gc=1), so that
// the heap is what is live and the stacks are what an idle server's
// collections leave (each halves a stack that uses less than a quarter of
// itself; an idle Go process collects at least every two minutes).
func (l *lab) memory(collected bool) (serverMemory, error) {
	collections := 0
	if collected {
		collections = 3
	}
	for range collections {
		if err := l.fetch("/debug/pprof/heap?gc=1", os.DevNull); err != nil {
			return serverMemory{}, err
		}
	}
	m := serverMemory{rss: float64(l.rss())}
	for name, v := range map[string]*float64{"go_memstats_heap_inuse_bytes": &m.heap,
		"go_memstats_stack_inuse_bytes": &m.stacks, "go_goroutines": &m.goroutines} {
		x, err := l.metric(name)
		if err != nil {
			return m, err
		}
		*v = x
	}
	return m, nil
}

// profile records the server's CPU profile for d into file in the
// background (nothing when file is ""); the returned function waits for it.
func (l *lab) profile(file string, d time.Duration) func() error {
	wait := l.srv.Profile(file, d)
	return func() error {
		err := wait()
		if err == nil && file != "" {
			fmt.Printf("CPU profile: go tool pprof -top %s\n", file)
		}
		return err
	}
}

// sourceClients dial from one loopback address each: a source address has
// about 28,000 ephemeral ports towards one server port, so the i-th socket
// comes from 127.0.0.(1 + i/20000).
var sourceClients sync.Map // int → *http.Client

func sourceClient(i int) *http.Client {
	k := i / 20000
	if c, ok := sourceClients.Load(k); ok {
		return c.(*http.Client)
	}
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(1+k))}, Control: bindAddressNoPort}
	c, _ := sourceClients.LoadOrStore(k, &http.Client{Transport: &http.Transport{DialContext: d.DialContext}})
	return c.(*http.Client)
}

// bindAddressNoPort lets the kernel choose a socket's port when it
// connects, not when it binds to its source address: a bound port must be
// free of every connection, so back-to-back runs, whose 10,000 closed
// sockets wait out TIME_WAIT, failed with "address already in use"; a port
// chosen at connect need only be free towards this server.
func bindAddressNoPort(_, _ string, c syscall.RawConn) error {
	const ipBindAddressNoPort = 24 // IP_BIND_ADDRESS_NO_PORT, Linux
	var serr error
	if err := c.Control(func(fd uintptr) {
		serr = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_IP, ipBindAddressNoPort, 1)
	}); err != nil {
		return err
	}
	if serr != nil && runtime.GOOS == "linux" {
		return serr
	}
	return nil
}

// subscribeShifts opens a socket from client, signs in and subscribes to
// new shifts.
func subscribeShifts(ctx context.Context, client *http.Client, addr, token string, near market.GeoPoint) (*websocket.Conn, error) {
	c, _, err := websocket.Dial(ctx, "ws://"+addr+"/graphql", &websocket.DialOptions{
		HTTPClient: client, Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		return nil, err
	}
	send := func(v any) error {
		b, _ := json.Marshal(v)
		return c.Write(ctx, websocket.MessageText, b)
	}
	if err := send(map[string]any{"type": "connection_init", "payload": map[string]any{"authorization": "Bearer " + token}}); err != nil {
		return nil, err
	}
	if _, b, err := c.Read(ctx); err != nil || !bytes.Contains(b, []byte("connection_ack")) {
		c.CloseNow()
		return nil, fmt.Errorf("init: %s %v", b, err)
	}
	err = send(map[string]any{"id": "s", "type": "subscribe", "payload": map[string]any{
		"query":     `subscription($near: GeoPointInput!) { shiftPublished(near: $near, radiusKm: 20) { id } }`,
		"variables": map[string]any{"near": map[string]any{"lat": near.Lat, "lng": near.Lng}},
	}})
	return c, err
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
