package server

// awaitData waits until the peer has sent something, without reading it.
// An idle socket's reader waits here, a few calls deep, rather than inside
// the WebSocket library's read, which is deep enough that the runtime
// keeps an 8 KiB stack for it: here it keeps 4 KiB, for each of tens of
// thousands of sockets. Bytes already in the socket's read buffer count as
// sent. Once a close handshake has begun the library reads the buffer
// itself, so awaitData leaves it alone and returns at once.
func (s *socket) awaitData() error {
	s.mu.Lock()
	ready := s.closed != nil || s.in.Buffered() > 0
	s.mu.Unlock()
	if ready {
		return nil
	}
	return awaitReadable(s.out.Conn)
}
