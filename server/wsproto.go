package server

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"flexwork/ent/viewer"
	"flexwork/market"
	"flexwork/notifications"
	"flexwork/server/auth"
)

// subprotocol is the one WebSocket subprotocol served: graphql-transport-ws,
// as graphql-ws's PROTOCOL.md defines it. The legacy subscriptions-transport-ws
// ("graphql-ws") is not.
const subprotocol = "graphql-transport-ws"

// Close codes of graphql-transport-ws (and one of our own use of 4429).
const (
	closeBadRequest    websocket.StatusCode = 4400 // an invalid message
	closeUnauthorized  websocket.StatusCode = 4401 // subscribe before connection_ack
	closeForbidden     websocket.StatusCode = 4403 // a bad token; the token expired, the account changed
	closeNotAcceptable websocket.StatusCode = 4406 // not graphql-transport-ws
	closeInitTimeout   websocket.StatusCode = 4408 // no connection_init in time
	closeDuplicateID   websocket.StatusCode = 4409 // a subscribe reusing an active id
	closeTooManyInits  websocket.StatusCode = 4429 // a second connection_init; also too many sockets for one account
	maxMessageBytes                         = 64 << 10
	wsWriteTimeout                          = 10 * time.Second
)

// wsTransport serves graphql-transport-ws, to the letter of the protocol,
// where gqlgen's own transport does not: messages are parsed once and
// strictly (one JSON object, known type, required fields), refusals are
// the protocol's close codes, an operation refused before it starts gets an
// error message and nothing after it, and a socket does not outlive its
// token or its account (rechecked every recheck; a change closes it 4403,
// on which graphql-ws clients reconnect with fresh connection params).
type wsTransport struct {
	authn            *auth.Authenticator
	origins          []string
	initTimeout      time.Duration
	pingInterval     time.Duration
	recheck          time.Duration
	maxSubscriptions int
	perUser          *socketsPerUser
	log              *slog.Logger
}

var _ graphql.Transport = wsTransport{}

