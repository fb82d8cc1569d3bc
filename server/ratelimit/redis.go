package ratelimit

import (
	"context"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// Redis is a Store shared by every replica on one Redis.
type Redis struct {
	rdb     *redis.Client
	limiter *redis_rate.Limiter
	prefix  string
}

// NewRedis connects to url (redis://…); keys start with prefix.
func NewRedis(url, prefix string) (*Redis, error) {
	opts, err := redis.ParseURL(url)
	if err != nil {
		return nil, err
	}
	rdb := redis.NewClient(opts)
	return &Redis{rdb: rdb, limiter: redis_rate.NewLimiter(rdb), prefix: prefix}, nil
}

// Close closes the connection pool.
func (r *Redis) Close() error { return r.rdb.Close() }

// Allow runs redis_rate's GCRA script: one round trip, atomic across
// replicas.
func (r *Redis) Allow(ctx context.Context, key string, l Limit) (time.Duration, error) {
	res, err := r.limiter.Allow(ctx, r.prefix+"rate:"+key, redis_rate.Limit{Rate: l.Rate, Period: l.Period, Burst: l.Burst})
	if err != nil {
		return 0, err
	}
	if res.Allowed > 0 {
		return 0, nil
	}
	return res.RetryAfter, nil
}

// fail counts a failure, remembers it for b.Memory, and sets the lock key
// for as long as the count calls for, in one script.
var fail = redis.NewScript(`
local n = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return n`)

// Fail records a failure and locks the key out as b says.
func (r *Redis) Fail(ctx context.Context, key string, b Backoff) (time.Duration, error) {
	n, err := fail.Run(ctx, r.rdb, []string{r.prefix + "fail:" + key}, b.Memory.Milliseconds()).Int()
	if err != nil {
		return 0, err
	}
	d := b.lockFor(n)
	if d > 0 {
		if err := r.rdb.Set(ctx, r.prefix+"lock:"+key, n, d).Err(); err != nil {
			return 0, err
		}
	}
	return d, nil
}

// Locked is the lock key's remaining time to live.
func (r *Redis) Locked(ctx context.Context, key string) (time.Duration, error) {
	d, err := r.rdb.PTTL(ctx, r.prefix+"lock:"+key).Result()
	if err != nil || d < 0 {
		return 0, err
	}
	return d, nil
}

// Forget clears key's failures and lock.
func (r *Redis) Forget(ctx context.Context, key string) error {
	return r.rdb.Del(ctx, r.prefix+"fail:"+key, r.prefix+"lock:"+key).Err()
}
