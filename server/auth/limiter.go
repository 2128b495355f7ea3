package auth

import (
	"sync"
	"time"
)

// Limiter allows each key (a client address, an account) a burst of
// attempts that refills at a steady rate. It remembers at most maxKeys keys,
// forgetting the fullest buckets first, so a flood of addresses cannot
// exhaust memory.
type Limiter struct {
	mu      sync.Mutex
	burst   float64
	every   time.Duration
	maxKeys int
	buckets map[string]*bucket
	now     func() time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

// NewLimiter allows burst attempts at once, then one per every.
func NewLimiter(burst int, every time.Duration) *Limiter {
	return &Limiter{burst: float64(burst), every: every, maxKeys: 10000, buckets: map[string]*bucket{}, now: time.Now}
}

// Allow takes one attempt from key's bucket; false means wait. The second
// result says how long until the next attempt is allowed.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= l.maxKeys {
			l.sweep(now)
		}
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
	}
	b.tokens = min(l.burst, b.tokens+float64(now.Sub(b.at))/float64(l.every))
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) * float64(l.every))
}

// sweep forgets buckets that have refilled completely: they hold no
// information. If none has, it forgets all, trading precision for memory.
func (l *Limiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		if b.tokens+float64(now.Sub(b.at))/float64(l.every) >= l.burst {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= l.maxKeys {
		clear(l.buckets)
	}
}