func (wsTransport) Supports(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

func (t wsTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	var (
		in  *bufio.Reader
		out *gatherWriter
	)
	conn, err := websocket.Accept(leanHijacker{ResponseWriter: w, in: &in, out: &out}, r, &websocket.AcceptOptions{
		Subprotocols: []string{subprotocol},
		// Phones send no Origin and are accepted; browsers only from these hosts.
		OriginPatterns: t.origins,
	})
	if err != nil {
		return // Accept has answered the request
	}
	if conn.Subprotocol() != subprotocol {
		_ = conn.Close(closeNotAcceptable, "Subprotocol not acceptable")
		return
	}
	conn.SetReadLimit(maxMessageBytes)
	// The socket outlives this handler: net/http cancels the request's
	// context when it returns, and its goroutine, deep in the handler
	// chain, would hold a large stack for the socket's life.
	ctx, cancel := context.WithCancel(context.WithoutCancel(r.Context()))
	s := &socket{t: t, conn: conn, in: in, out: out, exec: exec, ctx: ctx, cancel: cancel,
		token: auth.BearerToken(r.Header.Get("Authorization")), subs: map[string]context.CancelFunc{}}
	s.heard.Store(time.Now().UnixNano())
	// A socket whose context ends closes, whether its reader is in the
	// WebSocket library's read (which watches the context) or waiting for
	// data in awaitData (which does not).
	context.AfterFunc(ctx, func() { _ = conn.CloseNow() })
	go s.serve()
}

// socket is one graphql-transport-ws connection.
type socket struct {
	t       wsTransport
	conn    *websocket.Conn
	in      *bufio.Reader // what conn reads through
	out     *gatherWriter // what conn writes to
	heard   atomic.Int64  // when the peer last sent a message (UnixNano)
	sending sync.Mutex    // one message gathered at a time
	exec    graphql.GraphExecutor
	ctx     context.Context // the socket's; cancelled when it closes
	cancel  context.CancelFunc

	mu       sync.Mutex
	inited   bool
	acked    bool
	token    string
	viewer   *viewer.Viewer
	subs     map[string]context.CancelFunc
	running  sync.WaitGroup
	closing  sync.Once
	closed   chan struct{} // closed once a close handshake ended; nil before one began
	released func()
	// pinger and checker keep the socket alive and its authority current
	// (keepAlive).
	pinger, checker  *time.Timer
	keepAliveStopped bool
}

// message is a protocol message as it arrives.
type message struct {
	ID      *string         `json:"id"`
	Type    *string         `json:"type"`
	Payload json.RawMessage `json:"payload"`
}

func (s *socket) serve() {
	defer s.shutdown()
	initTimer := time.AfterFunc(s.t.initTimeout, func() {
		s.mu.Lock()
		inited := s.inited
		s.mu.Unlock()
		if !inited {
			s.close(closeInitTimeout, "Connection initialisation timeout")
		}
	})
	defer initTimer.Stop()
	s.keepAlive()
	defer s.stopKeepAlive()
	for {
		if s.awaitData() != nil {
			return
		}
		typ, data, err := s.conn.Read(s.ctx)
		if err != nil {
			return
		}
		s.heard.Store(time.Now().UnixNano())
		if typ != websocket.MessageText {
			s.close(closeBadRequest, "Invalid message received")
			return
		}
		var m message
		if err := json.Unmarshal(data, &m); err != nil || m.Type == nil {
			s.close(closeBadRequest, "Invalid message received")
			return
		}
		if !s.handle(m) {
			return
		}
	}
}

// handle acts on one message; false means the socket was closed.
func (s *socket) handle(m message) bool {
	switch *m.Type {
	case "connection_init":
		if !isObject(m.Payload, true) {
			return s.close(closeBadRequest, "Invalid message received: connection_init payload must be an object")
		}
		return s.init(m.Payload)
	case "ping":
		if !isObject(m.Payload, true) {
			return s.close(closeBadRequest, "Invalid message received: ping payload must be an object")
		}
		return s.write(map[string]any{"type": "pong"})
	case "pong":
		return isObject(m.Payload, true) || s.close(closeBadRequest, "Invalid message received: pong payload must be an object")
	case "subscribe":
		if m.ID == nil || *m.ID == "" {
			return s.close(closeBadRequest, "Invalid message received: subscribe needs an id")
		}
		params, err := subscribePayload(m.Payload)
		if err != nil {
			return s.close(closeBadRequest, "Invalid message received: "+err.Error())
		}
		return s.subscribe(*m.ID, params)
	case "complete":
		if m.ID == nil || *m.ID == "" {
			return s.close(closeBadRequest, "Invalid message received: complete needs an id")
		}
		s.mu.Lock()
		if cancel, ok := s.subs[*m.ID]; ok {
			delete(s.subs, *m.ID) // ended by the client: nothing more is sent for it
			cancel()
		}
		s.mu.Unlock()
		return true
	}
	return s.close(closeBadRequest, fmt.Sprintf("Invalid message received: unexpected message of type %q", *m.Type))
}

// init authenticates the socket with the token in connection_init
// ({"authorization": "Bearer <token>"} or {"token": "<token>"}), or the
// Authorization header of the upgrade, and acknowledges it.
func (s *socket) init(payload json.RawMessage) bool {
	s.mu.Lock()
	again := s.inited
	s.inited = true
	s.mu.Unlock()
	if again {
		return s.close(closeTooManyInits, "Too many initialisation requests")
	}
	var p map[string]any
	_ = json.Unmarshal(payload, &p)
	token := ""
	if a, ok := p["authorization"].(string); ok {
		token = auth.BearerToken(a)
	} else if a, ok := p["Authorization"].(string); ok {
		token = auth.BearerToken(a)
	} else if tk, ok := p["token"].(string); ok {
		token = tk
	}
	if token == "" {
		token = s.token
	}
	v, err := s.t.authn.Viewer(s.ctx, token)
	if err != nil {
		return s.close(closeForbidden, "Forbidden")
	}
	if v != nil {
		release, ok := s.t.perUser.take(v.UserID)
		if !ok {
			return s.close(closeTooManyInits, "Too many connections for this account")
		}
		s.released = release
	}
	s.mu.Lock()
	s.token, s.viewer, s.acked = token, v, true
	s.mu.Unlock()
	return s.write(map[string]any{"type": "connection_ack"})
}

// subscribe starts an operation under id.
func (s *socket) subscribe(id string, params *graphql.RawParams) bool {
	s.mu.Lock()
	acked, v := s.acked, s.viewer
	_, dup := s.subs[id]
	full := len(s.subs) >= s.t.maxSubscriptions
	s.mu.Unlock()
	switch {
	case !acked:
		return s.close(closeUnauthorized, "Unauthorized")
	case dup:
		return s.close(closeDuplicateID, "Subscriber for "+id+" already exists")
	case full:
		return s.sendError(id, gqlerror.List{{Message: "too many subscriptions on this connection",
			Extensions: map[string]any{"code": string(market.CodeRateLimited), "max": s.t.maxSubscriptions}}})
	}
	ctx := s.ctx
	if v != nil {
		ctx = viewer.NewContext(ctx, v)
	}
	ctx, cancel := context.WithCancel(graphql.StartOperationTrace(ctx))
	s.mu.Lock()
	s.subs[id] = cancel
	s.running.Add(1)
	s.mu.Unlock()
	go s.run(ctx, id, params)
	return true
}

// run executes one operation: next for each result, then complete; an
// operation refused before it starts gets one error message, and nothing
// after it. A subscription that the client completed sends nothing more.
// A subscription whose stream wakes the socket (notifications.WithWaker)
// is read only when woken: run returns, and no goroutine waits on it.
func (s *socket) run(ctx context.Context, id string, params *graphql.RawParams) {
	now := graphql.Now()
	params.ReadTime = graphql.TraceTiming{Start: now, End: now}
	oc, errs := s.exec.CreateOperationContext(ctx, params)
	if errs != nil {
		resp := s.exec.DispatchError(graphql.WithOperationContext(ctx, oc), errs)
		if s.ended(id) {
			s.sendError(id, resp.Errors)
		}
		s.running.Done()
		return
	}
	ctx = graphql.WithOperationContext(ctx, oc)
	op := &operation{s: s, id: id, subscription: oc.Operation.Operation == ast.Subscription}
	attached := func() bool { return false }
	if op.subscription {
		ctx, attached = notifications.WithWaker(ctx, op.wake)
	}
	var responses graphql.ResponseHandler
	if !op.guard(ctx, oc, func() { responses, ctx = s.exec.DispatchOperation(ctx, oc) }) {
		op.done()
		return
	}
	op.ctx, op.oc, op.responses = ctx, oc, responses
	if attached() {
		op.start()
		return
	}
	for op.step() {
	}
	op.done()
}

// ended removes id; false when the client completed it (or it had ended).
func (s *socket) ended(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cancel, ok := s.subs[id]; ok {
		delete(s.subs, id)
		cancel()
		return true
	}
	return false
}

// keepAlive pings the peer with the protocol's own ping message, which
// every graphql-transport-ws client answers with a pong (graphql-ws, and
// Apollo's iOS and Kotlin clients, do so on their own), and rechecks the
// socket's authority: a peer that has sent nothing for two intervals is
// dropped, and a token that expired, an account disabled or an account
// whose memberships or staff role changed closes the socket with 4403, so
// that the app reconnects and is served by what it is now. Both run on
// timers, not on a goroutine of the socket's: an idle socket holds no
// stack for them (a node serves tens of thousands of sockets). The ping is
// the protocol's, not a WebSocket ping, because its pong is a message:
// the WebSocket library returns it, and the socket's reader goes back to
// waiting in awaitData, where its stack is small, instead of staying in
// the library's read, where a control frame leaves it.
func (s *socket) keepAlive() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pinger = time.AfterFunc(s.t.pingInterval, s.ping)
	s.checker = time.AfterFunc(s.t.recheck, s.recheckAuthority)
}

