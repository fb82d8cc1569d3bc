package servertest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// WS is a graphql-transport-ws client, as the apps speak it. A goroutine
// reads the socket into a queue (coder/websocket closes a connection whose
// read is cancelled, so a test cannot time out a read itself).
type WS struct {
	t      testing.TB
	Conn   *websocket.Conn
	msgs   chan Message
	closed chan struct{}
	err    error // why reading stopped; valid once closed is closed
}

// Message is one protocol message.
type Message struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// DialWS opens a WebSocket to /graphql with the graphql-transport-ws
// subprotocol, without sending connection_init.
func (e *Env) DialWS(ctx context.Context) (*WS, error) {
	return e.DialWSProtocols(ctx, "graphql-transport-ws")
}

// DialWSProtocols opens a WebSocket to /graphql offering these
// subprotocols (none at all when empty).
func (e *Env) DialWSProtocols(ctx context.Context, protocols ...string) (*WS, error) {
	c, err := e.DialWSConn(ctx, protocols...)
	if err != nil {
		return nil, err
	}
	ws := &WS{t: e.t, Conn: c, msgs: make(chan Message, 1024), closed: make(chan struct{})}
	go ws.pump()
	return ws, nil
}

// DialWSConn opens a WebSocket to /graphql offering these subprotocols
// and leaves it to the caller: nothing reads it, so nothing answers the
// server's pings (a test's silent client).
func (e *Env) DialWSConn(ctx context.Context, protocols ...string) (*websocket.Conn, error) {
	url := "ws" + strings.TrimPrefix(e.HTTP.URL, "http") + "/graphql"
	c, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: protocols,
		HTTPHeader: http.Header{"X-Forwarded-For": {e.clientAddress()}}})
	if err != nil {
		return nil, err
	}
	c.SetReadLimit(1 << 20)
	e.t.Cleanup(func() { c.CloseNow() })
	return c, nil
}

// pump reads messages until the socket closes, answering pings.
func (w *WS) pump() {
	defer close(w.closed)
	for {
		_, b, err := w.Conn.Read(context.Background())
		if err != nil {
			w.err = err
			return
		}
		var m Message
		if err := json.Unmarshal(b, &m); err != nil {
			w.err = err
			return
		}
		switch m.Type {
		case "ping":
			_ = w.Conn.Write(context.Background(), websocket.MessageText, []byte(`{"type":"pong"}`))
			continue
		case "pong":
			continue
		}
		w.msgs <- m
	}
}

// Init sends connection_init with the token (if any) and waits for the ack.
func (e *Env) ConnectWS(token string) *WS {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ws, err := e.DialWS(ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	payload := map[string]any{}
	if token != "" {
		payload["authorization"] = "Bearer " + token
	}
	ws.Send("", "connection_init", payload)
	if m := ws.Read(5 * time.Second); m.Type != "connection_ack" {
		e.t.Fatalf("connection_init: got %+v, want connection_ack", m)
	}
	return ws
}

// Send writes a message.
func (w *WS) Send(id, typ string, payload any) {
	w.t.Helper()
	m := map[string]any{"type": typ}
	if id != "" {
		m["id"] = id
	}
	if payload != nil {
		m["payload"] = payload
	}
	b, _ := json.Marshal(m)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := w.Conn.Write(ctx, websocket.MessageText, b); err != nil {
		w.t.Fatalf("ws write: %v", err)
	}
}

// SendRaw writes one text frame as it is.
func (w *WS) SendRaw(frame string) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := w.Conn.Write(ctx, websocket.MessageText, []byte(frame)); err != nil {
		w.t.Fatalf("ws write: %v", err)
	}
}

// Subscribe starts an operation under id.
func (w *WS) Subscribe(id, query string, vars map[string]any) {
	w.Send(id, "subscribe", map[string]any{"query": query, "variables": vars})
}

// Read returns the next message other than a ping or pong, failing the
// test after timeout.
func (w *WS) Read(timeout time.Duration) Message {
	w.t.Helper()
	m, err := w.TryRead(timeout)
	if err != nil {
		w.t.Fatalf("ws read: %v", err)
	}
	return m
}

// TryRead is Read that returns the error (a close, a timeout) instead.
func (w *WS) TryRead(timeout time.Duration) (Message, error) {
	select {
	case m := <-w.msgs:
		return m, nil
	default:
	}
	select {
	case m := <-w.msgs:
		return m, nil
	case <-w.closed:
		select {
		case m := <-w.msgs:
			return m, nil
		default:
		}
		return Message{}, w.err
	case <-time.After(timeout):
		return Message{}, errors.New("no message within " + timeout.String())
	}
}

// CloseStatus returns the WebSocket close code of err, or -1.
func CloseStatus(err error) int {
	var ce websocket.CloseError
	if errors.As(err, &ce) {
		return int(ce.Code)
	}
	return -1
}
