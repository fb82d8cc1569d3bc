package server

// hasData reports whether the peer has sent something that the socket has
// not read: bytes in its read buffer, or, once a close handshake has
// begun, anything (the library then reads the buffer itself). An idle
// socket waits for more in the idle set (park), or where there is none, in
// awaitReadable: a few calls deep, rather than inside the WebSocket
// library's read, which is deep enough that the runtime keeps an 8 KiB
// stack for it.
func (s *socket) hasData() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed != nil || s.in.Buffered() > 0
}
