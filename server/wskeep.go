package server

import (
	"errors"
	"maps"
	"time"

	"flexwork/server/auth"
)

// The keeper holds the socket to three promises: a peer that has not sent
// connection_init within the init timeout is closed with 4408; a peer is
// pinged with the protocol's own ping message, which every
// graphql-transport-ws client answers with a pong (graphql-ws, and Apollo's
// iOS and Kotlin clients, do so on their own), and one that has sent
// nothing for two intervals is dropped; and the socket's authority is
// checked again, so that a token that expired, an account disabled or an
// account whose memberships or staff role changed closes the socket with
// 4403, and the app reconnects and is served by what it is now.
//
// All three fall due on one timer, not on a goroutine of the socket's: an
// idle socket holds no stack for them and one timer, not three (a node
// serves tens of thousands of sockets). The ping is the protocol's, not a
// WebSocket ping, because its pong is a message: the WebSocket library
// returns it, and the socket goes back to the idle set (or its reader to
// awaitReadable, where its stack is small), instead of the reader staying
// in the library's read, where a control frame leaves it.

// startKeeper sets the three deadlines and the timer for the first.
func (s *socket) startKeeper() {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.initBy, s.pingAt, s.checkAt = now.Add(s.t.initTimeout), now.Add(s.t.pingInterval), now.Add(s.t.recheck)
	s.keeper = time.AfterFunc(s.nextDue(now), s.keep) // keep waits for s.mu: s.keeper is set first
}

// nextDue is how long until the earliest deadline; s.mu is held.
func (s *socket) nextDue(now time.Time) time.Duration {
	due := s.pingAt
	if s.checkAt.Before(due) {
		due = s.checkAt
	}
	if !s.inited && s.initBy.Before(due) {
		due = s.initBy
	}
	return max(0, due.Sub(now))
}

// keep does what has fallen due and sets the timer for what is next,
// unless the socket ended.
func (s *socket) keep() {
	if s.ctx.Err() != nil {
		return
	}
	now := time.Now()
	s.mu.Lock()
	late := !s.inited && !now.Before(s.initBy)
	pingDue, checkDue := !now.Before(s.pingAt), !now.Before(s.checkAt)
	if pingDue {
		s.pingAt = now.Add(s.t.pingInterval)
	}
	if checkDue {
		s.checkAt = now.Add(s.t.recheck)
	}
	s.mu.Unlock()
	if late {
		s.close(closeInitTimeout, "Connection initialisation timeout")
		return
	}
	if pingDue && !s.ping() {
		return
	}
	if checkDue && !s.recheckAuthority() {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.keeperStopped {
		s.keeper.Reset(s.nextDue(time.Now()))
	}
}

// ping drops a peer silent through the last two pings and pings the
// others; false when the socket ended.
func (s *socket) ping() bool {
	if time.Since(time.Unix(0, s.heard.Load())) > 2*s.t.pingInterval {
		s.end()
		return false
	}
	s.mu.Lock()
	acked := s.acked // before the ack, connection_init's deadline watches the peer
	s.mu.Unlock()
	return !acked || s.write(outgoing{Type: "ping"})
}

// recheckAuthority closes a socket whose viewer is no longer who it was;
// false when it did.
func (s *socket) recheckAuthority() bool {
	s.mu.Lock()
	token, v := s.token, s.viewer
	s.mu.Unlock()
	if v == nil {
		return true
	}
	now, err := s.t.authn.Recheck(s.ctx, token)
	switch {
	case errors.Is(err, auth.ErrInvalidToken):
		return s.close(closeForbidden, "Forbidden: the access token expired or the account was disabled")
	case err != nil: // the database is away: keep serving what was allowed
	case now.Staff != v.Staff || now.WorkerID != v.WorkerID || !maps.Equal(now.Roles, v.Roles):
		return s.close(closeForbidden, "Forbidden: the account changed; reconnect")
	}
	return true
}

// stopKeeper stops the timer for good: a keep already running does not
// set it again.
func (s *socket) stopKeeper() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keeperStopped = true
	s.keeper.Stop()
}
