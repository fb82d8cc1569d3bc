package server

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// operation is one operation on a socket. A query or mutation, or a
// subscription whose resolver does not wake the socket, is read in a loop
// on its own goroutine (run). A subscription whose stream wakes the socket
// is read only when woken, one response per wake, on a goroutine that
// lives only while there is something to send: an idle subscription holds
// no goroutine and no stack.
type operation struct {
	s            *socket
	id           string
	subscription bool
	ctx          context.Context
	oc           *graphql.OperationContext
	responses    graphql.ResponseHandler
	steps        int // responses read; one reader at a time

	mu      sync.Mutex
	started bool // responses is set: wakes may be served
	pending int  // wakes not yet served: each is one item, or the end
	busy    bool // a goroutine is serving wakes; stays set once over
}

// wake is the stream's word that it has one more item, or has ended. It
// serves the item on the caller's goroutine (the relay's, which has
// nothing else to do until the item is read) unless another goroutine is
// serving this operation's wakes: a live event costs one goroutine, not
// two, and one stack grown to gqlgen's depth, not two.
func (o *operation) wake() {
	o.mu.Lock()
	o.pending++
	serve := o.started && !o.busy
	if serve {
		o.busy = true
	}
	o.mu.Unlock()
	if serve {
		o.drain()
	}
}

// start serves the wakes that came while the operation was dispatched.
func (o *operation) start() {
	o.mu.Lock()
	o.started = true
	serve := o.pending > 0 && !o.busy
	if serve {
		o.busy = true
	}
	o.mu.Unlock()
	if serve {
		o.drain()
	}
}

// drain reads and sends one response per wake, never waiting on the
// stream: each wake stands for something already there to read.
func (o *operation) drain() {
	for {
		o.mu.Lock()
		if o.pending == 0 {
			o.busy = false
			o.mu.Unlock()
			return
		}
		o.pending--
		o.mu.Unlock()
		if !o.step() {
			o.done() // busy stays set: nothing serves it again
			return
		}
	}
}

// step reads one response and sends it; false when the operation is over.
func (o *operation) step() (more bool) {
	ok := o.guard(o.ctx, o.oc, func() { more = o.next() })
	return ok && more
}

func (o *operation) next() bool {
	s := o.s
	resp := o.responses(o.ctx)
	first := o.steps == 0
	o.steps++
	switch {
	case resp == nil:
	// A subscription whose resolver refused it (not signed in, not the
	// viewer's shift) never started: an error, not a null event.
	case first && o.subscription && len(resp.Errors) > 0 && isNull(resp.Data):
		if s.ended(o.id) {
			s.sendError(o.id, resp.Errors)
		}
		return false
	case o.ctx.Err() != nil:
	default:
		s.send(outgoing{ID: o.id, Type: "next", Payload: resp})
		if o.subscription {
			return true
		}
	}
	if s.ended(o.id) {
		s.send(outgoing{ID: o.id, Type: "complete"})
	}
	return false
}

// guard runs fn, turning a panic into an internal error for the client
// (the recover function logs it); false when fn panicked.
func (o *operation) guard(ctx context.Context, oc *graphql.OperationContext, fn func()) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			_ = oc.Recover(ctx, r)
			if o.s.ended(o.id) {
				o.s.sendError(o.id, gqlerror.List{{Message: "internal server error", Extensions: map[string]any{"code": codeInternal}}})
			}
			ok = false
		}
	}()
	fn()
	return true
}

func (o *operation) done() { o.s.running.Done() }

// leanHijacker hands the WebSocket small bufio buffers in place of
// net/http's 4 KiB reader and writer, which an idle socket would hold for
// its life: the frames it reads are a header and a payload read whole, and
// what it writes goes to a gatherWriter, which sends each message whole.
type leanHijacker struct {
	http.ResponseWriter
	in  **bufio.Reader // set to what the WebSocket reads through
	out **gatherWriter // set to the socket's writer
}

func (w leanHijacker) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, brw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	// The client's first frames may have come with the upgrade: they go
	// in the new reader's buffer, where the WebSocket library looks for
	// them (it then reads from c).
	n := brw.Reader.Buffered()
	early, _ := brw.Reader.Peek(n)
	br := bufio.NewReaderSize(io.MultiReader(bytes.NewReader(bytes.Clone(early)), c), max(16, n))
	if _, err := br.Peek(n); err != nil {
		return nil, nil, err
	}
	g := &gatherWriter{Conn: c}
	*w.in, *w.out = br, g
	return c, bufio.NewReadWriter(br, bufio.NewWriterSize(g, 16)), nil
}

// gatherWriter passes the WebSocket's writes to the connection, except
// while a send gathers them: then they go to a pooled buffer, written with
// one call when the send ends. Without it a message would leave as two
// packets (the 16-byte buffer's worth, then the rest); with a buffer of
// the socket's own, every idle socket would hold one.
type gatherWriter struct {
	net.Conn
	mu       sync.Mutex
	buf      *[]byte   // non-nil while a send gathers
	deadline time.Time // the connection's write deadline
}

var gatherPool = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}

func (g *gatherWriter) Write(p []byte) (int, error) {
	g.mu.Lock()
	if g.buf != nil {
		*g.buf = append(*g.buf, p...)
		g.mu.Unlock()
		return len(p), nil
	}
	err := g.keepDeadline()
	g.mu.Unlock()
	if err != nil {
		return 0, err
	}
	return g.Conn.Write(p)
}

// keepDeadline leaves every write between half of wsWriteTimeout and all
// of it to finish: it moves the connection's write deadline only when less
// than half is left. Setting one before each message and clearing it after
// had cost two timer updates per subscriber in every broadcast. One
// timeout for every write of the connection, since the half is of it.
// Called with g.mu held.
func (g *gatherWriter) keepDeadline() error {
	now := time.Now()
	if g.deadline.Sub(now) >= wsWriteTimeout/2 {
		return nil
	}
	g.deadline = now.Add(wsWriteTimeout)
	return g.SetWriteDeadline(g.deadline)
}

// gather starts gathering; the caller sends one message at a time.
func (g *gatherWriter) gather() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.buf = gatherPool.Get().(*[]byte)
}

// flush writes what was gathered, whole (a ping or close frame written
// meanwhile by another goroutine goes with it), and stops gathering.
func (g *gatherWriter) flush() error {
	g.mu.Lock()
	b := g.buf
	g.buf = nil
	err := g.keepDeadline()
	g.mu.Unlock()
	defer func() {
		if cap(*b) <= 64<<10 {
			*b = (*b)[:0]
			gatherPool.Put(b)
		}
	}()
	if len(*b) == 0 || err != nil {
		return err
	}
	_, err = g.Conn.Write(*b)
	return err
}
