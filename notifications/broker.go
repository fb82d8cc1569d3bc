package notifications

import (
	"context"
	"errors"
	"sync"
)

// Broker carries live events from the replica that causes them to the
// sockets, on any replica, that want them. Publishing never waits for a
// subscriber: each has a bounded buffer, and one that falls behind is cut off
// (its channel closes with ErrSlowSubscriber) rather than slowing the rest.
type Broker interface {
	Publish(ctx context.Context, topic string, msg []byte) error
	// Subscribe listens to a topic with a buffer of the given size.
	Subscribe(topic string, buffer int) *Subscription
	// Listen hands each message of a topic to hear, on the goroutine that
	// delivers it, so hear must not block; ended is called once, when the
	// subscription ends. A listener holds no buffer and no goroutine of
	// its own: tens of thousands of idle sockets cost only their entry.
	Listen(topic string, hear func(msg []byte), ended func(error)) *Subscription
	// Subscribers counts this process's live subscriptions.
	Subscribers() int
	Close() error
}

// ErrSlowSubscriber ends a subscription whose buffer overflowed: the client
// missed events and must refetch before subscribing again.
var ErrSlowSubscriber = errors.New("subscriber fell behind; events were missed")

// Subscription is one listener on a topic.
type Subscription struct {
	C <-chan []byte // closed when the subscription ends; nil for a listener

	ch     chan []byte
	hear   func([]byte) // a listener's, instead of ch
	ended  func(error)
	hub    *hub
	topic  string
	mu     sync.Mutex
	closed bool
	err    error
}

// Err says why the channel closed: nil after Unsubscribe, ErrSlowSubscriber
// after an overflow.
func (s *Subscription) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Unsubscribe ends the subscription and closes its channel.
func (s *Subscription) Unsubscribe() { s.hub.remove(s, nil) }

// send hands msg over without waiting; a full buffer ends the subscription.
func (s *Subscription) send(msg []byte) (overflow bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	if s.hear != nil {
		s.hear(msg)
		return false
	}
	select {
	case s.ch <- msg:
		return false
	default:
		return true
	}
}

func (s *Subscription) close(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.closed, s.err = true, err
	if s.ch != nil {
		close(s.ch)
	}
	if s.ended != nil {
		s.ended(err)
	}
}

// hub fans messages out to this process's subscribers; both brokers use it.
type hub struct {
	mu   sync.RWMutex
	subs map[string]map[*Subscription]struct{}
}

func newHub() *hub { return &hub{subs: map[string]map[*Subscription]struct{}{}} }

func (h *hub) subscribe(topic string, buffer int) *Subscription {
	ch := make(chan []byte, buffer)
	return h.add(&Subscription{C: ch, ch: ch, hub: h, topic: topic})
}

func (h *hub) listen(topic string, hear func([]byte), ended func(error)) *Subscription {
	return h.add(&Subscription{hear: hear, ended: ended, hub: h, topic: topic})
}

func (h *hub) add(s *Subscription) *Subscription {
	topic := s.topic
	h.mu.Lock()
	if h.subs[topic] == nil {
		h.subs[topic] = map[*Subscription]struct{}{}
	}
	h.subs[topic][s] = struct{}{}
	h.mu.Unlock()
	return s
}

func (h *hub) remove(s *Subscription, err error) {
	h.mu.Lock()
	if set := h.subs[s.topic]; set != nil {
		delete(set, s)
		if len(set) == 0 {
			delete(h.subs, s.topic)
		}
	}
	h.mu.Unlock()
	s.close(err)
}

// deliver gives msg to every subscriber of topic, cutting off those that
// cannot take it now.
func (h *hub) deliver(topic string, msg []byte) {
	h.mu.RLock()
	set := h.subs[topic]
	subs := make([]*Subscription, 0, len(set))
	for s := range set {
		subs = append(subs, s)
	}
	h.mu.RUnlock()
	for _, s := range subs {
		if s.send(msg) {
			h.remove(s, ErrSlowSubscriber)
		}
	}
}

// count is the number of live subscriptions (for metrics and tests).
func (h *hub) count() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	n := 0
	for _, set := range h.subs {
		n += len(set)
	}
	return n
}

func (h *hub) closeAll() {
	h.mu.Lock()
	var all []*Subscription
	for _, set := range h.subs {
		for s := range set {
			all = append(all, s)
		}
	}
	h.subs = map[string]map[*Subscription]struct{}{}
	h.mu.Unlock()
	for _, s := range all {
		s.close(nil)
	}
}

// LocalBroker delivers within this process: the embedded default, and a
// single replica.
type LocalBroker struct{ hub *hub }

// NewLocalBroker returns an in-process broker.
func NewLocalBroker() *LocalBroker { return &LocalBroker{hub: newHub()} }

// Publish delivers msg to this process's subscribers of topic.
func (b *LocalBroker) Publish(_ context.Context, topic string, msg []byte) error {
	b.hub.deliver(topic, msg)
	return nil
}

// Subscribe listens to topic.
func (b *LocalBroker) Subscribe(topic string, buffer int) *Subscription {
	return b.hub.subscribe(topic, buffer)
}

// Listen hands each message of topic to hear.
func (b *LocalBroker) Listen(topic string, hear func([]byte), ended func(error)) *Subscription {
	return b.hub.listen(topic, hear, ended)
}

// Subscribers counts the live subscriptions.
func (b *LocalBroker) Subscribers() int { return b.hub.count() }

// Close ends every subscription.
func (b *LocalBroker) Close() error {
	b.hub.closeAll()
	return nil
}
