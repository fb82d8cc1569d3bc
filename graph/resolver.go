// Package graph is flexwork's GraphQL layer: the hand-written schema files in
// graph/schema (ent.graphql is generated from ent/schema), gqlgen's executor
// in graph/generated, and resolvers that are one call each into market,
// auth or ent. Rules do not live here.
package graph

import (
	"context"

	"flexwork/ent"
	"flexwork/ent/entdb"
	"flexwork/graph/generated"
	"flexwork/market"
	"flexwork/notifications"
	"flexwork/server/auth"
)

// Resolver holds what the resolvers call.
type Resolver struct {
	DB       *ent.Client
	Market   *market.Market
	Accounts *auth.Accounts
	Notifier *notifications.Service
}

// NewSchema returns the executable schema over r.
func NewSchema(r *Resolver) generated.Config {
	return generated.Config{Resolvers: r}
}

// client is the mutation's transactional client, or the root client for
// queries.
func (r *Resolver) client(ctx context.Context) *ent.Client { return entdb.Client(ctx, r.DB) }
