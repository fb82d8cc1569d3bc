package server

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus series, on a registry of their own so
// that two servers in one test process do not collide.
type metrics struct {
	registry   *prometheus.Registry
	requests   *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	operations *prometheus.CounterVec
	errors     *prometheus.CounterVec
}

func newMetrics(db *sql.DB, subscribers func() int, statements func() int64) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "flexwork_http_requests_total", Help: "HTTP requests by route and status code.",
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "flexwork_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route"}),
		operations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "flexwork_graphql_operations_total", Help: "GraphQL operations by type and outcome.",
		}, []string{"type", "outcome"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "flexwork_graphql_errors_total", Help: "GraphQL errors by extensions.code.",
		}, []string{"code"}),
	}
	m.registry.MustRegister(m.requests, m.latency, m.operations, m.errors,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(db, "flexwork"),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "flexwork_live_subscriptions", Help: "GraphQL subscriptions open on this replica.",
		}, func() float64 { return float64(subscribers()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "flexwork_sql_statements_total", Help: "SQL statements sent to the database.",
		}, func() float64 { return float64(statements()) }))
	return m
}

// publicMetrics is /metrics on the public listener: behind the bearer token
// when one is set; open in dev; otherwise not there at all (404), since
// metrics name routes, error codes and load that strangers have no use for.
func publicMetrics(cfg Config, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case cfg.MetricsToken != "":
			got := []byte(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
			if subtle.ConstantTimeCompare(got, []byte(cfg.MetricsToken)) != 1 {
				w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
				http.Error(w, "unauthorized", http.StatusUnauthorized)
				return
			}
		case !cfg.Dev():
			http.NotFound(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// instrument counts and times the requests of one route.
func (m *metrics) instrument(route string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		m.requests.WithLabelValues(route, strconv.Itoa(rec.status)).Inc()
		m.latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}

// graphqlOutcomes counts operations and their error codes.
func (m *metrics) graphqlOutcomes(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	typ := "unknown"
	// A request that never parsed has no operation context.
	if graphql.HasOperationContext(ctx) {
		if oc := graphql.GetOperationContext(ctx); oc.Operation != nil {
			typ = string(oc.Operation.Operation)
		}
	}
	outcome := "ok"
	if resp != nil && len(resp.Errors) > 0 {
		outcome = "error"
		for _, e := range resp.Errors {
			code, _ := e.Extensions["code"].(string)
			m.errors.WithLabelValues(code).Inc()
		}
	}
	m.operations.WithLabelValues(typ, outcome).Inc()
	return resp
}

// statusRecorder remembers the status code a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController (and the WebSocket upgrade) reach the
// underlying writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
