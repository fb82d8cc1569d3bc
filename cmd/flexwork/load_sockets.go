package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/coder/websocket"

	"flexwork/market"
)

// The subscribers' sockets. This tool holds them in its own process, or,
// past what one process may open, in parts: children of this tool
// (`flexwork load subscriber-part`) that each hold a share and answer the
// parent over their stdin and stdout, one JSON value a line.

// delivery is an event a socket received: the shift it was about, and
// when it came (Unix nanoseconds: the processes share the machine's clock).
type delivery struct {
	Shift string `json:"s"`
	At    int64  `json:"t"`
}

// socketsReport is what a share of the sockets says when asked.
type socketsReport struct {
	Open int64 `json:"open"`
	// CPU is the seconds a part's process has spent; 0 for the sockets
	// this process holds, whose CPU is the tool's own.
	CPU        float64    `json:"cpu"`
	Deliveries []delivery `json:"deliveries,omitempty"`
}

// socketSet is a share of the subscribers' sockets.
type socketSet interface {
	// collect waits until every open socket has received events "next"
	// messages in all, or until within has passed, and returns what
	// arrived since the last collect.
	collect(events int64, within time.Duration) (socketsReport, error)
	close()
}

// dialPlan is a share of the subscribers: who, and where they connect.
type dialPlan struct {
	users []string // one socket each
	// first is users[0]'s place among all the subscribers: a socket's
	// place picks its server (in turn, as a load balancer would) and its
	// source address.
	first int
	addrs []string
	near  market.GeoPoint
}

// sockets are subscribers held by this process.
type sockets struct {
	mu       sync.Mutex
	arrivals []arrival // not yet decoded
	nexts    atomic.Int64
	open     atomic.Int64
	conns    []*websocket.Conn
}

// openSockets dials, signs in and subscribes every user of p, 64 at a
// time; a socket that fails is reported on stderr and left out.
func openSockets(ctx context.Context, p dialPlan) (*sockets, error) {
	s := &sockets{conns: make([]*websocket.Conn, 0, len(p.users))}
	sem := make(chan struct{}, 64)
	var wg sync.WaitGroup
	defer wg.Wait()
	for i, u := range p.users {
		tok, err := mintToken(u)
		if err != nil {
			return nil, err
		}
		g := p.first + i
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			c, err := subscribeShifts(ctx, sourceClient(g), p.addrs[g%len(p.addrs)], tok, p.near)
			if err != nil {
				fmt.Fprintln(os.Stderr, "subscribe:", err)
				return
			}
			s.open.Add(1)
			s.mu.Lock()
			s.conns = append(s.conns, c)
			s.mu.Unlock()
			go s.read(c)
		}()
	}
	return s, nil
}

// read only notes what came and when: the messages are decoded when
// collected, after a broadcast, so that this tool, on the server's cores,
// spends as little of them as it can during one.
func (s *sockets) read(c *websocket.Conn) {
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
		s.mu.Lock()
		s.arrivals = append(s.arrivals, arrival{at, b})
		s.mu.Unlock()
		if bytes.Contains(b, []byte(`"type":"next"`)) {
			s.nexts.Add(1)
		}
	}
}

func (s *sockets) collect(events int64, within time.Duration) (socketsReport, error) {
	for deadline := time.Now().Add(within); s.nexts.Load() < events*s.open.Load() && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	s.mu.Lock()
	arrivals := s.arrivals
	s.arrivals = nil
	s.mu.Unlock()
	return socketsReport{Open: s.open.Load(), Deliveries: decodeArrivals(arrivals)}, nil
}

func (s *sockets) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.conns {
		c.CloseNow()
	}
}

// arrival is a message a subscriber received, and when.
type arrival struct {
	at  time.Time
	msg []byte
}

// decodeArrivals keeps the "next" messages' shifts and times.
func decodeArrivals(arrivals []arrival) []delivery {
	out := make([]delivery, 0, len(arrivals))
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
		out = append(out, delivery{msg.Payload.Data.ShiftPublished.ID, a.at.UnixNano()})
	}
	return out
}

