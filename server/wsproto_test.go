package server_test

import (
	"context"
	"testing"
	"time"

	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/rule"
	"flexwork/server/servertest"
)

// TestGraphQLTransportWSToTheLetter sends the frames of graphql-ws's
// PROTOCOL.md, good and bad, and checks each answer and close code.
func TestGraphQLTransportWSToTheLetter(t *testing.T) {
	env := servertest.Start(t, entdbtest.Open(t, "sqlite3"))
	ana := env.SignUp("ana@example.com", "Ana")
	ctx := context.Background()
	dial := func(t *testing.T) *servertest.WS {
		t.Helper()
		ws, err := env.DialWS(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return ws
	}
	closedWith := func(t *testing.T, ws *servertest.WS, code int) {
		t.Helper()
		for {
			m, err := ws.TryRead(5 * time.Second)
			if err == nil {
				t.Logf("before the close: %s %s %s", m.Type, m.ID, m.Payload)
				continue
			}
			if got := servertest.CloseStatus(err); got != code {
				t.Fatalf("closed with %d (%v), want %d", got, err, code)
			}
			return
		}
	}
	init := `{"type":"connection_init","payload":{"authorization":"Bearer ` + ana.Token + `"}}`
	acked := func(t *testing.T) *servertest.WS {
		t.Helper()
		ws := dial(t)
		ws.SendRaw(init)
		if m := ws.Read(5 * time.Second); m.Type != "connection_ack" {
			t.Fatalf("connection_init: %s %s", m.Type, m.Payload)
		}
		return ws
	}

	t.Run("a second connection_init closes 4429", func(t *testing.T) {
		ws := acked(t)
		ws.SendRaw(init)
		closedWith(t, ws, 4429)
	})
	t.Run("subscribe before the ack closes 4401", func(t *testing.T) {
		ws := dial(t)
		ws.SendRaw(`{"type":"subscribe","id":"1","payload":{"query":"{ __typename }"}}`)
		closedWith(t, ws, 4401)
	})
	t.Run("ping before connection_init is answered", func(t *testing.T) {
		ws := dial(t)
		ws.SendRaw(`{"type":"ping"}`)
		// the client answers nothing itself to a pong; the socket must stay up
		ws.SendRaw(init)
		if m := ws.Read(5 * time.Second); m.Type != "connection_ack" {
			t.Fatalf("after a ping, connection_init: %s %s", m.Type, m.Payload)
		}
	})
	for name, frame := range map[string]string{
		"not JSON":                        `{"type":`,
		"bytes after the message":         `{"type":"ping"} {"type":"subscribe","id":"x","payload":{"query":"{ __typename }"}}`,
		"no type":                         `{"id":"1"}`,
		"an unknown type":                 `{"type":"start","id":"1","payload":{"query":"{ __typename }"}}`,
		"a server's message":              `{"type":"next","id":"1","payload":{}}`,
		"subscribe without an id":         `{"type":"subscribe","payload":{"query":"{ __typename }"}}`,
		"subscribe with an empty id":      `{"type":"subscribe","id":"","payload":{"query":"{ __typename }"}}`,
		"subscribe without a payload":     `{"type":"subscribe","id":"1"}`,
		"subscribe without a query":       `{"type":"subscribe","id":"1","payload":{"variables":{}}}`,
		"a query that is not a string":    `{"type":"subscribe","id":"1","payload":{"query":42}}`,
		"variables that are not a map":    `{"type":"subscribe","id":"1","payload":{"query":"{ __typename }","variables":[1]}}`,
		"complete without an id":          `{"type":"complete"}`,
		"a ping payload that is a string": `{"type":"ping","payload":"x"}`,
	} {
		t.Run("invalid: "+name+" closes 4400", func(t *testing.T) {
			ws := acked(t)
			ws.SendRaw(frame)
			closedWith(t, ws, 4400)
		})
	}
	t.Run("a refused operation gets error, and no complete after it", func(t *testing.T) {
		ws := acked(t)
		ws.SendRaw(`{"type":"subscribe","id":"bad","payload":{"query":"{ nope }"}}`)
		if m := ws.Read(5 * time.Second); m.Type != "error" || m.ID != "bad" {
			t.Fatalf("an invalid operation: %s %s", m.Type, m.Payload)
		}
		ws.SendRaw(`{"type":"subscribe","id":"ok","payload":{"query":"{ __typename }"}}`)
		if m := ws.Read(5 * time.Second); m.Type != "next" || m.ID != "ok" {
			t.Fatalf("after the error came %s for %q, want next for ok", m.Type, m.ID)
		}
		if m := ws.Read(5 * time.Second); m.Type != "complete" || m.ID != "ok" {
			t.Fatalf("after next: %s %s", m.Type, m.ID)
		}
	})
	t.Run("only graphql-transport-ws is served", func(t *testing.T) {
		for name, protocols := range map[string][]string{"the legacy graphql-ws": {"graphql-ws"}, "no subprotocol": nil} {
			ws, err := env.DialWSProtocols(ctx, protocols...)
			if err != nil {
				t.Fatal(err)
			}
			if got := ws.Conn.Subprotocol(); got != "" {
				t.Fatalf("%s: negotiated %q", name, got)
			}
			closedWith(t, ws, 4406)
		}
	})
}

// TestASocketDoesNotOutliveItsAuthority: an account holds at most so many
// sockets; a socket closes 4403 when its token expires, when the account is
// disabled and when its memberships change.
func TestASocketDoesNotOutliveItsAuthority(t *testing.T) {
	db := entdbtest.Open(t, "sqlite3")
	env := servertest.Start(t, db, servertest.WithEnv(map[string]string{
		"FLEXWORK_WS_RECHECK_INTERVAL": "50ms", "FLEXWORK_WS_MAX_SOCKETS_PER_USER": "3", "FLEXWORK_ACCESS_TOKEN_TTL": "15m",
	}))
	closed := func(t *testing.T, ws *servertest.WS, code int) {
		t.Helper()
		for {
			if _, err := ws.TryRead(5 * time.Second); err != nil {
				if got := servertest.CloseStatus(err); got != code {
					t.Fatalf("closed with %d (%v), want %d", got, err, code)
				}
				return
			}
		}
	}
	t.Run("sockets per account", func(t *testing.T) {
		ben := env.SignUp("ben@example.com", "Ben")
		for range 3 {
			env.ConnectWS(ben.Token)
		}
		ws, err := env.DialWS(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		ws.Send("", "connection_init", map[string]any{"authorization": "Bearer " + ben.Token})
		closed(t, ws, 4429)
	})
	t.Run("the token expires", func(t *testing.T) {
		cai := env.SignUp("cai@example.com", "Cai")
		ws := env.ConnectWS(cai.Token)
		env.Clock.Advance(16 * time.Minute)
		closed(t, ws, 4403)
	})
	t.Run("the account is disabled", func(t *testing.T) {
		dee := env.SignUp("dee@example.com", "Dee")
		ws := env.ConnectWS(dee.Token)
		db.User.UpdateOneID(dee.ID).SetDisabledAt(env.Clock.Now()).ExecX(rule.System(context.Background()))
		closed(t, ws, 4403)
	})
	t.Run("a membership changes", func(t *testing.T) {
		olga, eve := env.SignUp("olga@example.com", "Olga"), env.SignUp("eve@example.com", "Eve")
		emp := createEmployer(t, env, olga, "Spree Logistics")
		ws := env.ConnectWS(eve.Token)
		addMember(t, env, olga, emp, eve, "VIEWER")
		closed(t, ws, 4403)
	})
}
