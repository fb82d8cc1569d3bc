package server

import (
	"context"
	"log/slog"
	"reflect"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"flexwork/ent"
	mobileschema "flexwork/mobile-schema"
	"flexwork/server/auth"
	"flexwork/server/ratelimit"
)

// newGraphQL assembles the GraphQL handler piece by piece — no
// NewDefaultServer — so that every transport, cache and limit is a choice
// written down here.
func newGraphQL(cfg Config, es graphql.ExecutableSchema, db *ent.Client, authn *auth.Authenticator, m *metrics, log *slog.Logger,
	trusted map[string]mobileschema.Operation, apq graphql.Cache[string], limits ratelimit.Store, now func() time.Time) *handler.Server {
	srv := handler.New(pricedSchema{es})

	startIdleSet() // before the first socket: its goroutine lives as long as the process
	srv.AddTransport(wsTransport{authn: authn, origins: cfg.AllowedOrigins, initTimeout: cfg.WSInitTimeout,
		pingInterval: cfg.WSPingInterval, recheck: cfg.WSRecheckInterval, maxSubscriptions: cfg.WSMaxSubscriptions,
		perUser: newSocketsPerUser(cfg.WSMaxSocketsPerUser), log: log})
	srv.AddTransport(transport.Options{})
	srv.AddTransport(httpTransport{})

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
	srv.Use(trustedDocuments{ops: trusted, enforce: cfg.EnforceTrustedDocuments()})
	srv.Use(extension.AutomaticPersistedQuery{Cache: apq})
	srv.Use(queryShape{maxDepth: cfg.MaxDepth, introspection: cfg.Dev(), plans: &shapePlans{}})
	srv.Use(extension.FixedComplexityLimit(cfg.MaxComplexity, costOptions...))
	srv.Use(mutationRate{store: limits, log: log})
	srv.Use(transactions{db: db, log: log, now: now})
	// Field middleware sees every field but the plain reads of non-null
	// scalars, which the executor marshals directly (graph/serial/rewrite):
	// aroundField passes such fields through unchanged; a rule added to it
	// must too, or that rewrite must leave its fields alone.
	srv.AroundFields(aroundField)
	return srv
}

// aroundField is the server's field middleware: one statement at a time,
// then what the schema promises of empty values. One interceptor, not
// two: gqlgen wraps each resolved field in a new closure per interceptor.
func aroundField(ctx context.Context, next graphql.Resolver) (any, error) {
	res, err := oneStatementAtATime(ctx, next)
	return emptiness(ctx, res, err)
}

// The limits' and trusted documents' refusals are request errors: the
// operation never ran (a 4xx under application/graphql-response+json).
func init() {
	for _, code := range []string{"DEPTH_LIMIT_EXCEEDED", "ALIAS_LIMIT_EXCEEDED", codeIDRequired, codeNotInList, codeHashMismatch} {
		errcode.RegisterErrorType(code, errcode.KindProtocol)
	}
}

// accountFields manage their own transactions: a reused refresh token must
// revoke its family even though the request fails.
var accountFields = map[string]bool{"signUp": true, "verifyEmail": true, "signIn": true, "refreshToken": true, "signOut": true,
	"requestPasswordReset": true, "resetPassword": true, "changePassword": true, "signOutEverywhere": true}

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

// emptiness makes a resolved value what the schema promises of empty
// values: null for "" in a nullable String (the database keeps optional
// text as "", the API says "not given" with null: gqlschema.OptionalText),
// and [] for a nil slice in a non-null list (gqlschema.NonNullLists).
func emptiness(ctx context.Context, res any, err error) (any, error) {
	if err != nil || res == nil {
		return res, err
	}
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Definition == nil {
		return res, nil
	}
	t := fc.Field.Definition.Type
	switch v := res.(type) {
	case string:
		if v == "" && t.NamedType == "String" && !t.NonNull {
			return nil, nil
		}
	default:
		if t.Elem != nil && t.NonNull {
			if rv := reflect.ValueOf(res); rv.Kind() == reflect.Slice && rv.IsNil() {
				return reflect.MakeSlice(rv.Type(), 0, 0).Interface(), nil
			}
		}
	}
	return res, nil
}
