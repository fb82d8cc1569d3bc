package servertest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"

	"flexwork/ent/migrate"
)

// Fingerprint hashes every row of every table but sessions (signing in is
// not a change to the marketplace) and the ledger's sequencer's work (it
// places and checkpoints earlier entries whenever it runs), so a test can
// prove that a refused mutation wrote nothing.
func (e *Env) Fingerprint(t testing.TB) string {
	t.Helper()
	h := sha256.New()
	for _, table := range migrate.Tables {
		switch table.Name {
		case "sessions", "ledger_checkpoints", "ledger_nodes":
			continue
		}
		rows, err := e.DB.SQL.Query(fmt.Sprintf(`SELECT * FROM %q ORDER BY 1`, table.Name))
		if err != nil {
			t.Fatalf("fingerprint %s: %v", table.Name, err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, c := range cols {
				if table.Name == "ledger_entries" && c == "seq" {
					continue
				}
				fmt.Fprintf(h, "%s.%s:%v ", table.Name, c, vals[i])
			}
			fmt.Fprintln(h)
		}
		rows.Close()
	}
	return hex.EncodeToString(h.Sum(nil))
}
