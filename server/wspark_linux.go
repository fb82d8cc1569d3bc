package server

import (
	"errors"
	"sync"
	"syscall"
)

// idle is the one epoll set in which idle sockets wait for their peers'
// next message, and the one goroutine that waits on it: a socket parked
// here holds no goroutine and no stack, where a reader waiting in the
// runtime's poller would hold a 4 KiB stack for each of tens of thousands
// of idle sockets. Go's poller keeps the connection too (it stays
// non-blocking, read by the WebSocket library); epoll allows a descriptor
// in several sets. A socket is added disarmed when it opens, and each park
// arms it for one wake-up: a socket that woke is served by a goroutine of
// its own until it parks again.
type idle struct {
	epfd   int
	mu     sync.Mutex
	parked map[uint64]*socket // by socket.id, which the epoll data carries
}

var (
	idleOnce sync.Once
	idleSet  *idle
	idleErr  error
)

// idleSockets is the process's idle set, made on first use.
func idleSockets() (*idle, error) {
	idleOnce.Do(func() {
		fd, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
		if err != nil {
			idleErr = err
			return
		}
		idleSet = &idle{epfd: fd, parked: map[uint64]*socket{}}
		go idleSet.wait()
	})
	return idleSet, idleErr
}

// startIdleSet starts the idle set's goroutine, once per process, so that
// it exists before the first socket (it lives as long as the process).
func startIdleSet() { _, _ = idleSockets() }

// registerIdle adds s's connection to the idle set, disarmed; false when
// it cannot be parked (not a socket, or epoll failed): its reader then
// waits for data itself.
func registerIdle(s *socket) bool {
	return idleCtl(s, syscall.EPOLL_CTL_ADD, syscall.EPOLLONESHOT) == nil
}

// park leaves s waiting for its peer, with no goroutine: the idle set
// resumes s's reader when the peer sends something, closes or fails. False
// when s could not be parked; then the caller still owns s.
func park(s *socket) bool {
	p, _ := idleSockets()
	p.mu.Lock()
	p.parked[s.id] = s
	p.mu.Unlock()
	if idleCtl(s, syscall.EPOLL_CTL_MOD, syscall.EPOLLIN|syscall.EPOLLRDHUP|syscall.EPOLLONESHOT) != nil {
		// The connection closed meanwhile: whoever takes s out of the
		// set owns it (the caller, or unpark, which finishes it).
		return p.take(s.id) == nil
	}
	return true
}

// unpark takes s out of the idle set; true when it was parked (the caller
// owns it now: nothing will resume it).
func unpark(s *socket) bool {
	p, err := idleSockets()
	return err == nil && s.parkable && p.take(s.id) != nil
}

// take removes the socket parked under id, if any, and returns it.
func (p *idle) take(id uint64) *socket {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.parked[id]
	delete(p.parked, id)
	return s
}

// idleCtl changes s's registration. The descriptor is held open meanwhile
// (RawConn.Control): a connection that closed fails here, and its number
// cannot have gone to another connection yet.
func idleCtl(s *socket, op int, events uint32) error {
	p, err := idleSockets()
	if err != nil {
		return err
	}
	sc, ok := s.out.Conn.(syscall.Conn)
	if !ok {
		return errors.ErrUnsupported
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return err
	}
	ev := syscall.EpollEvent{Events: events, Fd: int32(uint32(s.id)), Pad: int32(uint32(s.id >> 32))}
	var ctlErr error
	if err := rc.Control(func(fd uintptr) { ctlErr = syscall.EpollCtl(p.epfd, op, int(fd), &ev) }); err != nil {
		return err
	}
	return ctlErr
}

// wait resumes each parked socket whose peer sent something. An event for
// a socket not parked (a hang-up reported while its reader runs) finds
// nothing to resume: its reader sees the hang-up itself.
func (p *idle) wait() {
	events := make([]syscall.EpollEvent, 256)
	for {
		n, err := syscall.EpollWait(p.epfd, events, -1)
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if err != nil {
			panic("websocket idle set: " + err.Error()) // nothing could wake a parked socket again
		}
		for _, ev := range events[:n] {
			if s := p.take(uint64(uint32(ev.Fd)) | uint64(uint32(ev.Pad))<<32); s != nil {
				go s.readUntilIdle(true)
			}
		}
	}
}
