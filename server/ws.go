package server

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
)

// guardedWS adds to gqlgen's WebSocket what graphql-transport-ws asks of a
// server and gqlgen leaves out: a socket that sends no connection_init in
// time is closed with 4408; a subscribe that reuses an active id closes the
// socket with 4409; and a socket may hold at most max subscriptions at once
// (more get an error for that id, and the socket stays up).
type guardedWS struct {
	transport.WebsocketImplementation
	initTimeout time.Duration
	max         int
}

func (g guardedWS) Accept(w http.ResponseWriter, r *http.Request, opts transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	conn, err := g.WebsocketImplementation.Accept(w, r, opts)
	if err != nil {
		return nil, err
	}
	c := &guardedConn{WebsocketConn: conn, max: g.max, active: map[string]bool{}}
	c.timer = time.AfterFunc(g.initTimeout, func() {
		_ = conn.WriteClose(4408, "Connection initialisation timeout")
		_ = conn.Close()
	})
	return c, nil
}

type guardedConn struct {
	transport.WebsocketConn
	max    int
	timer  *time.Timer
	mu     sync.Mutex
	active map[string]bool
}

// envelope is the part of a protocol message the guard reads.
type envelope struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

func (c *guardedConn) NextReader() (int, io.Reader, error) {
	for {
		typ, r, err := c.WebsocketConn.NextReader()
		if err != nil {
			return typ, r, err
		}
		data, err := io.ReadAll(r)
		if err != nil {
			return typ, nil, err
		}
		var m envelope
		_ = json.Unmarshal(data, &m)
		switch m.Type {
		case "connection_init":
			c.timer.Stop()
		case "subscribe":
			c.mu.Lock()
			dup, full := c.active[m.ID], len(c.active) >= c.max
			if !dup && !full {
				c.active[m.ID] = true
			}
			c.mu.Unlock()
			if dup {
				_ = c.WebsocketConn.WriteClose(4409, "Subscriber for "+m.ID+" already exists")
				return typ, nil, transport.ErrWebsocketClosed
			}
			if full {
				_ = c.WebsocketConn.WriteJSON(map[string]any{"id": m.ID, "type": "error", "payload": []map[string]any{{
					"message":    "too many subscriptions on this connection",
					"extensions": map[string]any{"code": "RATE_LIMITED", "max": c.max},
				}}})
				continue // gqlgen never sees it
			}
		case "complete":
			c.forget(m.ID)
		}
		return typ, bytes.NewReader(data), nil
	}
}

// WriteJSON notices the server ending a subscription.
func (c *guardedConn) WriteJSON(v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if bytes.Contains(data, []byte(`"complete"`)) || bytes.Contains(data, []byte(`"error"`)) {
		var m envelope
		if json.Unmarshal(data, &m) == nil && (m.Type == "complete" || m.Type == "error") {
			c.forget(m.ID)
		}
	}
	return c.WebsocketConn.WriteJSON(json.RawMessage(data))
}

func (c *guardedConn) forget(id string) {
	c.mu.Lock()
	delete(c.active, id)
	c.mu.Unlock()
}

func (c *guardedConn) Close() error {
	c.timer.Stop()
	return c.WebsocketConn.Close()
}

// The optional interfaces gqlgen looks for pass through.

func (c *guardedConn) SetReadLimit(limit int64) {
	if l, ok := c.WebsocketConn.(transport.WebsocketReadLimiter); ok {
		l.SetReadLimit(limit)
	}
}

func (c *guardedConn) SetReadDeadline(t time.Time) error {
	if d, ok := c.WebsocketConn.(transport.WebsocketReadDeadliner); ok {
		return d.SetReadDeadline(t)
	}
	return nil
}
