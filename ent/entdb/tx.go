package entdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"

	"flexwork/ent"
)

// txHolder receives the database/sql transaction beneath an ent
// transaction as the counting driver begins it.
type txHolder struct{ tx *sql.Tx }

type holderKey struct{}

// OpenTx begins a transaction on root and returns a context carrying it —
// as ent's client and transaction, and as the *sql.Tx beneath them, which
// River needs to enqueue jobs in the same transaction.
func OpenTx(ctx context.Context, root *ent.Client) (context.Context, *ent.Tx, error) {
	h := &txHolder{}
	ctx = context.WithValue(ctx, holderKey{}, h)
	tx, err := root.Tx(ctx)
	if err != nil {
		return nil, nil, err
	}
	ctx = ent.NewTxContext(ctx, tx)
	ctx = ent.NewContext(ctx, tx.Client())
	return ctx, tx, nil
}

// SQLTx returns the database/sql transaction ctx runs in, or nil.
func SQLTx(ctx context.Context) *sql.Tx {
	if h, ok := ctx.Value(holderKey{}).(*txHolder); ok && ent.TxFromContext(ctx) != nil {
		return h.tx
	}
	return nil
}

// remember hands the *sql.Tx of a new ent transaction to the holder that
// OpenTx put in ctx.
func remember(ctx context.Context, tx driver.Tx) {
	if h, ok := ctx.Value(holderKey{}).(*txHolder); ok {
		if sqlTx, ok := tx.(*sql.Tx); ok {
			h.tx = sqlTx
		}
	}
}

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
	txCtx, tx, err := OpenTx(ctx, root)
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
