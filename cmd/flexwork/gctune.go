package main

import (
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// The server's collector trades memory for throughput while the live heap
// is small, and stops once it is large. A GraphQL response is thousands of
// small allocations: at Go's default GOGC of 100 the collector took a sixth
// of the server's CPU under load, at 400 a fraction of that. But GOGC is a
// multiple of the live heap, and a node holding ten thousand idle sockets
// (a quarter GiB live) would grow to 1.25 GiB between collections at 400,
// all of it resident. So at most gcHeadroom of garbage is let pile up over
// the live heap: GOGC is 400 up to 64 MiB live, and falls to Go's own 100
// at 256 MiB.
const (
	serveGCPercent = 400
	leanGCPercent  = 100
	gcHeadroom     = 256 << 20
)

// gcPercentFor is the GOGC for a live heap of the given size.
func gcPercentFor(live uint64) int {
	if live == 0 {
		return serveGCPercent
	}
	return int(max(leanGCPercent, min(serveGCPercent, uint64(gcHeadroom)*100/live)))
}

// tuneGC keeps GOGC at gcPercentFor(the live heap), set again after every
// collection, unless the environment sets GOGC.
func tuneGC(log *slog.Logger) {
	if os.Getenv("GOGC") != "" {
		return
	}
	debug.SetGCPercent(serveGCPercent)
	afterEachGC(func() { setGCPercent(gcPercentFor(liveHeap())) })
	log.Info("garbage collector tuned for throughput while the heap is small", "gogc", serveGCPercent,
		"headroom_mib", gcHeadroom>>20)
}

var gcPercent atomic.Int64 // what setGCPercent last set

func setGCPercent(p int) {
	if gcPercent.Swap(int64(p)) != int64(p) {
		debug.SetGCPercent(p)
	}
}

// liveHeap is the heap the last collection marked live.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// gcSentinel is garbage from birth: its finalizer runs once the collection
// that found it ends, calls fn, and makes the next one. (It holds a
// pointer, so the tiny allocator does not batch it with live objects.)
type gcSentinel struct{ _ *int }

// afterEachGC calls fn after every collection until stop is called.
func afterEachGC(fn func()) (stop func()) {
	var stopped atomic.Bool
	var arm func()
	arm = func() {
		runtime.SetFinalizer(&gcSentinel{}, func(*gcSentinel) {
			if stopped.Load() {
				return
			}
			fn()
			arm()
		})
	}
	arm()
	return func() { stopped.Store(true) }
}
