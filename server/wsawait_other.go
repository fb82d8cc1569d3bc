//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package server

import "net"

// awaitReadable returns at once here: the socket's reader waits in the
// WebSocket library's read, on a larger stack.
func awaitReadable(net.Conn) error { return nil }
