package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"flexwork/ent"
	"flexwork/ent/entdb"
	"flexwork/ent/idempotencykey"
	"flexwork/ent/rule"
	"flexwork/ent/viewer"
	"flexwork/market"
)

// transactions runs each mutation in one database transaction: committed
// when every root field succeeded, rolled back otherwise, so that a failed
// mutation leaves the database as it was. (entgql's Transactioner does the
// same; this one also keeps idempotency keys, which must decide in the
// same transaction.)
//
// A signed-in client may name a mutation with an idempotency key — the
// Idempotency-Key header, or extensions.idempotencyKey in the request (over
// WebSocket too). The first success is stored with the viewer, the key and
// a hash of the operation and its variables, in the mutation's own
// transaction; a retry within 24 hours gets that answer again, marked
// extensions.idempotency.replayed, without running anything; the same key
// with another request is refused (IDEMPOTENCY_KEY_REUSED). Two requests
// with one key at once: the second to commit finds the first's row, rolls
// its own work back and answers with the first's answer.
type transactions struct {
	db  *ent.Client
	log *slog.Logger
	now func() time.Time
}

func (transactions) ExtensionName() string                   { return "Transactions" }
func (transactions) Validate(graphql.ExecutableSchema) error { return nil }

func (t transactions) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	// A body that never parsed reaches the interceptors without an
	// operation; there is nothing to run.
	if !graphql.HasOperationContext(ctx) {
		return next(ctx)
	}
	oc := graphql.GetOperationContext(ctx)
	if oc.Operation == nil || oc.Operation.Operation != ast.Mutation || onlyAccountFields(oc.Operation) {
		return next(ctx)
	}
	key, err := idempotencyKey(ctx, oc)
	if err != nil {
		return errorResponse(err)
	}
	v := viewer.FromContext(ctx)
	if v == nil {
		key = "" // anonymous answers would be anyone's to replay
	}
	hash := requestHash(oc)
	if key != "" {
		if resp := t.replay(ctx, v.UserID, key, hash); resp != nil {
			return resp
		}
	}
	txCtx, tx, err := entdb.OpenTx(ctx, t.db)
	txCtx = context.WithValue(txCtx, statementsKey{}, new(sync.Mutex))
	if err != nil {
		t.log.ErrorContext(ctx, "begin transaction", "err", err)
		return errorResponse(errors.New("database unavailable"))
	}
	defer func() {
		if r := recover(); r != nil {
			_ = tx.Rollback()
			panic(r)
		}
	}()
	resp := next(txCtx)
	if len(resp.Errors) > 0 {
		_ = tx.Rollback()
		return &graphql.Response{Errors: resp.Errors}
	}
	if key != "" {
		data, _ := json.Marshal(resp.Data)
		err := tx.IdempotencyKey.Create().SetUserID(v.UserID).SetKey(key).SetOperation(oc.OperationName).
			SetRequestHash(hash).SetResponse(data).SetCreatedAt(t.now().UTC()).Exec(rule.System(txCtx))
		if err != nil {
			_ = tx.Rollback()
			if ent.IsConstraintError(err) {
				// A retry running alongside committed first: its answer holds.
				if resp := t.replay(ctx, v.UserID, key, hash); resp != nil {
					return resp
				}
			}
			t.log.ErrorContext(ctx, "store idempotency key", "err", err)
			return errorResponse(errors.New("could not record the idempotency key"))
		}
	}
	if err := tx.Commit(); err != nil {
		t.log.ErrorContext(ctx, "commit", "err", err)
		return errorResponse(errors.New("commit failed"))
	}
	return resp
}

type statementsKey struct{}

