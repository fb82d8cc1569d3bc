package notifications

import (
	"bytes"
	"context"
	"encoding/json"
	"sync"
)

type wakerKey struct{}

// waker is how a transport asks to be told when a stream has an item.
type waker struct {
	wake     func()
	attached bool
}

// WithWaker asks a stream started under ctx to call wake each time it has
// an item to read, and once more when it has ended (its channel closed),
// so that the transport reads the stream only then, with no goroutine
// blocked on an idle subscription. wake may read and send the item before
// it returns: the stream calls it holding no lock. attached reports, after
// the operation was dispatched, whether a stream took the waker; if none
// did, the transport reads as it would any channel.
func WithWaker(ctx context.Context, wake func()) (_ context.Context, attached func() bool) {
	w := &waker{wake: wake}
	return context.WithValue(ctx, wakerKey{}, w), func() bool { return w.attached }
}

// takeWaker returns ctx's wake function, marking it taken, or a no-op.
func takeWaker(ctx context.Context) func() {
	if w, ok := ctx.Value(wakerKey{}).(*waker); ok && !w.attached {
		w.attached = true
		return w.wake
	}
	return func() {}
}

// relay turns a topic's messages into one subscriber's items: in order, one
// message at a time, as a job of Live's workers while there is work.
// What waits for the subscriber (messages not yet loaded plus items not yet
// read) is bounded by buffer; past it the subscriber has fallen behind: it
// gets what fitted, then resync (if any), then the end. What waits, waits
// as messages in the inbox, which is empty when the subscriber keeps up:
// the channel holds one item, and the worker waits to hand it the next, so
// that an idle subscription holds a one-slot channel, not buffer slots (a
// node holds tens of thousands).
type relay[T any] struct {
	ctx    context.Context // the subscriber's: loads run as them
	l      *Live
	topic  string
	load   func(context.Context, LiveEvent) (T, error)
	resync func() T
	out    chan T
	wake   func()

	mu     sync.Mutex
	sub    *Subscription
	inbox  [][]byte
	busy   bool // the relay is queued or working through its inbox
	ending bool // the subscription ended: finish once the inbox is done
	behind bool // the buffer overflowed: finish with resync
}

// stream subscribes to topic and turns its events into T with load, which
// runs as the subscriber (privacy applies) and may return an error to skip
// the event. The channel closes when ctx ends, the broker closes, or the
// subscriber falls behind (then resync, if any, is sent last).
func stream[T any](ctx context.Context, l *Live, topic string, load func(context.Context, LiveEvent) (T, error), resync func() T) (<-chan T, error) {
	r := &relay[T]{ctx: ctx, l: l, topic: topic, load: load, resync: resync,
		out: make(chan T, 1), wake: takeWaker(ctx)}
	sub := l.broker.Listen(topic, r.hear, r.ended)
	r.mu.Lock()
	r.sub = sub
	r.mu.Unlock()
	context.AfterFunc(ctx, sub.Unsubscribe)
	return r.out, nil
}

// hear takes a message from the broker; it must not block.
func (r *relay[T]) hear(msg []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ending || r.behind {
		return
	}
	if len(r.inbox)+len(r.out) >= buffer {
		r.behind = true
	} else {
		r.inbox = append(r.inbox, msg)
	}
	r.kick()
}

// ended is told that the subscription ended (unsubscribed, or the broker
// closed).
func (r *relay[T]) ended(error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ending = true
	r.kick()
}

// kick queues the relay's work unless it is queued or running; r.mu is
// held.
func (r *relay[T]) kick() {
	if !r.busy {
		r.busy = true
		r.l.workers.run(r)
	}
}

func (r *relay[T]) work() {
	for {
		r.mu.Lock()
		if len(r.inbox) == 0 || r.ctx.Err() != nil {
			if r.ending || r.behind || r.ctx.Err() != nil {
				r.mu.Unlock()
				r.finish()
				return
			}
			r.busy = false
			r.mu.Unlock()
			return
		}
		msg := r.inbox[0]
		r.inbox[0] = nil
		r.inbox = r.inbox[1:]
		if len(r.inbox) == 0 {
			r.inbox = nil // let go of the backing array
		}
		r.mu.Unlock()
		r.deliver(msg)
	}
}

func (r *relay[T]) deliver(msg []byte) {
	e, err := r.l.decode(msg)
	if err != nil {
		r.l.log.WarnContext(r.ctx, "bad live event", "topic", r.topic, "err", err)
		return
	}
	item, err := r.load(r.ctx, e)
	if err != nil {
		return // gone, not this viewer's to see, or not for them
	}
	if r.send(item) {
		r.wake()
	}
}

// decoded is a broker message and what it decodes to.
type decoded struct {
	msg []byte
	e   LiveEvent
	err error
}

// decode decodes a broker message. The broker hands each of a topic's
// subscribers the same message, one after another: the last one decoded
// is kept, so that a broadcast to ten thousand sockets decodes it once.
// Messages are compared by their bytes, so that a reused buffer cannot
// return another's event.
func (l *Live) decode(msg []byte) (LiveEvent, error) {
	if d := l.lastDecoded.Load(); d != nil && bytes.Equal(d.msg, msg) {
		return d.e, d.err
	}
	d := &decoded{msg: bytes.Clone(msg)}
	d.err = json.Unmarshal(msg, &d.e)
	l.lastDecoded.Store(d)
	return d.e, d.err
}

// send hands item to the subscriber, waiting while it reads the one before;
// false when the subscriber has gone (its context ended) and reads no more.
func (r *relay[T]) send(item T) bool {
	select {
	case r.out <- item:
		return true
	case <-r.ctx.Done():
		return false
	}
}

// finish ends the stream for good: it runs once, on the worker, which
// stays busy so that nothing starts another.
func (r *relay[T]) finish() {
	r.mu.Lock()
	behind, sub := r.behind, r.sub
	r.inbox = nil
	r.mu.Unlock()
	if behind && r.resync != nil && r.ctx.Err() == nil {
		r.send(r.resync())
	}
	// The subscription ends before the subscriber hears of the end, so
	// that a subscriber that saw its channel close sees it gone.
	if sub != nil {
		sub.Unsubscribe() // a no-op when it had ended
	}
	close(r.out)
	r.wake()
}
