package server_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"flexwork/ent/entdb/entdbtest"
	"flexwork/server/servertest"
)

// TestAnIdleSubscriptionHoldsNoGoroutine: a node holds tens of thousands
// of sockets, nearly all idle. On Linux an idle socket holds no goroutine
// (it waits in the idle set; elsewhere, the goroutine that reads it), and
// nothing per subscription: a subscription is read only when its stream
// has something. Events still reach every subscriber, sockets woken by
// their next message go back to idle, and sockets that close leave nothing
// behind.
func TestAnIdleSubscriptionHoldsNoGoroutine(t *testing.T) {
	env := servertest.Start(t, entdbtest.Open(t, "sqlite3"))
	picking := skillID(t, env.DB, "order-picking")
	olga := env.SignUp("olga@example.com", "Olga")
	emp := createEmployer(t, env, olga, "Spree Logistics")
	const sockets = 6
	const shiftsSub = `subscription($near: GeoPointInput!) { shiftPublished(near: $near, radiusKm: 10) { id } }`
	var wss []*servertest.WS
	for i := range sockets {
		w := newWorker(t, env, fmt.Sprintf("w%d@example.com", i), "Worker", picking)
		ws := env.ConnectWS(w.Token)
		ws.Subscribe("shifts", shiftsSub, map[string]any{"near": home})
		ws.Subscribe("offers", `subscription { offerEvents { kind } }`, nil)
		wss = append(wss, ws)
	}
	env.WaitSubscribers(2 * sockets)

	heard := func() {
		t.Helper()
		id := postShift(t, env, olga, emp, map[string]any{"requiredSkillIDs": []string{picking}})
		for _, ws := range wss {
			var got struct{ ShiftPublished struct{ ID string } }
			next(t, ws, "shifts", &got)
			if got.ShiftPublished.ID != id {
				t.Fatalf("heard of %q, want %q", got.ShiftPublished.ID, id)
			}
		}
	}
	readers := sockets
	if runtime.GOOS == "linux" {
		readers = 0
	}
	heard()
	socketsSettled(t, readers, "idle sockets with two subscriptions each")
	heard()                  // an idle subscription wakes for the next event
	for _, ws := range wss { // an idle socket wakes for its peer's message and answers it
		ws.Subscribe("q", `query { __typename }`, nil)
		if m := ws.Read(5 * time.Second); m.Type != "next" || m.ID != "q" {
			t.Fatalf("a query on an idle socket: got %+v, want its result", m)
		}
		if m := ws.Read(5 * time.Second); m.Type != "complete" || m.ID != "q" {
			t.Fatalf("a query on an idle socket: got %+v, want complete", m)
		}
	}
	socketsSettled(t, readers, "sockets idle again")
	heard()
	for _, ws := range wss {
		_ = ws.Conn.Close(websocket.StatusNormalClosure, "")
	}
	env.WaitSubscribers(0)
	socketsSettled(t, 0, "closed sockets")
}

// socketsSettled waits until the server's goroutines that serve sockets and
// their subscriptions number at most want.
func socketsSettled(t *testing.T, want int, what string) {
	t.Helper()
	var n int
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if n = socketGoroutines(); n <= want {
			return
		}
	}
	t.Fatalf("%d goroutines serve %s; want at most %d", n, what, want)
}

// socketGoroutines counts the goroutines in the WebSocket transport and
// the live streams (the test's own clients are in servertest).
func socketGoroutines() int {
	count := 0
	for _, g := range goroutineStacks() {
		if strings.Contains(g, "flexwork/server.(*socket)") || strings.Contains(g, "flexwork/server.(*operation)") ||
			strings.Contains(g, "flexwork/notifications.") {
			count++
		}
	}
	return count
}

// goroutineStacks is every goroutine's stack, one string each.
func goroutineStacks() []string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return strings.Split(string(buf[:n]), "\n\n")
		}
		buf = make([]byte, 2*len(buf))
	}
}

// TestSocketsWakeAndEndUnderRaces: sockets that go idle and wake many times
// a second, while the server pings them (every 100 ms) and the
// peers send, complete and hang up at once, each end once: every query is
// answered, every subscription ends, and nothing is left serving them
// (run under -race, this is the idle set's handover between the reader,
// the epoll goroutine and a cancel).
func TestSocketsWakeAndEndUnderRaces(t *testing.T) {
	env := servertest.Start(t, entdbtest.Open(t, "sqlite3"),
		servertest.WithEnv(map[string]string{"FLEXWORK_WS_PING_INTERVAL": "100ms"}))
	const sockets, rounds = 8, 60
	var wss []*servertest.WS
	for i := range sockets {
		w := newWorker(t, env, fmt.Sprintf("r%d@example.com", i), "Worker")
		ws := env.ConnectWS(w.Token)
		ws.Subscribe("offers", `subscription { offerEvents { kind } }`, nil)
		wss = append(wss, ws)
	}
	env.WaitSubscribers(sockets)
	done := make(chan error, sockets)
	for i, ws := range wss {
		go func() {
			for r := range rounds {
				id := fmt.Sprintf("q%d", r)
				ws.Subscribe(id, `query { __typename }`, nil)
				m, err := ws.TryRead(5 * time.Second)
				if err == nil && (m.Type != "next" || m.ID != id) {
					err = fmt.Errorf("socket %d round %d: got %+v, want %s's result", i, r, m, id)
				}
				if err == nil {
					if m, err = ws.TryRead(5 * time.Second); err == nil && m.Type != "complete" {
						err = fmt.Errorf("socket %d round %d: got %+v, want complete", i, r, m)
					}
				}
				if err != nil {
					done <- err
					return
				}
				time.Sleep(time.Duration(r%4) * 10 * time.Millisecond) // idle for a moment, or not at all
			}
			ws.Send("offers", "complete", nil)
			if i%2 == 0 {
				ws.Conn.CloseNow() // hang up without a word
			} else {
				_ = ws.Conn.Close(websocket.StatusNormalClosure, "")
			}
			done <- nil
		}()
	}
	for range sockets {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	env.WaitSubscribers(0)
	socketsSettled(t, 0, "sockets that ended")
}
