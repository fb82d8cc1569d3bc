package server_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"flexwork/ent/entdb/entdbtest"
	"flexwork/server/servertest"
)

func TestWebSocketAuthentication(t *testing.T) {
	env := servertest.Start(t, entdbtest.Open(t, "sqlite3"),
		servertest.WithEnv(map[string]string{"FLEXWORK_WS_INIT_TIMEOUT": "300ms"}))
	ana := env.SignUp("ana@example.com", "Ana")

	// The token travels in connection_init; operations run as that user.
	ws := env.ConnectWS(ana.Token)
	ws.Subscribe("1", `{ viewer { id } }`, nil)
	m := ws.Read(5 * time.Second)
	var next struct {
		Data struct{ Viewer struct{ ID string } }
	}
	if m.Type != "next" || json.Unmarshal(m.Payload, &next) != nil || next.Data.Viewer.ID != ana.ID {
		t.Fatalf("query over WebSocket: %+v", m)
	}
	if m := ws.Read(5 * time.Second); m.Type != "complete" || m.ID != "1" {
		t.Fatalf("after the result: %+v, want complete", m)
	}

	// A bad token is refused with 4403.
	ctx := context.Background()
	bad, err := env.DialWS(ctx)
	if err != nil {
		t.Fatal(err)
	}
	bad.Send("", "connection_init", map[string]any{"authorization": "Bearer forged"})
	if _, err := readUntilClose(bad); servertest.CloseStatus(err) != 4403 {
		t.Fatalf("bad token: %v, want close 4403", err)
	}

	// A socket that never says connection_init is closed after the timeout.
	silent, err := env.DialWS(ctx)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := readUntilClose(silent); servertest.CloseStatus(err) != 4408 || time.Since(start) > 5*time.Second {
		t.Fatalf("silent socket: %v after %s, want 4408 soon after 300ms", err, time.Since(start))
	}
}

// readUntilClose reads until the server closes the socket.
func readUntilClose(ws *servertest.WS) (servertest.Message, error) {
	for {
		m, err := ws.TryRead(5 * time.Second)
		if err != nil {
			return m, err
		}
	}
}

func TestWebSocketProtocolGuards(t *testing.T) {
	env := servertest.Start(t, entdbtest.Open(t, "sqlite3"),
		servertest.WithEnv(map[string]string{"FLEXWORK_WS_MAX_SUBSCRIPTIONS": "2"}))
	ana := newWorker(t, env, "ana@example.com", "Ana")
	ws := env.ConnectWS(ana.Token)
	const sub = `subscription { offerEvents { kind } }`
	ws.Subscribe("a", sub, nil)
	ws.Subscribe("b", sub, nil)
	env.WaitSubscribers(2)
	// A third is refused for that id only; the socket stays up.
	ws.Subscribe("c", sub, nil)
	m := ws.Read(5 * time.Second)
	if m.Type != "error" || m.ID != "c" || !strings.Contains(string(m.Payload), "RATE_LIMITED") {
		t.Fatalf("third subscription: %s %s %s", m.Type, m.ID, m.Payload)
	}
	// Completing one frees its place.
	ws.Send("a", "complete", nil)
	env.WaitSubscribers(1)
	ws.Subscribe("c", sub, nil)
	env.WaitSubscribers(2)
	// Reusing an active id closes the socket with 4409, as the protocol says.
	ws.Subscribe("b", sub, nil)
	if _, err := readUntilClose(ws); servertest.CloseStatus(err) != 4409 {
		t.Fatalf("duplicate id: %v, want close 4409", err)
	}
	env.WaitSubscribers(0)
}
