package auth

import (
	"context"
	"net"
	"net/http"
	"strings"
)

type clientKey struct{}

type agentKey struct{}

// ClientAddress puts the address a request comes from into its context:
// the peer's, or — behind a proxy that says who its client was — the last
// address the proxy wrote into header (FLEXWORK_CLIENT_IP_HEADER, e.g.
// X-Forwarded-For; set it only behind such a proxy, since a client can
// write the header too). IPv6 clients are counted by their /64, the block
// one subscriber holds. The request's User-Agent goes in too: a session
// keeps it, so that the sessions list can say which device is which.
func ClientAddress(header string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			host = r.RemoteAddr
		}
		if header != "" {
			if v := r.Header.Values(header); len(v) > 0 {
				parts := strings.Split(v[len(v)-1], ",")
				host = strings.TrimSpace(parts[len(parts)-1])
			}
		}
		ctx := context.WithValue(r.Context(), clientKey{}, clientBlock(host))
		ctx = context.WithValue(ctx, agentKey{}, r.UserAgent())
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// clientBlock is an IPv4 address, or the /64 of an IPv6 one.
func clientBlock(host string) string {
	ip := net.ParseIP(host)
	switch {
	case ip == nil:
		return host
	case ip.To4() != nil:
		return ip.To4().String()
	}
	return (&net.IPNet{IP: ip.Mask(net.CIDRMask(64, 128)), Mask: net.CIDRMask(64, 128)}).String()
}

// Client is the address a request comes from ("" outside a request).
func Client(ctx context.Context) string {
	c, _ := ctx.Value(clientKey{}).(string)
	return c
}

// userAgent is the User-Agent of the request, cut to what a session keeps.
func userAgent(ctx context.Context) string {
	a, _ := ctx.Value(agentKey{}).(string)
	if r := []rune(a); len(r) > 200 {
		a = string(r[:200])
	}
	return a
}
