package server_test

import (
	"context"
	"encoding/json"
	"runtime"
	"testing"
	"time"

	"github.com/coder/websocket"

	"flexwork/ent/entdb/entdbtest"
	"flexwork/server/servertest"
)

// TestKeepAlive: the server pings each socket with the protocol's ping
// message. A client that answers (every graphql-transport-ws client does,
// as servertest's does) stays connected and served, with no goroutine
// reading it between pings (the pong is a message: the socket goes back
// to the idle set); a client that has gone
// silent is dropped once two intervals pass without a word from it.
func TestKeepAlive(t *testing.T) {
	const interval = 100 * time.Millisecond
	env := servertest.Start(t, entdbtest.Open(t, "sqlite3"),
		servertest.WithEnv(map[string]string{"FLEXWORK_WS_PING_INTERVAL": interval.String()}))
	ana := newWorker(t, env, "ana@example.com", "Ana")

	ws := env.ConnectWS(ana.Token)
	ws.Subscribe("offers", `subscription { offerEvents { kind } }`, nil)
	env.WaitSubscribers(1)
	time.Sleep(8 * interval) // eight pings, each answered
	ws.Subscribe("me", `{ viewer { id } }`, nil)
	var got struct{ Viewer struct{ ID string } }
	next(t, ws, "me", &got)
	if got.Viewer.ID != ana.ID {
		t.Fatalf("after eight pings the socket answered for %q, want %q", got.Viewer.ID, ana.ID)
	}
	if m := ws.Read(5 * time.Second); m.Type != "complete" || m.ID != "me" {
		t.Fatalf("after the answer: %+v, want complete", m)
	}
	if runtime.GOOS == "linux" { // answered pings leave the socket idle, with no goroutine reading it
		socketsSettled(t, 0, "a socket between answered pings")
	}

	// A client that reads but never answers.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := env.DialWSConn(ctx, "graphql-transport-ws")
	if err != nil {
		t.Fatal(err)
	}
	init, _ := json.Marshal(map[string]any{"type": "connection_init", "payload": map[string]any{"authorization": "Bearer " + ana.Token}})
	if err := c.Write(ctx, websocket.MessageText, init); err != nil {
		t.Fatal(err)
	}
	start, pings := time.Now(), 0
	for {
		_, b, err := c.Read(ctx)
		if err != nil {
			if ctx.Err() != nil {
				t.Fatalf("a silent client was still connected after %s (%d pings)", time.Since(start), pings)
			}
			break
		}
		var m struct{ Type string }
		if json.Unmarshal(b, &m) == nil && m.Type == "ping" {
			pings++
		}
	}
	if took := time.Since(start); pings == 0 || took < 2*interval || took > 20*interval {
		t.Fatalf("a silent client was dropped after %s and %d pings; want after at least two intervals of %s and within twenty", took, pings, interval)
	}
	// The answering client is still there.
	ws.Subscribe("me2", `{ viewer { id } }`, nil)
	next(t, ws, "me2", &got)
}
