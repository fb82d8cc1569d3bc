package server

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unique"

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
	// Cancelling the socket's context (nothing else cancels it) closes its
	// connection, whether its reader is in the WebSocket library's read,
	// which watches the context, or in awaitReadable, which does not; a
	// socket parked in the idle set has no reader to see it, so the
	// cancel that takes it out of the set finishes it.
	s := &socket{id: socketIDs.Add(1), t: t, conn: conn, in: in, out: out, exec: exec, ctx: ctx,
		token: auth.BearerToken(r.Header.Get("Authorization")), subs: map[string]context.CancelFunc{}}
	s.end = func() {
		cancel()
		_ = conn.CloseNow()
		if unpark(s) {
			go s.finish()
		}
	}
	s.heard.Store(time.Now().UnixNano())
	go s.serve()
}

// socketIDs numbers the sockets, for the idle set.
var socketIDs atomic.Uint64

// socket is one graphql-transport-ws connection.
type socket struct {
	id       uint64
	parkable bool // registered in the idle set (wspark_linux.go)
	t        wsTransport
	conn     *websocket.Conn
	in       *bufio.Reader // what conn reads through
	out      *gatherWriter // what conn writes to
	heard    atomic.Int64  // when the peer last sent a message (UnixNano)
	sending  sync.Mutex    // one message gathered at a time
	exec     graphql.GraphExecutor
	ctx      context.Context // the socket's; cancelled when it closes
	end      func()          // cancels ctx and closes the connection; finishes a parked socket

	mu       sync.Mutex
	inited   bool
	acked    bool
	token    string
	viewer   *viewer.Viewer
	subs     map[string]context.CancelFunc
	running  sync.WaitGroup
	closing  sync.Once
	finished sync.Once
	closed   chan struct{} // closed once a close handshake ended; nil before one began
	released func()
	// keeper is the socket's one timer: connection_init's deadline, the
	// next ping and the next recheck of its authority fall due on it
	// (wskeep.go).
	keeper        *time.Timer
	initBy        time.Time // connection_init is due by then
	pingAt        time.Time
	checkAt       time.Time
	keeperStopped bool
}

// message is a protocol message as it arrives.
type message struct {
	ID      *string         `json:"id"`
	Type    *string         `json:"type"`
	Payload json.RawMessage `json:"payload"`
}

// outgoing is a protocol message as the server sends it: a struct, not a map,
// because a broadcast encodes one per subscriber and a map's keys are
// sorted on every encoding.
type outgoing struct {
	ID      string `json:"id,omitempty"`
	Type    string `json:"type"`
	Payload any    `json:"payload,omitempty"`
}

// serve starts the socket's keeper and its reader. parkable is set before
// the keeper starts: its timer may cancel the socket, and cancel reads it.
func (s *socket) serve() {
	s.parkable = registerIdle(s)
	s.startKeeper()
	s.readUntilIdle(false)
}

// readUntilIdle serves the peer's messages while it has sent some, then
// parks the socket in the idle set, which runs readUntilIdle again (woken:
// the peer has sent something), on a goroutine of its own, when the peer
// sends more: an idle socket holds no goroutine. Where sockets cannot be
// parked, the reader waits for data itself (awaitReadable).
func (s *socket) readUntilIdle(woken bool) {
	if !s.readMessages(woken) {
		s.finish()
	}
}

// readMessages is false when the socket has ended, true when it parked.
func (s *socket) readMessages(woken bool) bool {
	for ; ; woken = false {
		if !woken && !s.hasData() {
			if s.parkable && park(s) {
				return true
			}
			if awaitReadable(s.out.Conn) != nil {
				return false
			}
		}
		typ, data, err := s.conn.Read(s.ctx)
		if err != nil {
			return false
		}
		s.heard.Store(time.Now().UnixNano())
		if typ != websocket.MessageText {
			return s.close(closeBadRequest, "Invalid message received")
		}
		var m message
		if err := json.Unmarshal(data, &m); err != nil || m.Type == nil {
			return s.close(closeBadRequest, "Invalid message received")
		}
		if !s.handle(m) {
			return false
		}
	}
}

// finish ends the socket once: its keeper, its operations, its connection.
func (s *socket) finish() {
	s.finished.Do(func() {
		s.stopKeeper()
		s.shutdown()
	})
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
		return s.write(outgoing{Type: "pong"})
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
	return s.write(outgoing{Type: "connection_ack"})
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
	// A subscription's operation context lives as long as it does, on
	// tens of thousands of sockets: its query text is the one copy shared
	// by every socket that sent the same document, and the statistics the
	// extensions recorded before it started (the complexity figure, which
	// nothing reads after that) are let go.
	params.Query = unique.Make(params.Query).Value()
	oc, errs := s.exec.CreateOperationContext(ctx, params)
	if errs != nil {
		resp := s.exec.DispatchError(graphql.WithOperationContext(ctx, oc), errs)
		if s.ended(id) {
			s.sendError(id, resp.Errors)
		}
		s.running.Done()
		return
	}
	st := oc.Stats
	oc.Stats = graphql.Stats{OperationStart: st.OperationStart, Read: st.Read, Parsing: st.Parsing, Validation: st.Validation}
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

// send writes a message; a failure ends the socket.
func (s *socket) send(m outgoing) {
	b, err := json.Marshal(m)
	if err != nil {
		s.t.log.ErrorContext(s.ctx, "websocket: encode", "err", err)
		return
	}
	s.sending.Lock()
	defer s.sending.Unlock()
	s.out.gather()
	// The library writes the frame into the gathered buffer, waiting at
	// most for another frame's writer (a close or a pong, each under the
	// library's own timeout); the network write is flush's, under
	// wsWriteTimeout. So the socket's own context will do: the library
	// keeps the last write's context, and a timeout's would stay held.
	err = s.conn.Write(s.ctx, websocket.MessageText, b)
	if ferr := s.out.flush(); err != nil || ferr != nil {
		s.end()
	}
}

func (s *socket) write(m outgoing) bool {
	s.send(m)
	return s.ctx.Err() == nil
}

func (s *socket) sendError(id string, errs gqlerror.List) bool {
	return s.write(outgoing{ID: id, Type: "error", Payload: errs})
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
			s.end()
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
	s.end() // closes the connection too
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
