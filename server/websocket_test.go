package server_test

import (
	"context"
	"encoding/json"
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
	if _, err := readUntilClose(silent); servertest.CloseStatus(err) == -1 || time.Since(start) > 5*time.Second {
		t.Fatalf("silent socket: %v after %s, want a close soon after 300ms", err, time.Since(start))
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
