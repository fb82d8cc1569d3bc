// Package fcmfake is a stand-in for Firebase Cloud Messaging's HTTP v1 API
// (POST /v1/projects/{project}/messages:send), for tests and load runs: the
// real Firebase Admin SDK talks to it over HTTP. It records every message and
// answers UNREGISTERED, 429 with Retry-After, or 503 for the tokens it is
// told to.
package fcmfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Server is a fake FCM endpoint.
type Server struct {
	*httptest.Server

	mu           sync.Mutex
	received     map[string]int // token → messages delivered
	titles       map[string][]string
	unregistered map[string]bool
	throttle     map[string]int // token → 429s still to answer
	unavailable  map[string]int // token → 503s still to answer
	retryAfter   time.Duration
	delay        time.Duration
	total        atomic.Int64
}

// Start runs a fake FCM server on a local port.
func Start() *Server {
	s := &Server{received: map[string]int{}, titles: map[string][]string{}, unregistered: map[string]bool{},
		throttle: map[string]int{}, unavailable: map[string]int{}, retryAfter: time.Second}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Endpoint is what to give option.WithEndpoint.
func (s *Server) Endpoint() string { return s.URL + "/v1" }

// Unregister makes the server answer UNREGISTERED for token from now on.
func (s *Server) Unregister(token string) {
	s.mu.Lock()
	s.unregistered[token] = true
	s.mu.Unlock()
}

// Throttle answers the next n messages to token with 429 and Retry-After.
func (s *Server) Throttle(token string, n int, retryAfter time.Duration) {
	s.mu.Lock()
	s.throttle[token], s.retryAfter = n, retryAfter
	s.mu.Unlock()
}

// Unavailable answers the next n messages to token with 503.
func (s *Server) Unavailable(token string, n int) {
	s.mu.Lock()
	s.unavailable[token] = n
	s.mu.Unlock()
}

// Delay makes every answer wait d (a slow FCM).
func (s *Server) Delay(d time.Duration) {
	s.mu.Lock()
	s.delay = d
	s.mu.Unlock()
}

// Received returns how many messages reached token.
func (s *Server) Received(token string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.received[token]
}

// Titles returns the titles of the messages that reached token.
func (s *Server) Titles(token string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.titles[token]...)
}

// Counts returns messages delivered per token.
func (s *Server) Counts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.received))
	for k, v := range s.received {
		out[k] = v
	}
	return out
}

// Total is the number of messages delivered.
func (s *Server) Total() int64 { return s.total.Load() }

type request struct {
	Message struct {
		Token        string `json:"token"`
		Notification struct {
			Title string `json:"title"`
		} `json:"notification"`
	} `json:"message"`
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || !strings.HasPrefix(r.URL.Path, "/v1/projects/") || !strings.HasSuffix(r.URL.Path, "/messages:send") {
		http.NotFound(w, r)
		return
	}
	var req request
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		fcmError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "INVALID_ARGUMENT", 0)
		return
	}
	token := req.Message.Token
	s.mu.Lock()
	delay := s.delay
	var (
		status     int
		grpc, code string
		retry      time.Duration
	)
	switch {
	case s.unregistered[token]:
		status, grpc, code = http.StatusNotFound, "NOT_FOUND", "UNREGISTERED"
	case s.throttle[token] > 0:
		s.throttle[token]--
		status, grpc, code, retry = http.StatusTooManyRequests, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED", s.retryAfter
	case s.unavailable[token] > 0:
		s.unavailable[token]--
		status, grpc, code = http.StatusServiceUnavailable, "UNAVAILABLE", "UNAVAILABLE"
	default:
		s.received[token]++
		s.titles[token] = append(s.titles[token], req.Message.Notification.Title)
	}
	s.mu.Unlock()
	if delay > 0 {
		time.Sleep(delay)
	}
	if status != 0 {
		fcmError(w, status, grpc, code, retry)
		return
	}
	n := s.total.Add(1)
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"name":"projects/fake/messages/%d"}`, n)
}

func fcmError(w http.ResponseWriter, status int, grpcStatus, code string, retryAfter time.Duration) {
	w.Header().Set("Content-Type", "application/json")
	if retryAfter > 0 {
		w.Header().Set("Retry-After", fmt.Sprint(int(retryAfter.Seconds())))
	}
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"error":{"code":%d,"message":"%s","status":"%s","details":[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"%s"}]}}`,
		status, code, grpcStatus, code)
}
