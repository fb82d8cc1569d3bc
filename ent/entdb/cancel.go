package entdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/stdlib"
)

// When a request's client goes away, its context is cancelled, perhaps
// while a statement is on the wire. pgx's default answer is to close the
// connection; database/sql then opens another, which costs PostgreSQL a
// fork, an authentication and every prepared statement again — for each
// request a client abandons, under load or on purpose. openPostgres keeps
// the connection instead:
//
//   - a statement already sent is given cancelGrace to finish, which the
//     feed's and the market's do in milliseconds; past it PostgreSQL is
//     asked to cancel it, which keeps the connection; only a server that
//     does not answer within cancelDeadline loses it. A statement not yet
//     sent is refused, as before.
//   - a transaction ends with ROLLBACK or COMMIT sent whatever the caller's
//     context: pgx kills the connection when it cannot send a ROLLBACK, and
//     a COMMIT cut off in flight leaves its outcome unknown to the caller.
//     database/sql still rolls back a transaction whose context is
//     cancelled, once its statement in flight has finished.
const (
	cancelGrace    = 250 * time.Millisecond
	cancelDeadline = 5 * time.Second
)

// openPostgres opens a pool on the PostgreSQL server named by rawURL.
func openPostgres(rawURL string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(rawURL)
	if err != nil {
		return nil, err
	}
	cfg.BuildContextWatcherHandler = FinishThenCancel
	return sql.OpenDB(txConnector{stdlib.GetConnector(*cfg)}), nil
}

// FinishThenCancel is what a pgx connection does when the context of its
// statement in flight is cancelled: let it finish for cancelGrace, then ask
// PostgreSQL to cancel it. It is pgconn.Config's BuildContextWatcherHandler
// for every pgx connection flexwork opens, through database/sql or not.
func FinishThenCancel(conn *pgconn.PgConn) ctxwatch.Handler {
	return &pgconn.CancelRequestContextWatcherHandler{
		Conn:               conn,
		CancelRequestDelay: cancelGrace,
		DeadlineDelay:      cancelDeadline,
	}
}

type txConnector struct{ driver.Connector }

func (c txConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return txEndsWhole{conn.(*stdlib.Conn)}, nil
}

// txEndsWhole is pgx's connection (every method and optional interface of
// it promoted) whose transactions end on a context that is never cancelled:
// stdlib's transaction sends its COMMIT and ROLLBACK with the context it
// began with. It is also a driver.Validator, which pgx's is not: without
// one, database/sql closes the connection of every transaction it rolls back
// for a cancelled context.
type txEndsWhole struct{ *stdlib.Conn }

// IsValid reports whether the connection may go back to the pool: open, and
// in no transaction.
func (c txEndsWhole) IsValid() bool {
	pg := c.Conn.Conn().PgConn()
	return !pg.IsClosed() && pg.TxStatus() == 'I'
}

func (c txEndsWhole) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return c.Conn.BeginTx(context.WithoutCancel(ctx), opts)
}