// oneStatementAtATime runs the field resolvers of a request that holds a
// transaction one after another. gqlgen resolves sibling fields in
// goroutines (a mutation's payload: its shift, its contract, its worker),
// and a transaction is one connection, which on PostgreSQL (pgx) serves one
// statement at a time: concurrent resolvers failed with "conn busy". ent
// reads every result in full inside the resolver, so holding a lock for
// the resolver's call holds it for its statements; the fields are still
// resolved, in turn.
//
// A field read from a struct runs no statement and takes no lock: the
// lookup of the lock walks every context the request was wrapped in, and a
// page of twenty shifts has some seven hundred such fields.
func oneStatementAtATime(ctx context.Context, next graphql.Resolver) (any, error) {
	if fc := graphql.GetFieldContext(ctx); fc != nil && !fc.IsResolver && !fc.IsMethod {
		return next(ctx)
	}
	mu, ok := ctx.Value(statementsKey{}).(*sync.Mutex)
	if !ok {
		return next(ctx)
	}
	mu.Lock()
	defer mu.Unlock()
	return next(ctx)
}

// replay answers a request whose key was used before, or nil when the key
// is new (or its answer older than the window).
func (t transactions) replay(ctx context.Context, userID, key, hash string) *graphql.Response {
	sys := rule.System(ctx)
	row, err := t.db.IdempotencyKey.Query().Where(idempotencykey.UserID(userID), idempotencykey.Key(key)).Only(sys)
	switch {
	case ent.IsNotFound(err):
		return nil
	case err != nil:
		t.log.ErrorContext(ctx, "read idempotency key", "err", err)
		return errorResponse(errors.New("could not read the idempotency key"))
	case t.now().Sub(row.CreatedAt) > market.IdempotencyWindow:
		// Expired: the key is free again.
		if err := t.db.IdempotencyKey.DeleteOneID(row.ID).Exec(sys); err != nil && !ent.IsNotFound(err) {
			t.log.ErrorContext(ctx, "expire idempotency key", "err", err)
		}
		return nil
	case row.RequestHash != hash:
		return errorResponse(&market.Error{Code: market.CodeIdempotencyKeyReused,
			Message: "this idempotency key was used for another request (" + row.Operation + "); use a new key for each change"})
	}
	return &graphql.Response{Data: row.Response, Extensions: map[string]any{"idempotency": map[string]any{"replayed": true}}}
}

// errorResponse is a response of one error that the presenter has not
// seen: internal ones are masked by maskUncoded.
func errorResponse(err error) *graphql.Response {
	var me *market.Error
	if errors.As(err, &me) {
		e := &gqlerror.Error{Message: me.Message, Extensions: map[string]any{"code": string(me.Code)}}
		for k, v := range me.Details {
			e.Extensions[k] = v
		}
		if len(me.Fields) > 0 {
			e.Extensions["fields"] = me.Fields
		}
		return &graphql.Response{Errors: gqlerror.List{e}}
	}
	return &graphql.Response{Errors: gqlerror.List{{Message: err.Error()}}}
}

// requestHash identifies what a mutation asks: its text, its name and its
// variables (encoding/json writes map keys in order).
func requestHash(oc *graphql.OperationContext) string {
	vars, _ := json.Marshal(oc.Variables)
	h := sha256.New()
	for _, part := range []string{oc.RawQuery, oc.OperationName, string(vars)} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

type idempotencyHeaderKey struct{}

// idempotencyHeader carries the Idempotency-Key header into the request's
// context.
func idempotencyHeader(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if k := r.Header.Get("Idempotency-Key"); k != "" {
			r = r.WithContext(context.WithValue(r.Context(), idempotencyHeaderKey{}, k))
		}
		next.ServeHTTP(w, r)
	})
}

// idempotencyKey is the request's key, from the header or the request's
// extensions; at most 128 printable ASCII characters.
func idempotencyKey(ctx context.Context, oc *graphql.OperationContext) (string, error) {
	key, _ := ctx.Value(idempotencyHeaderKey{}).(string)
	if k, ok := oc.Extensions["idempotencyKey"]; ok && key == "" {
		s, ok := k.(string)
		if !ok {
			return "", market.BadInput("extensions.idempotencyKey", "must be a string")
		}
		key = s
	}
	if len(key) > 128 {
		return "", market.BadInput("Idempotency-Key", "must have at most 128 characters")
	}
	for _, c := range []byte(key) {
		if c < 0x21 || c > 0x7e {
			return "", market.BadInput("Idempotency-Key", "must be printable ASCII without spaces, e.g. a UUID")
		}
	}
	return key, nil
}
