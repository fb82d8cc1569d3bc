// Package insurerfake is a stand-in for the insurer's enrolment API the
// insurer package calls, for tests: it keeps enrolments by reference (a
// repeated reference answers with the first policy) and cancels them.
package insurerfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
)

// Key is the API key the fake accepts.
const Key = "insurer-test-key"

// Policy is an enrolment the fake holds.
type Policy struct {
	Reference, PolicyNumber, Product, InsuredName string
	Cancelled                                     bool
}

// Server is a fake insurer.
type Server struct {
	*httptest.Server
	mu       sync.Mutex
	policies map[string]*Policy // by reference
	calls    int
}

// Start runs a fake insurer.
func Start() *Server {
	s := &Server{policies: map[string]*Policy{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Policies are the enrolments made, by reference.
func (s *Server) Policies() map[string]Policy {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]Policy{}
	for k, p := range s.policies {
		out[k] = *p
	}
	return out
}

// Calls is how many enrolments were asked for, repeats included.
func (s *Server) Calls() int { s.mu.Lock(); defer s.mu.Unlock(); return s.calls }

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+Key || r.Method != http.MethodPost {
		http.Error(w, `{"error":"unauthorized"}`, http.StatusUnauthorized)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case r.URL.Path == "/enrolments":
		var e struct{ Reference, Product, InsuredName string }
		if err := json.NewDecoder(r.Body).Decode(&e); err != nil || e.Reference == "" || e.Product == "" {
			http.Error(w, `{"error":"bad enrolment"}`, http.StatusBadRequest)
			return
		}
		s.calls++
		p, ok := s.policies[e.Reference]
		if !ok {
			p = &Policy{Reference: e.Reference, PolicyNumber: fmt.Sprintf("OIP-%06d", len(s.policies)+1), Product: e.Product, InsuredName: e.InsuredName}
			s.policies[e.Reference] = p
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"policyNumber": p.PolicyNumber, "insurer": "中国人民财产保险（试点）",
			"premium": map[string]any{"amount": 150, "currency": "CNY"}})
	case strings.HasPrefix(r.URL.Path, "/enrolments/") && strings.HasSuffix(r.URL.Path, "/cancel"):
		number := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/enrolments/"), "/cancel")
		for _, p := range s.policies {
			if p.PolicyNumber == number {
				p.Cancelled = true
				w.WriteHeader(http.StatusOK)
				return
			}
		}
		http.Error(w, `{"error":"no such policy"}`, http.StatusNotFound)
	default:
		http.NotFound(w, r)
	}
}
