package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"strings"
	"time"

	"flexwork/server/demo"
)

func loadSubscribers(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("load subscribers", flag.ContinueOnError)
	n := fs.Int("n", 10000, "subscribers")
	shifts := fs.Int("shifts", 5, "shifts to publish")
	dbURL := fs.String("database_url", "", "database (default: a temporary SQLite file)")
	processes := fs.Int("processes", 1, "server processes, and processes of this tool holding the sockets, each with "+
		"a share: past one they need a PostgreSQL --database_url and a --redis_url to share the live events through")
	redisURL := fs.String("redis_url", "", "Redis the servers share live events through (with --processes > 1)")
	profile := fs.String("cpuprofile", "", "write the (first) server's CPU profile while shifts are published to this file")
	toolProfile := fs.String("toolprofile", "", "write this tool's own CPU profile while shifts are published to this file")
	heapProfile := fs.String("heapprofile", "", "write the (first) server's heap profile with every subscriber connected to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var env []string
	switch {
	case *processes < 1 || *processes > *n:
		return fmt.Errorf("--processes must be from 1 to --n (%d)", *n)
	case *processes > 1 && (!strings.HasPrefix(*dbURL, "postgres") || *redisURL == ""):
		return errors.New("--processes > 1 runs several servers: they need one PostgreSQL (--database_url postgres://…) " +
			"and one Redis (--redis_url redis://…) to share")
	case *processes > 1:
		env = append(env, "REDIS_URL="+*redisURL)
	}
	// One descriptor per socket on each side, and some for the database,
	// logs and the tool's own requests.
	share := (*n + *processes - 1) / *processes
	if err := needFiles(uint64(share) + 1024); err != nil {
		return fmt.Errorf("%w; or spread the sockets over more --processes", err)
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
	if err := l.startReplicas(ctx, *processes, env...); err != nil {
		return err
	}
	base, err := l.memory(false)
	if err != nil {
		return err
	}
	fmt.Printf("opening %d WebSockets to %d server process(es) from %d process(es) of this tool…\n", *n, *processes, *processes)
	opened := time.Now()
	users := make([]string, len(members))
	for i, m := range members {
		users[i] = m.UserID
	}
	sets, open, err := l.openSubscribers(ctx, users, *processes)
	defer func() {
		for _, s := range sets {
			s.close()
		}
	}()
	if err != nil {
		return err
	}
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		live, err := l.metric("flexwork_live_subscriptions")
		if err != nil {
			return fmt.Errorf("reading the server's subscriptions: %w", err)
		}
		if live >= float64(open) {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("only %v of %d subscriptions registered", live, open)
		}
	}
	fmt.Printf("%d subscribed in %s\n", open, time.Since(opened).Round(time.Millisecond))
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
	// Asking for no events empties what the sockets hold and reads the
	// parts' CPU so far.
	partsCPU, _, err := collectAll(sets, 0)
	if err != nil {
		return err
	}
	cpu, err := l.cpu()
	if err != nil {
		return err
	}
	stopToolProfile, err := profileSelf(*toolProfile)
	if err != nil {
		return err
	}
	var all []time.Duration
	var partsSpent float64
	for i := range *shifts {
		id, err := l.postShift(fmt.Sprintf("Load shift %d", i))
		if err != nil {
			return err
		}
		published := time.Now()
		if err := l.publish(id); err != nil {
			return err
		}
		spent, got, err := collectAll(sets, int64(i+1))
		if err != nil {
			return err
		}
		partsSpent = spent - partsCPU
		var lat []time.Duration
		for _, d := range got {
			if d.Shift == id {
				lat = append(lat, time.Unix(0, d.At).Sub(published))
			}
		}
		all = append(all, lat...)
		p := percentiles(lat)
		fmt.Printf("shift %d: delivered to %d/%d  p50 %s  p99 %s  max %s\n", i+1, len(lat), open, p[0], p[1], p[2])
	}
	stopToolProfile()
	spent, err := l.cpu()
	if err != nil {
		return err
	}
	p := percentiles(all)
	fmt.Printf("\nsubscribers %d, shifts %d, deliveries %d of %d\n", open, *shifts, len(all), open*int64(*shifts))
	fmt.Printf("delivery latency (publishShift sent → event received): p50 %s  p99 %s  max %s\n", p[0], p[1], p[2])
	perDelivery := func(s float64) float64 { return s * 1e6 / float64(max(1, len(all))) }
	fmt.Printf("CPU per delivery while the shifts were published: server %.1f µs (with the push fan-out and keep-alives), this tool %.1f µs\n",
		perDelivery(spent.server-cpu.server), perDelivery(spent.tool-cpu.tool+partsSpent))
	per := func(v, b float64) float64 { return (v - b) / 1024 / float64(open) }
	gogc := os.Getenv("GOGC")
	if gogc == "" {
		gogc = fmt.Sprintf("%d (the server's own, falling to %d as the live heap grows from %d to %d MiB)",
			serveGCPercent, leanGCPercent, gcHeadroom*100/serveGCPercent>>20, gcHeadroom*100/leanGCPercent>>20)
	}
	fmt.Printf("server memory per connection at GOGC=%s: %.1f KiB RSS (%d → %d MiB), %.1f KiB heap in use and %.1f KiB of stacks; "+
		"after three collections %.1f KiB heap and %.1f KiB of stacks; %.2f goroutines\n", gogc, per(held.rss, base.rss),
		int64(base.rss)>>20, int64(held.rss)>>20, per(held.heap, base.heap), per(held.stacks, base.stacks),
		per(live.heap, base.heap), per(live.stacks, base.stacks), (held.goroutines-base.goroutines)/float64(open))
	// The profile ends before the sockets close (deferred above): 10,000
	// teardowns would otherwise be a tenth of the samples said to be the
	// broadcast's.
	if err := profiled(); err != nil {
		return err
	}
	if lost := open*int64(*shifts) - int64(len(all)); lost != 0 || open < int64(*n) {
		return fmt.Errorf("%d of %d sockets subscribed and %d of their deliveries did not arrive within 30 s of their shift", open, *n, lost)
	}
	return nil
}

// openSubscribers opens a socket for each user: in this process, or
// spread over parts when there is more than one process, each with an
// equal share. open is how many subscribed.
func (l *lab) openSubscribers(ctx context.Context, users []string, processes int) (sets []socketSet, open int64, err error) {
	addrs := make([]string, len(l.srvs))
	for i, s := range l.srvs {
		addrs[i] = s.Addr
	}
	plan := func(from, to int) dialPlan {
		return dialPlan{users: users[from:to], first: from, addrs: addrs, near: l.centre}
	}
	if processes == 1 {
		s, err := openSockets(ctx, plan(0, len(users)))
		if err != nil {
			return nil, 0, err
		}
		return []socketSet{s}, s.open.Load(), nil
	}
	var parts []*part
	share := (len(users) + processes - 1) / processes
	for from := 0; from < len(users); from += share {
		p, err := startPart(ctx, plan(from, min(from+share, len(users))), l.dir)
		if err != nil {
			return sets, 0, err
		}
		parts = append(parts, p)
		sets = append(sets, p)
	}
	for _, p := range parts {
		r, err := p.ready()
		if err != nil {
			return sets, 0, err
		}
		open += r.Open
	}
	return sets, open, nil
}

// collectAll waits (up to 30 s) until every socket has had events events
// and returns what arrived, and the CPU the parts have spent in all.
func collectAll(sets []socketSet, events int64) (cpu float64, got []delivery, err error) {
	type answer struct {
		r   socketsReport
		err error
	}
	answers := make(chan answer, len(sets))
	for _, s := range sets {
		go func() {
			r, err := s.collect(events, 30*time.Second)
			answers <- answer{r, err}
		}()
	}
	for range sets {
		a := <-answers
		if a.err != nil {
			err = a.err
		}
		cpu += a.r.CPU
		got = append(got, a.r.Deliveries...)
	}
	return cpu, got, err
}

func (l *lab) fetch(path, file string) error { return l.srv.Fetch(path, file) }

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

// cpuSpent is the CPU time, in seconds, the servers and this process have used.
type cpuSpent struct{ server, tool float64 }

func (l *lab) cpu() (cpuSpent, error) {
	server, err := l.metric("process_cpu_seconds_total")
	if err != nil {
		return cpuSpent{}, err
	}
	return cpuSpent{server: server, tool: selfCPU()}, nil
}

// serverMemory is what the servers hold, from /proc and their metrics.
type serverMemory struct{ rss, heap, stacks, goroutines float64 }

// memory reads the servers' memory; collected first runs three garbage
// collections in each (pprof's heap endpoint runs one with gc=1), so that
// the heap is what is live and the stacks are what an idle server's
// collections leave (each halves a stack that uses less than a quarter of
// itself; an idle Go process collects at least every two minutes).
func (l *lab) memory(collected bool) (serverMemory, error) {
	collections := 0
	if collected {
		collections = 3
	}
	for range collections {
		for _, s := range l.srvs {
			if err := s.Fetch("/debug/pprof/heap?gc=1", os.DevNull); err != nil {
				return serverMemory{}, err
			}
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