func (s *socket) ping() {
	if s.ctx.Err() != nil {
		return
	}
	if time.Since(time.Unix(0, s.heard.Load())) > 2*s.t.pingInterval {
		s.cancel() // silent through the last two pings: the peer is gone
		return
	}
	s.mu.Lock()
	acked := s.acked // before the ack, connection_init's timeout watches the peer
	s.mu.Unlock()
	if acked && !s.write(map[string]any{"type": "ping"}) {
		return
	}
	s.rearm(s.pinger, s.t.pingInterval)
}

func (s *socket) recheckAuthority() {
	if s.ctx.Err() != nil {
		return
	}
	s.mu.Lock()
	token, v := s.token, s.viewer
	s.mu.Unlock()
	if v != nil {
		now, err := s.t.authn.Viewer(s.ctx, token)
		switch {
		case errors.Is(err, auth.ErrInvalidToken):
			s.close(closeForbidden, "Forbidden: the access token expired or the account was disabled")
			return
		case err != nil: // the database is away: keep serving what was allowed
		case now.Staff != v.Staff || now.WorkerID != v.WorkerID || !maps.Equal(now.Roles, v.Roles):
			s.close(closeForbidden, "Forbidden: the account changed; reconnect")
			return
		}
	}
	s.rearm(s.checker, s.t.recheck)
}

