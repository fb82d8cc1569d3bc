package servertest

import (
	"context"
	"testing"

	"flexwork/ent/entdb"
	"flexwork/ent/ledgerentry"
	"flexwork/ent/rule"
	"flexwork/market"
)

// RewriteLedgerEntry does what anyone with write access to the database
// could: it changes the actor of the entry at seq and re-hashes the entry,
// so that it still checks out on its own. Only the Merkle log, and whoever
// kept one of its checkpoints or receipts, can tell.
func RewriteLedgerEntry(t testing.TB, db *entdb.DB, seq int64) {
	t.Helper()
	ctx := context.Background()
	e, err := db.LedgerEntry.Query().Where(ledgerentry.Seq(seq)).Only(rule.System(ctx))
	if err != nil {
		t.Fatalf("ledger entry %d: %v", seq, err)
	}
	const actor = "usr_mallory"
	q := `UPDATE ledger_entries SET actor_id = ?, hash = ? WHERE seq = ?`
	if db.Dialect == "postgres" {
		q = `UPDATE ledger_entries SET actor_id = $1, hash = $2 WHERE seq = $3`
	}
	if _, err := db.SQL.ExecContext(ctx, q, actor, market.EntryHash(e.Kind, e.SubjectID, actor, e.Payload, e.CreatedAt), seq); err != nil {
		t.Fatal(err)
	}
}
