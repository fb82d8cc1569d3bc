package auth

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"flexwork/ent/viewer"
	"flexwork/i18n"
)

// Authenticator turns bearer tokens into viewers.
type Authenticator struct {
	Tokens   *Tokens   // local access tokens
	Firebase *Firebase // Firebase ID tokens; nil unless FLEXWORK_AUTH=firebase
	Viewers  Viewers
	Log      *slog.Logger

	rechecks viewerBatch // recheck.go
}

// ErrInvalidToken means a token was presented but is not valid.
var ErrInvalidToken = errors.New("access token is invalid or expired")

// Viewer returns the viewer a bearer token stands for; no token means an
// anonymous request (nil, nil).
func (a *Authenticator) Viewer(ctx context.Context, token string) (*viewer.Viewer, error) {
	return a.viewer(ctx, token, false)
}

// viewer verifies token and reads its user's viewer: alone, or with other
// sockets' rechecks when batched (recheck.go).
func (a *Authenticator) viewer(ctx context.Context, token string, batched bool) (*viewer.Viewer, error) {
	if token == "" {
		return nil, nil
	}
	var (
		userID string
		err    error
	)
	if a.Firebase != nil {
		userID, err = a.Firebase.UserID(ctx, token)
	} else {
		userID, err = a.Tokens.Verify(token)
	}
	if err != nil {
		return nil, ErrInvalidToken
	}
	var v *viewer.Viewer
	if batched {
		v, err = a.rechecks.load(ctx, a.Viewers, userID)
	} else {
		v, err = a.Viewers.Load(ctx, userID)
	}
	if errors.Is(err, errNoUser) {
		return nil, ErrInvalidToken
	}
	return v, err
}

// BearerToken extracts the token of an "Authorization: Bearer …" value.
func BearerToken(header string) string {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// Middleware puts the request's viewer into its context. A request without
// a token goes on anonymously; one with a bad token is marked (BadToken), so
// that the GraphQL transport answers UNAUTHENTICATED in a GraphQL response
// the app reads and knows to refresh, rather than silently seeing less. A
// WebSocket handshake with a bad token is refused with 401 before the
// upgrade.
func (a *Authenticator) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := BearerToken(r.Header.Get("Authorization"))
		v, err := a.Viewer(r.Context(), token)
		switch {
		case errors.Is(err, ErrInvalidToken) && r.Header.Get("Upgrade") != "":
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"errors":[{"message":"access token is invalid or expired","extensions":{"code":"UNAUTHENTICATED"}}]}`))
			return
		case errors.Is(err, ErrInvalidToken):
			r = r.WithContext(context.WithValue(r.Context(), badTokenKey{}, true))
		case err != nil:
			a.Log.ErrorContext(r.Context(), "load viewer", "err", err)
			http.Error(w, `{"errors":[{"message":"internal server error","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}`, http.StatusServiceUnavailable)
			return
		case v != nil:
			ctx := viewer.NewContext(r.Context(), v)
			if _, asked := i18n.Asked(ctx); !asked && v.Locale != "" {
				// No Accept-Language: the user's own choice.
				ctx = i18n.WithLanguage(ctx, i18n.Match(v.Locale))
			}
			r = r.WithContext(ctx)
		}
		next.ServeHTTP(w, r)
	})
}

type badTokenKey struct{}

// BadToken reports whether the request carried an access token that is
// invalid or expired.
func BadToken(ctx context.Context) bool {
	bad, _ := ctx.Value(badTokenKey{}).(bool)
	return bad
}
