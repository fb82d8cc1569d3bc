package server

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"flexwork/ent/viewer"
	"flexwork/market"
	"flexwork/server/auth"
	"flexwork/server/ratelimit"
)

// maxPage is the most items one connection may return.
const maxPage = 100

// maxAliases is how often one field may be asked for side by side under
// different aliases: an app asks a field once or twice; a thousand copies
// of an expensive field are an attack on the server, whatever each costs.
const maxAliases = 10

// queryShape refuses operations that are nested too deeply or that ask a
// connection for too large a page (every connection takes `first`, 20 by
// default, at most 100), a field under too many aliases, or a cursor that
// does not decode — before anything runs. Introspection is not counted: GraphiQL's introspection query is
// deep by nature and reads no data. Without introspection (production),
// asking for __schema or __type is refused here, with a clear code, rather
// than failing inside the executor.
type queryShape struct {
	maxDepth      int
	introspection bool
	plans         *shapePlans // each document's walk, kept (limitsplan.go)
}

func (queryShape) ExtensionName() string                   { return "QueryShape" }
func (queryShape) Validate(graphql.ExecutableSchema) error { return nil }

func (q queryShape) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	plan := q.plans.of(oc.Operation, func() *shapePlan {
		w := shapeWalker{maxDepth: q.maxDepth, introspection: q.introspection, seen: map[string]bool{}, plan: &shapePlan{}}
		w.walk(oc.Operation.SelectionSet, 1)
		w.plan.err = w.err
		return w.plan
	})
	return plan.check(oc.Variables)
}

type shapeWalker struct {
	vars          map[string]any
	maxDepth      int
	introspection bool
	seen          map[string]bool // fragments on the current path
	err           *gqlerror.Error
	plan          *shapePlan // where the fields with page and cursor arguments go, in order
}

func (w *shapeWalker) walk(set ast.SelectionSet, depth int) {
	w.walkLevel(set, depth, map[string]map[string]bool{})
}

// walkLevel walks one selection set; fragments spread or inlined into it
// share its record of each field's response keys (the same field under the
// same key merges into one and is no extra work).
func (w *shapeWalker) walkLevel(set ast.SelectionSet, depth int, keys map[string]map[string]bool) {
	for _, sel := range set {
		if w.err != nil {
			return
		}
		switch s := sel.(type) {
		case *ast.Field:
			if (s.Name == "__schema" || s.Name == "__type") && !w.introspection {
				w.fail("GRAPHQL_VALIDATION_FAILED", s.Position, "introspection is disabled")
				return
			}
			if strings.HasPrefix(s.Name, "__") {
				continue
			}
			if depth > w.maxDepth {
				w.fail("DEPTH_LIMIT_EXCEEDED", s.Position, "the query nests deeper than %d levels", w.maxDepth)
				return
			}
			if keys[s.Name] == nil {
				keys[s.Name] = map[string]bool{}
			}
			if keys[s.Name][s.Alias] = true; len(keys[s.Name]) > maxAliases {
				w.fail("ALIAS_LIMIT_EXCEEDED", s.Position, "%s is asked for more than %d times side by side", s.Name, maxAliases)
				return
			}
			if takesPageOrCursor(s) {
				w.plan.checks = append(w.plan.checks, s)
			}
			w.walk(s.SelectionSet, depth+1)
		case *ast.InlineFragment:
			w.walkLevel(s.SelectionSet, depth, keys)
		case *ast.FragmentSpread:
			if s.Definition == nil || w.seen[s.Name] {
				continue
			}
			w.seen[s.Name] = true
			w.walkLevel(s.Definition.SelectionSet, depth, keys)
			delete(w.seen, s.Name)
		}
	}
}

// checkPage holds page sizes to 0…100.
func (w *shapeWalker) checkPage(f *ast.Field) {
	if f.Definition == nil || f.Definition.Arguments.ForName("first") == nil {
		return
	}
	if first, ok := pageArg(f.ArgumentMap(w.vars)["first"]); ok && (first < 0 || first > maxPage) {
		w.failInput(f, "first", "%s: `first` must be between 0 and %d", f.Alias, maxPage)
	}
}