// rearm sets a keep-alive timer again, unless keep-alive has stopped.
func (s *socket) rearm(t *time.Timer, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.keepAliveStopped {
		t.Reset(d)
	}
}

// stopKeepAlive stops the timers for good: one already running does not
// set itself again.
func (s *socket) stopKeepAlive() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keepAliveStopped = true
	s.pinger.Stop()
	s.checker.Stop()
}

// send writes a message; a failure ends the socket.
func (s *socket) send(m map[string]any) {
	b, err := json.Marshal(m)
	if err != nil {
		s.t.log.ErrorContext(s.ctx, "websocket: encode", "err", err)
		return
	}
	ctx, cancel := context.WithTimeout(s.ctx, wsWriteTimeout)
	defer cancel()
	s.sending.Lock()
	defer s.sending.Unlock()
	s.out.gather()
	err = s.conn.Write(ctx, websocket.MessageText, b)
	if ferr := s.out.flush(wsWriteTimeout); err != nil || ferr != nil {
		s.cancel()
	}
}

func (s *socket) write(m map[string]any) bool {
	s.send(m)
	return s.ctx.Err() == nil
}

func (s *socket) sendError(id string, errs gqlerror.List) bool {
	return s.write(map[string]any{"id": id, "type": "error", "payload": errs})
}

// close ends the socket with a protocol close code; it returns false, so
// that handle can say "closed" in one expression.
func (s *socket) close(code websocket.StatusCode, reason string) bool {
	s.closing.Do(func() {
		done := make(chan struct{})
		s.mu.Lock()
		s.closed = done
		s.mu.Unlock()
		go func() {
			defer close(done)
			_ = s.conn.Close(code, reason) // waits for the peer's answer, up to 5 s
			s.cancel()
		}()
		s.cancelAll()
	})
	return false
}

func (s *socket) cancelAll() {
	s.mu.Lock()
	for id, cancel := range s.subs {
		delete(s.subs, id)
		cancel()
	}
	s.mu.Unlock()
}

// shutdown ends every operation and waits for them, so that a socket leaves
// no goroutine behind.
func (s *socket) shutdown() {
	s.cancelAll()
	s.running.Wait()
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed != nil {
		<-closed // let the close handshake finish: the peer reads the code
	}
	s.cancel()
	_ = s.conn.CloseNow()
	if s.released != nil {
		s.released()
	}
}

// subscribePayload reads a subscribe payload strictly: an object with a
// query string (or a persisted query's id in extensions), and
// operationName, variables and extensions of their types when present.
func subscribePayload(raw json.RawMessage) (*graphql.RawParams, error) {
	if !isObject(raw, false) {
		return nil, errors.New("subscribe needs a payload object")
	}
	var req request
	if err := json.Unmarshal(raw, &req); err != nil {
		return nil, errors.New("subscribe payload is not an object")
	}
	return req.params()
}

// isObject reports whether raw is a JSON object (or, with optional, absent
// or null).
func isObject(raw json.RawMessage, optional bool) bool {
	if len(raw) == 0 || string(raw) == "null" {
		return optional
	}
	var m map[string]json.RawMessage
	return json.Unmarshal(raw, &m) == nil
}

func isNull(data json.RawMessage) bool { return len(data) == 0 || string(data) == "null" }

// socketsPerUser caps the sockets one account holds open at once: each
// holds subscriptions and a recheck, and an app needs one or two.
type socketsPerUser struct {
	mu   sync.Mutex
	max  int
	open map[string]int
}

func newSocketsPerUser(max int) *socketsPerUser {
	return &socketsPerUser{max: max, open: map[string]int{}}
}

func (p *socketsPerUser) take(userID string) (release func(), ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.open[userID] >= p.max {
		return nil, false
	}
	p.open[userID]++
	var once sync.Once
	return func() {
		once.Do(func() {
			p.mu.Lock()
			defer p.mu.Unlock()
			if p.open[userID]--; p.open[userID] <= 0 {
				delete(p.open, userID)
			}
		})
	}, true
}
