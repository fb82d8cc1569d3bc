package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/redis/go-redis/v9"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	mobileschema "flexwork/mobile-schema"
)

// Codes of trusted-documents refusals, as Apollo Router names them so app
// developers meet familiar ones.
const (
	codeIDRequired   = "PERSISTED_QUERY_ID_REQUIRED"
	codeNotInList    = "PERSISTED_QUERY_NOT_IN_LIST"
	codeHashMismatch = "PERSISTED_QUERY_HASH_MISMATCH"
)

// trustedDocuments runs the apps' operations by their manifest id. With
// enforce, nothing else runs: raw query text and unknown ids are refused,
// over HTTP and WebSocket alike (gqlgen mutates the parameters of both).
// Without, ids still resolve, and anything else falls through to automatic
// persisted queries.
type trustedDocuments struct {
	ops     map[string]mobileschema.Operation
	enforce bool
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = trustedDocuments{}

func (trustedDocuments) ExtensionName() string                   { return "TrustedDocuments" }
func (trustedDocuments) Validate(graphql.ExecutableSchema) error { return nil }

func (t trustedDocuments) MutateOperationParameters(_ context.Context, p *graphql.RawParams) *gqlerror.Error {
	id := persistedID(p.Extensions)
	if id == "" {
		if t.enforce {
			return refusal(codeIDRequired, "this server runs only the apps' operations: send the operation's id from "+
				"mobile-schema/persisted-queries.json as extensions.persistedQuery.sha256Hash (or documentId), not its text")
		}
		return nil
	}
	op, ok := t.ops[id]
	switch {
	case !ok && t.enforce:
		return refusal(codeNotInList, "no operation has this id; the app and the server disagree about mobile-schema/persisted-queries.json")
	case !ok:
		return nil // an automatic persisted query
	case p.Query != "" && hash(p.Query) != id:
		return refusal(codeHashMismatch, "the query text does not hash to the id sent with it")
	}
	p.Query = op.Body
	if p.OperationName == "" {
		p.OperationName = op.Name
	}
	delete(p.Extensions, "persistedQuery") // resolved: nothing for the APQ cache to do
	return nil
}

// trustedOperations are the operations that run in trusted-documents mode:
// the repo's manifest, and every manifest in dir (when set), each checked
// against the schema — a manifest with an operation the server cannot run
// stops the start, naming the file and the operation.
func trustedOperations(dir string, schema *ast.Schema) (map[string]mobileschema.Operation, error) {
	own, err := mobileschema.Embedded()
	if err != nil {
		return nil, err
	}
	manifests := []*mobileschema.Manifest{own}
	if dir != "" {
		more, err := mobileschema.LoadDir(dir)
		if err != nil {
			return nil, fmt.Errorf("PERSISTED_QUERY_MANIFESTS: %w", err)
		}
		manifests = append(manifests, more...)
	}
	ops := map[string]mobileschema.Operation{}
	for _, m := range manifests {
		if err := m.Check(schema); err != nil {
			return nil, fmt.Errorf("persisted query manifest does not fit the schema: %w", err)
		}
		maps.Copy(ops, m.ByID())
	}
	return ops, nil
}

func refusal(code, message string) *gqlerror.Error {
	return &gqlerror.Error{Message: message, Extensions: map[string]any{"code": code}}
}

func hash(query string) string {
	sum := sha256.Sum256([]byte(query))
	return hex.EncodeToString(sum[:])
}

// persistedID is the id in extensions.persistedQuery.sha256Hash.
func persistedID(ext map[string]any) string {
	pq, _ := ext["persistedQuery"].(map[string]any)
	id, _ := pq["sha256Hash"].(string)
	return id
}

// apqCache keeps automatic persisted queries in process and, with Redis,
// shares them between replicas: a query one replica learnt, every replica
// can run by hash. A Redis failure is a cache miss, never an error: the app
// then sends the text again.
type apqCache struct {
	local *lru.LRU[string]
	rdb   *redis.Client
}

const (
	apqPrefix = "flexwork:apq:"
	apqTTL    = 7 * 24 * time.Hour
)

func newAPQCache(redisURL string) (*apqCache, error) {
	c := &apqCache{local: lru.New[string](1000)}
	if redisURL != "" {
		opts, err := redis.ParseURL(redisURL)
		if err != nil {
			return nil, err
		}
		c.rdb = redis.NewClient(opts)
	}
	return c, nil
}

func (c *apqCache) Get(ctx context.Context, key string) (string, bool) {
	if q, ok := c.local.Get(ctx, key); ok {
		return q, true
	}
	if c.rdb == nil {
		return "", false
	}
	q, err := c.rdb.Get(ctx, apqPrefix+key).Result()
	if err != nil {
		return "", false
	}
	c.local.Add(ctx, key, q)
	return q, true
}

func (c *apqCache) Add(ctx context.Context, key, query string) {
	c.local.Add(ctx, key, query)
	if c.rdb != nil {
		_ = c.rdb.Set(ctx, apqPrefix+key, query, apqTTL).Err()
	}
}