// part is a child of this tool holding a share of the sockets.
type part struct {
	cmd   *exec.Cmd
	in    io.WriteCloser
	out   *json.Decoder
	users string // the file naming its users
}

// startPart starts a part for p; ready then waits until it has dialled.
func startPart(ctx context.Context, p dialPlan, dir string) (*part, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	users := filepath.Join(dir, fmt.Sprintf("part-%d.users", p.first))
	if err := os.WriteFile(users, []byte(strings.Join(p.users, "\n")), 0o600); err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, self, "load", "subscriber-part", "--users", users,
		"--first", fmt.Sprint(p.first), "--servers", strings.Join(p.addrs, ","),
		"--lat", fmt.Sprint(p.near.Lat), "--lng", fmt.Sprint(p.near.Lng))
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &part{cmd: cmd, in: in, out: json.NewDecoder(bufio.NewReader(out)), users: users}, nil
}

// ready waits for the part's first report: its sockets are open.
func (p *part) ready() (socketsReport, error) {
	var r socketsReport
	if err := p.out.Decode(&r); err != nil {
		return r, fmt.Errorf("a part of the subscribers ended before it was ready: %w", err)
	}
	return r, nil
}

func (p *part) collect(events int64, within time.Duration) (socketsReport, error) {
	if err := json.NewEncoder(p.in).Encode(partAsk{events, within.Milliseconds()}); err != nil {
		return socketsReport{}, err
	}
	var r socketsReport
	if err := p.out.Decode(&r); err != nil {
		return r, fmt.Errorf("a part of the subscribers: %w", err)
	}
	return r, nil
}

// close ends the part: its stdin's end tells it to close its sockets.
func (p *part) close() {
	p.in.Close()
	_ = p.cmd.Wait()
	os.Remove(p.users)
}

// partAsk is what the parent asks a part: collect(Events, WithinMs).
type partAsk struct {
	Events   int64 `json:"events"`
	WithinMs int64 `json:"withinMs"`
}

// loadSubscriberPart is `flexwork load subscriber-part`, a part's own
// side: it opens its sockets, reports, then answers each ask on stdin
// until stdin ends.
func loadSubscriberPart(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("load subscriber-part", flag.ContinueOnError)
	usersFile := fs.String("users", "", "file of user IDs, one a line")
	first := fs.Int("first", 0, "the first user's place among all the subscribers")
	servers := fs.String("servers", "", "servers' addresses, comma-separated")
	lat := fs.Float64("lat", 0, "where the subscribers look for shifts")
	lng := fs.Float64("lng", 0, "")
	if err := fs.Parse(args); err != nil {
		return err
	}
	b, err := os.ReadFile(*usersFile)
	if err != nil {
		return err
	}
	if *servers == "" {
		return errors.New("load subscriber-part: --servers is required")
	}
	raiseFileLimit()
	s, err := openSockets(ctx, dialPlan{users: strings.Fields(string(b)), first: *first,
		addrs: strings.Split(*servers, ","), near: market.GeoPoint{Lat: *lat, Lng: *lng}})
	if err != nil {
		return err
	}
	defer s.close()
	out := json.NewEncoder(os.Stdout)
	if err := out.Encode(socketsReport{Open: s.open.Load(), CPU: selfCPU()}); err != nil {
		return err
	}
	in := json.NewDecoder(os.Stdin)
	for {
		var ask partAsk
		if err := in.Decode(&ask); err != nil {
			return nil // the parent is done
		}
		r, err := s.collect(ask.Events, time.Duration(ask.WithinMs)*time.Millisecond)
		if err != nil {
			return err
		}
		r.CPU = selfCPU()
		if err := out.Encode(r); err != nil {
			return err
		}
	}
}

// selfCPU is the CPU, in seconds, this process has spent.
func selfCPU() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	secs := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return secs(ru.Utime) + secs(ru.Stime)
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
