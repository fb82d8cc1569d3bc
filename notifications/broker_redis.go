package notifications

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"
)

// RedisBroker carries events between replicas over Redis pub/sub. Each
// process holds one Redis subscription to every flexwork channel and fans
// messages out to its own subscribers, so ten thousand sockets cost one
// Redis connection, not ten thousand.
type RedisBroker struct {
	rdb    *redis.Client
	ps     *redis.PubSub
	hub    *hub
	prefix string
	done   chan struct{}
	once   sync.Once
}

// NewRedisBroker connects to Redis at url (redis://…) and starts listening;
// prefix namespaces the channels (tests give each run its own).
func NewRedisBroker(ctx context.Context, url, prefix string) (*RedisBroker, error) {
	opts, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	rdb := redis.NewClient(opts)
	if err := rdb.Ping(ctx).Err(); err != nil {
		rdb.Close()
		return nil, fmt.Errorf("redis: %w", err)
	}
	if prefix == "" {
		prefix = "flexwork:"
	}
	b := &RedisBroker{rdb: rdb, hub: newHub(), prefix: prefix, done: make(chan struct{})}
	b.ps = rdb.PSubscribe(ctx, prefix+"*")
	// Wait for Redis to confirm, so that a publish right after this returns
	// is not missed.
	if _, err := b.ps.Receive(ctx); err != nil {
		rdb.Close()
		return nil, fmt.Errorf("redis subscribe: %w", err)
	}
	go b.receive()
	return b, nil
}

func (b *RedisBroker) receive() {
	defer close(b.done)
	for m := range b.ps.Channel(redis.WithChannelSize(4096)) {
		b.hub.deliver(strings.TrimPrefix(m.Channel, b.prefix), []byte(m.Payload))
	}
}

// Publish sends msg to every replica's subscribers of topic.
func (b *RedisBroker) Publish(ctx context.Context, topic string, msg []byte) error {
	return b.rdb.Publish(ctx, b.prefix+topic, msg).Err()
}

// Subscribe listens to topic, here; messages come from any replica.
func (b *RedisBroker) Subscribe(topic string, buffer int) *Subscription {
	return b.hub.subscribe(topic, buffer)
}

// Listen hands each message of topic, from any replica, to hear.
func (b *RedisBroker) Listen(topic string, hear func([]byte), ended func(error)) *Subscription {
	return b.hub.listen(topic, hear, ended)
}

// Subscribers counts this process's live subscriptions.
func (b *RedisBroker) Subscribers() int { return b.hub.count() }

// Close ends every subscription and the Redis connection.
func (b *RedisBroker) Close() error {
	var err error
	b.once.Do(func() {
		_ = b.ps.Close()
		<-b.done
		b.hub.closeAll()
		err = b.rdb.Close()
	})
	return err
}
