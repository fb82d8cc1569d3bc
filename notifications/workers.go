package notifications

import (
	"runtime"
	"sync"
	"time"
)

// job is a relay with messages to work through.
type job interface{ work() }

// workers run the relays' jobs. A broadcast to a node's subscribers is as
// many small jobs, each deep enough (the load, gqlgen's execution, JSON,
// the socket's write) to grow a goroutine's stack to 8–16 KiB: a goroutine
// per job grew and then freed that many stacks per broadcast (at 50,000
// subscribers, stack allocation, copying and the scavenger returning the
// freed stacks to the OS were a fifth of the server's CPU samples). A few
// goroutines take the jobs in turn instead, and exit when none are left.
//
// A job may block: a subscriber that does not read leaves its relay
// waiting on its channel, and a socket's write waits on a full buffer up to
// its deadline. While jobs wait and none has been taken for stallAfter, one
// more goroutine starts: a blocked job holds the others up by that much,
// and cannot stop them. The zero value is ready to use.
type workers struct {
	mu      sync.Mutex
	queue   []job
	running int    // goroutines taking jobs
	taken   uint64 // jobs taken so far: the watch's measure of progress
	watched bool   // a stall check is due
}

// stallAfter is how long queued jobs wait with none taken before one more
// goroutine starts.
const stallAfter = 10 * time.Millisecond

// run queues j; it never blocks (the broker calls it for every subscriber
// of a message in turn).
func (w *workers) run(j job) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.queue = append(w.queue, j)
	if w.running < 2*runtime.GOMAXPROCS(0) {
		w.start()
	}
	if !w.watched {
		w.watched = true
		w.watch()
	}
}

// start starts a goroutine taking jobs; w.mu is held.
func (w *workers) start() {
	w.running++
	go w.loop()
}

func (w *workers) loop() {
	for {
		w.mu.Lock()
		if len(w.queue) == 0 {
			w.running--
			w.queue = nil // let go of the backing array
			w.mu.Unlock()
			return
		}
		j := w.queue[0]
		w.queue[0] = nil
		w.queue = w.queue[1:]
		w.taken++
		w.mu.Unlock()
		j.work()
	}
}

// watch checks for a stall after stallAfter; w.mu is held.
func (w *workers) watch() {
	taken := w.taken
	time.AfterFunc(stallAfter, func() { w.check(taken) })
}

func (w *workers) check(taken uint64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.queue) == 0 {
		w.watched = false
		return
	}
	if w.taken == taken {
		w.start()
	}
	w.watch()
}