// checkCursors refuses, before anything runs, a cursor argument that does
// not decode, on any field at any depth: entgql's field collection takes a
// nested connection's arguments as they come and would fail on it deep
// inside (generated code asserts the decoded type).
func (w *shapeWalker) checkCursors(f *ast.Field) {
	if f.Definition == nil {
		return
	}
	var args map[string]any
	for _, a := range f.Definition.Arguments {
		if a.Type.Name() != "Cursor" {
			continue
		}
		if args == nil {
			args = f.ArgumentMap(w.vars)
		}
		v, ok := args[a.Name]
		if !ok || v == nil {
			continue
		}
		var c entgql.Cursor[string]
		if err := c.UnmarshalGQL(v); err != nil || c.ID == "" {
			w.failInput(f, a.Name, "%s: `%s` is not a cursor this server gave out", f.Alias, a.Name)
			return
		}
	}
}

func pageArg(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case int:
		return int64(n), true
	case float64:
		return int64(n), true
	case json.Number: // variables are decoded with UseNumber
		i, err := n.Int64()
		return i, err == nil
	}
	return 0, false
}

func (w *shapeWalker) fail(code string, pos *ast.Position, format string, args ...any) {
	w.err = gqlerror.ErrorPosf(pos, format, args...)
	errcode.Set(w.err, code)
}

// failInput refuses an argument, named as the schema names it (the
// message says which field, by its alias, took it).
func (w *shapeWalker) failInput(f *ast.Field, arg, format string, args ...any) {
	w.fail("BAD_USER_INPUT", f.Position, format, args...)
	w.err.Extensions["fields"] = []map[string]string{{"field": arg, "message": w.err.Message}}
}

// limitBody refuses request bodies larger than max with 413 before gqlgen
// reads them; gqlgen itself reads whatever it is sent.
func limitBody(max int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > max {
			writeJSONError(w, http.StatusRequestEntityTooLarge, "BAD_USER_INPUT", "request body too large")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, max)
		next.ServeHTTP(w, r)
	})
}

func writeJSONError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`{"errors":[{"message":"` + message + `","extensions":{"code":"` + code + `"}}]}`))
}

// perUserMutations is how many mutations one user may send: 300 at once (a
// tablet posting a month of shifts), then 10 a second. A phone taps far
// fewer; a script that loops is slowed before it fills the database.
var perUserMutations = ratelimit.Limit{Rate: 600, Period: time.Minute, Burst: 300}

// mutationRate refuses a signed-in user's mutations beyond perUserMutations
// with RATE_LIMITED and the seconds to wait, counted across replicas when
// the store is Redis.
type mutationRate struct {
	store ratelimit.Store
	log   *slog.Logger
}

func (mutationRate) ExtensionName() string                   { return "MutationRate" }
func (mutationRate) Validate(graphql.ExecutableSchema) error { return nil }

func (m mutationRate) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	v := viewer.FromContext(ctx)
	if oc == nil || oc.Operation == nil || oc.Operation.Operation != ast.Mutation || v == nil {
		return next(ctx)
	}
	wait, err := m.store.Allow(ctx, "mutations:"+v.UserID, perUserMutations)
	if err != nil {
		m.log.WarnContext(ctx, "rate limit store", "err", err)
		return next(ctx)
	}
	if wait <= 0 {
		return next(ctx)
	}
	refused := auth.RateLimited(wait, "changes in a short time").(*market.Error)
	return func(ctx context.Context) *graphql.Response {
		e := gqlerror.Errorf("%s", refused.Message)
		e.Extensions = map[string]any{"code": string(refused.Code), "retryAfterSeconds": refused.Details["retryAfterSeconds"]}
		return &graphql.Response{Errors: gqlerror.List{e}}
	}
}
