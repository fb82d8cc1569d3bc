//go:build !linux

package server

// Elsewhere than on Linux an idle socket's reader waits for data itself
// (awaitReadable): no socket is parked.

func startIdleSet()               {}
func registerIdle(s *socket) bool { return false }
func park(s *socket) bool         { return false }
func unpark(s *socket) bool       { return false }
