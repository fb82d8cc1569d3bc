package entdb

import (
	"context"
	"fmt"

	"flexwork/ent"
)

// Client returns the client of the transaction ctx carries (a GraphQL
// mutation runs in one, opened by entgql.Transactioner), or root.
func Client(ctx context.Context, root *ent.Client) *ent.Client {
	if tx := ent.TxFromContext(ctx); tx != nil {
		return tx.Client()
	}
	return root
}

// InTx runs fn in a transaction: the one ctx already carries, or a new one
// that commits when fn succeeds and rolls back when it fails or panics. The
// context fn receives carries the transaction, so nested calls join it.
func InTx(ctx context.Context, root *ent.Client, fn func(ctx context.Context, c *ent.Client) error) (err error) {
	if tx := ent.TxFromContext(ctx); tx != nil {
		return fn(ctx, tx.Client())
	}
	txCtx, tx, err := root.OpenTx(ctx)
	if err != nil {
		return fmt.Errorf("entdb: begin: %w", err)
	}
	defer func() {
		if r := recover(); r != nil {
			_ = tx.Rollback()
			panic(r)
		}
	}()
	if err := fn(txCtx, ent.FromContext(txCtx)); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("entdb: commit: %w", err)
	}
	return nil
}
