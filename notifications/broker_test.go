package notifications

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"testing"
	"time"

	"flexwork/notifications/brokertest"
)

// testPrefix gives each test its own Redis channels.
func testPrefix() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return "flexwork-test-" + hex.EncodeToString(b) + ":"
}

func newRedisBroker(t testing.TB, prefix string) *RedisBroker {
	b, err := NewRedisBroker(context.Background(), brokertest.RedisURL(t), prefix)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// brokers runs a test on each implementation.
func brokers(t *testing.T, fn func(t *testing.T, pub, sub Broker)) {
	t.Run("local", func(t *testing.T) {
		b := NewLocalBroker()
		defer b.Close()
		fn(t, b, b)
	})
	t.Run("redis, two replicas", func(t *testing.T) {
		prefix := testPrefix()
		fn(t, newRedisBroker(t, prefix), newRedisBroker(t, prefix))
	})
}

func receive(t *testing.T, s *Subscription) []byte {
	t.Helper()
	select {
	case m, ok := <-s.C:
		if !ok {
			t.Fatalf("subscription closed: %v", s.Err())
		}
		return m
	case <-time.After(5 * time.Second):
		t.Fatal("no message within 5s")
	}
	return nil
}

func TestBrokerDeliversToSubscribersOfTheTopic(t *testing.T) {
	brokers(t, func(t *testing.T, pub, sub Broker) {
		a, b := sub.Subscribe("offers/wkr_a", 8), sub.Subscribe("offers/wkr_b", 8)
		defer a.Unsubscribe()
		defer b.Unsubscribe()
		ctx := context.Background()
		if err := pub.Publish(ctx, "offers/wkr_a", []byte("for a")); err != nil {
			t.Fatal(err)
		}
		if err := pub.Publish(ctx, "offers/wkr_b", []byte("for b")); err != nil {
			t.Fatal(err)
		}
		if got := string(receive(t, a)); got != "for a" {
			t.Fatalf("a got %q", got)
		}
		if got := string(receive(t, b)); got != "for b" {
			t.Fatalf("b got %q", got)
		}
		select {
		case m := <-a.C:
			t.Fatalf("a got b's message %q", m)
		case <-time.After(50 * time.Millisecond):
		}
		a.Unsubscribe()
		if _, ok := <-a.C; ok || a.Err() != nil {
			t.Fatalf("after Unsubscribe: channel open or err %v", a.Err())
		}
	})
}

// A subscriber that does not read is cut off when its buffer overflows;
// the publisher never waits for it, and other subscribers get everything.
func TestSlowSubscriberIsCutOffNotWaitedFor(t *testing.T) {
	brokers(t, func(t *testing.T, pub, sub Broker) {
		slow, fast := sub.Subscribe("shifts/published", 4), sub.Subscribe("shifts/published", 256)
		defer fast.Unsubscribe()
		ctx := context.Background()
		start := time.Now()
		for i := range 100 {
			if err := pub.Publish(ctx, "shifts/published", []byte{byte(i)}); err != nil {
				t.Fatal(err)
			}
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("publishing 100 messages took %s with a stalled subscriber", d)
		}
		for i := range 100 {
			if m := receive(t, fast); m[0] != byte(i) {
				t.Fatalf("fast subscriber got %d, want %d", m[0], i)
			}
		}
		n := 0
		for range slow.C {
			n++
		}
		if n != 4 || !errors.Is(slow.Err(), ErrSlowSubscriber) {
			t.Fatalf("slow subscriber: %d messages, err %v; want its 4 buffered, then ErrSlowSubscriber", n, slow.Err())
		}
	})
}
