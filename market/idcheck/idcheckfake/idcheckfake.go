// Package idcheckfake is a stand-in for the identity-verification
// service idcheck calls, for tests: it knows the people it is told about
// and answers as the service does, and counts the checks it was asked.
package idcheckfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
)

// AppCode is the code the fake accepts.
const AppCode = "fake-appcode"

// Server is a fake identity service.
type Server struct {
	*httptest.Server
	mu     sync.Mutex
	people map[string]string // number → name
	asked  int
}

// Start runs a fake that knows nobody yet.
func Start() *Server {
	s := &Server{people: map[string]string{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Knows adds a person to the fake's register.
func (s *Server) Knows(name, number string) { s.mu.Lock(); s.people[number] = name; s.mu.Unlock() }

// Asked is how many checks the fake answered.
func (s *Server) Asked() int { s.mu.Lock(); defer s.mu.Unlock(); return s.asked }

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "APPCODE "+AppCode {
		http.Error(w, "Unauthorized", http.StatusUnauthorized)
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.asked++
	name, known := s.people[r.PostForm.Get("idcard")]
	order := fmt.Sprintf("ORD%06d", s.asked)
	s.mu.Unlock()
	result, msg := "1", "一致"
	switch {
	case !known:
		result, msg = "3", "无此身份证号码"
	case name != r.PostForm.Get("name"):
		result, msg = "2", "不一致"
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{"code": "0", "result": result, "orderNo": order, "message": msg})
}
