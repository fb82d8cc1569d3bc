//go:build linux || darwin || freebsd || netbsd || openbsd

package server

import (
	"errors"
	"net"
	"syscall"
)

// awaitReadable waits in the runtime's network poller until c has data
// (or its peer closed, or it failed), consuming none of it: each wake-up
// peeks one byte without blocking, and waits again only when there is
// none. A connection that is not a socket returns at once.
func awaitReadable(c net.Conn) error {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return nil
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return nil
	}
	var b [1]byte
	return rc.Read(func(fd uintptr) bool {
		_, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		return !errors.Is(err, syscall.EAGAIN)
	})
}
