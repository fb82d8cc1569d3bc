package server

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/ast"

	"flexwork/ent"
	"flexwork/ent/viewer"
	mobileschema "flexwork/mobile-schema"
	"flexwork/server/auth"
	"flexwork/server/ratelimit"
)

// newGraphQL assembles the GraphQL handler piece by piece — no
// NewDefaultServer — so that every transport, cache and limit is a choice
// written down here.
func newGraphQL(cfg Config, es graphql.ExecutableSchema, db *ent.Client, authn *auth.Authenticator, m *metrics, log *slog.Logger,
	manifest *mobileschema.Manifest, apq graphql.Cache[string], limits ratelimit.Store, now func() time.Time) *handler.Server {
	srv := handler.New(pricedSchema{es})

	srv.AddTransport(transport.Websocket{
		Implementation: guardedWS{
			WebsocketImplementation: transport.CoderWebsocketImplementation{AcceptOptions: websocket.AcceptOptions{
				// Phones send no Origin and are accepted; browsers only from these hosts.
				OriginPatterns: cfg.AllowedOrigins,
			}},
			initTimeout: cfg.WSInitTimeout,
			max:         cfg.WSMaxSubscriptions,
		},
		// The guard closes late sockets with 4408 first; gqlgen's own timer is
		// the backstop.
		InitTimeout:      cfg.WSInitTimeout + 5*time.Second,
		PingPongInterval: cfg.WSPingInterval,
		InitFunc:         websocketInit(authn),
	})
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})

	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetErrorPresenter(presentError(log))
	srv.SetRecoverFunc(recoverPanic(log))

	// Interceptors run in the order added, the first outermost.
	srv.Use(maskUncoded{log: log})
	srv.AroundResponses(m.graphqlOutcomes)
	if cfg.Dev() {
		srv.Use(extension.Introspection{})
	} else {
		srv.SetDisableSuggestion(true) // "did you mean …" would leak the schema
	}
	srv.Use(trustedDocuments{ops: manifest.ByID(), enforce: cfg.EnforceTrustedDocuments()})
	srv.Use(extension.AutomaticPersistedQuery{Cache: apq})
	srv.Use(queryShape{maxDepth: cfg.MaxDepth, introspection: cfg.Dev()})
	srv.Use(extension.FixedComplexityLimit(cfg.MaxComplexity, costOptions...))
	srv.Use(mutationRate{store: limits, log: log})
	srv.Use(transactions{db: db, log: log, now: now})
	srv.AroundFields(oneStatementAtATime)
	return srv
}

// accountFields manage their own transactions: a reused refresh token must
// revoke its family even though the request fails.
var accountFields = map[string]bool{"signUp": true, "verifyEmail": true, "signIn": true, "refreshToken": true, "signOut": true}

// onlyAccountFields skips the request transaction when every root field of
// the mutation is an account field.
func onlyAccountFields(op *ast.OperationDefinition) bool {
	for _, sel := range op.SelectionSet {
		f, ok := sel.(*ast.Field)
		if !ok || !accountFields[f.Name] {
			return false
		}
	}
	return len(op.SelectionSet) > 0
}

// websocketInit authenticates a WebSocket from its connection_init payload:
// {"authorization": "Bearer <token>"} (or {"token": "<token>"}). A bad token
// closes the socket with 4403; no token makes an anonymous connection.
func websocketInit(authn *auth.Authenticator) transport.WebsocketInitFunc {
	return func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
		token := auth.BearerToken(p.Authorization())
		if token == "" {
			token = p.GetString("token")
		}
		v, err := authn.Viewer(ctx, token)
		if err != nil {
			ctx = transport.WithWebsocketCloseCode(ctx, 4403)
			ctx = transport.AppendCloseReason(ctx, "Forbidden")
			return ctx, nil, errors.New("access token is invalid or expired")
		}
		if v != nil {
			ctx = viewer.NewContext(ctx, v)
		}
		return ctx, nil, nil
	}
}
