package auth

import (
	"context"
	"sync"
	"time"

	"flexwork/ent/viewer"
)

// Rechecks coalesce: a node holding tens of thousands of sockets checks
// each one's viewer again every interval, and one statement a socket was
// 1,667 statements a second at 50,000 sockets every 30 s — PostgreSQL's
// whole share of the machine while a broadcast went out. Rechecks that fall
// due within recheckWindow of one another are read in one statement, up to
// recheckBatch users at a time; a recheck waits that much longer, which a
// check every 30 s does not notice.
const (
	recheckWindow = 20 * time.Millisecond
	recheckBatch  = 500
)

// Recheck is Viewer for a socket making sure that its viewer is still who
// it was: the token is verified as Viewer does, the account is read with
// other sockets' rechecks.
func (a *Authenticator) Recheck(ctx context.Context, token string) (*viewer.Viewer, error) {
	return a.viewer(ctx, token, true)
}

// viewerBatch gathers the users whose viewers are wanted.
type viewerBatch struct {
	window  time.Duration // how long a batch gathers; 0 is recheckWindow
	mu      sync.Mutex
	waiting map[string][]chan<- loadedViewer // nil while nothing waits
}

type loadedViewer struct {
	v   *viewer.Viewer
	err error
}

// load waits for userID's viewer, read with whatever else is asked for
// within recheckWindow.
func (b *viewerBatch) load(ctx context.Context, l Viewers, userID string) (*viewer.Viewer, error) {
	got := make(chan loadedViewer, 1)
	b.mu.Lock()
	if b.waiting == nil {
		b.waiting = map[string][]chan<- loadedViewer{}
		window := b.window
		if window == 0 {
			window = recheckWindow
		}
		time.AfterFunc(window, func() { b.read(l, b.take()) })
	}
	b.waiting[userID] = append(b.waiting[userID], got)
	var full map[string][]chan<- loadedViewer
	if len(b.waiting) >= recheckBatch {
		full, b.waiting = b.waiting, nil
	}
	b.mu.Unlock()
	if full != nil {
		go b.read(l, full)
	}
	select {
	case r := <-got:
		return r.v, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// take empties the batch. A window's timer may find a batch that a full
// one already took, or one begun since: it reads what is there.
func (b *viewerBatch) take() map[string][]chan<- loadedViewer {
	b.mu.Lock()
	defer b.mu.Unlock()
	w := b.waiting
	b.waiting = nil
	return w
}

// read loads a batch's viewers and answers every waiter. It runs on no
// waiter's context: one socket closing must not fail the others' reads.
func (b *viewerBatch) read(l Viewers, batch map[string][]chan<- loadedViewer) {
	if len(batch) == 0 {
		return
	}
	ids := make([]string, 0, len(batch))
	for id := range batch {
		ids = append(ids, id)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	vs, err := l.LoadMany(ctx, ids)
	for id, waiters := range batch {
		r := loadedViewer{err: err}
		if err == nil {
			if r.v = vs[id]; r.v == nil {
				r.err = errNoUser
			}
		}
		for _, w := range waiters {
			w <- r // buffered: a waiter that left does not hold this up
		}
	}
}
