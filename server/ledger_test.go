package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/rule"
	"flexwork/ledger"
	"flexwork/ledger/witness"
	"flexwork/server/servertest"
)

// TestAWitnessCosignsAndCatchesARewrite: a witness (a union, say) fetches
// the published checkpoint, checks the log only grew since the last one it
// saw, and co-signs; the cosignature travels with a worker's receipt. When
// someone who can write the database rewrites an entry and re-signs the
// log, the witness's next run says so.
func TestAWitnessCosignsAndCatchesARewrite(t *testing.T) {
	wskey, wvkey, err := ledger.NewKey("witness.union.example", bytes.Repeat([]byte{5}, 32))
	if err != nil {
		t.Fatal(err)
	}
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env := servertest.Start(t, db, servertest.WithEnv(map[string]string{"FLEXWORK_WITNESS_KEYS": wvkey}))
		ctx, m := context.Background(), env.Server.Market
		olga := env.SignUp("olga@example.com", "Olga")
		emp := createEmployer(t, env, olga, "Spree Logistics")
		hire := func(email, name string) *chain {
			w := newWorker(t, env, email, name)
			c := newChain(t, env, olga, w, apply(env, w, postShift(t, env, olga, emp, nil)))
			c.hire()
			return c
		}
		ana := hire("ana@example.com", "Ana")
		if _, err := m.Checkpoint(ctx); err != nil {
			t.Fatal(err)
		}
		logKey := httpText(t, env, "/ledger/key")
		logV, err := note.NewVerifier(strings.TrimSpace(logKey))
		if err != nil {
			t.Fatal(err)
		}
		ws, _ := ledger.NewWitnessSigner(wskey)
		wv, _ := ledger.NewWitnessVerifier(wvkey)
		union := witness.Witness{BaseURL: env.HTTP.URL, Log: logV, Signer: ws, HTTP: env.HTTP.Client()}
		kept, err := union.Run(ctx, "")
		if err != nil {
			t.Fatalf("first run: %v", err)
		}

		// The log grows; the witness checks the growth and co-signs again.
		hire("ben@example.com", "Ben")
		if _, err := m.Checkpoint(ctx); err != nil {
			t.Fatal(err)
		}
		if kept, err = union.Run(ctx, kept); err != nil {
			t.Fatalf("after growth: %v", err)
		}

		// Ana's receipt carries the union's cosignature and verifies.
		var out struct {
			Node struct {
				Receipt struct{ JSON string }
			}
		}
		env.MustOp(ana.worker.Token, "ContractReceipt", map[string]any{"id": ana.contract}, &out)
		var r ledger.Receipt
		if err := json.Unmarshal([]byte(out.Node.Receipt.JSON), &r); err != nil {
			t.Fatal(err)
		}
		if _, err := r.Verify(logV); err != nil {
			t.Fatalf("Ana's receipt: %v", err)
		}
		_, n, err := ledger.Open(r.Checkpoint, logV, wv)
		if err != nil || len(n.Sigs) != 2 {
			t.Fatalf("the receipt's checkpoint is not co-signed by the union: %v", err)
		}
		// In the C2SP tlog-cosignature/v1 format: timestamped, and not a
		// plain note signature of the witness's Ed25519 key.
		if at, err := ledger.CosignedAt(n.Sigs[1]); err != nil || time.Since(at) > time.Minute || time.Until(at) > time.Minute {
			t.Fatalf("the union's cosignature says it was made at %v (%v)", at, err)
		}
		plain, _ := note.NewVerifier(wvkey)
		if _, n, err := ledger.Open(r.Checkpoint, logV, plain); err != nil || len(n.Sigs) != 1 {
			t.Fatalf("the union's cosignature verifies as a plain note signature, not as cosignature/v1 (%v)", err)
		}
		eve := env.SignUp("eve@example.com", "Eve")
		if r := env.Op(eve.Token, "ContractReceipt", map[string]any{"id": ana.contract}); r.Code() != "NOT_FOUND" {
			t.Fatalf("a stranger's receipt: %s", r.Code())
		}
		// The employer holds the proof of the hire too; a stranger does not.
		var hired struct {
			Node struct{ Receipts []struct{ Kind, JSON string } }
		}
		env.MustOp(olga.Token, "AssignmentReceipts", map[string]any{"id": ana.assignment}, &hired)
		if len(hired.Node.Receipts) != 1 || hired.Node.Receipts[0].Kind != "HIRE" {
			t.Fatalf("the employer's receipts of Ana's hire: %+v", hired.Node.Receipts)
		}
		var hr ledger.Receipt
		if err := json.Unmarshal([]byte(hired.Node.Receipts[0].JSON), &hr); err != nil {
			t.Fatal(err)
		}
		if _, err := hr.Verify(logV); err != nil || hr.Leaf.SubjectID != ana.assignment {
			t.Fatalf("the hire's receipt: %v (%s)", err, hr.Leaf.SubjectID)
		}
		if r := env.Op(eve.Token, "AssignmentReceipts", map[string]any{"id": ana.assignment}); r.Code() != "NOT_FOUND" {
			t.Fatalf("a stranger's receipts of Ana's hire: %s", r.Code())
		}

		// Sizes outside the log are refused, naming the argument.
		for _, c := range []struct {
			from, to int
			field    string
		}{{0, 1, "from"}, {2, 1, "to"}, {1, 1 << 30, "to"}} {
			r := env.Op(ana.worker.Token, "LedgerConsistency", map[string]any{"from": c.from, "to": c.to})
			if r.Code() != "BAD_USER_INPUT" || strings.Join(r.Fields(), ",") != c.field {
				t.Fatalf("ledgerConsistency(%d, %d): %s %v", c.from, c.to, r.Code(), r.Errors)
			}
		}

		// A cosignature by a key the server does not know is refused.
		strangerKey, _, _ := ledger.NewKey("witness.unknown.example", bytes.Repeat([]byte{6}, 32))
		ss, _ := ledger.NewWitnessSigner(strangerKey)
		forged, _ := ledger.Cosign(kept, logV, ss)
		resp, err := env.HTTP.Client().Post(env.HTTP.URL+"/ledger/cosignature", "text/plain", strings.NewReader(forged))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("an unknown witness's cosignature: %d, want 403", resp.StatusCode)
		}

		// The rewrite: an entry changed and re-hashed, the tree and
		// checkpoints rebuilt and signed with the log's own key.
		servertest.RewriteLedgerEntry(t, db, 3)
		sys := rule.System(ctx)
		if _, err := db.LedgerNode.Delete().Exec(sys); err != nil {
			t.Fatal(err)
		}
		if _, err := db.LedgerCheckpoint.Delete().Exec(sys); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Checkpoint(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := union.Run(ctx, kept); !errors.Is(err, witness.ErrRewritten) {
			t.Fatalf("the witness after a rewrite: %v, want ErrRewritten", err)
		}
	})
}

func httpText(t *testing.T, env *servertest.Env, path string) string {
	resp, err := env.HTTP.Client().Get(env.HTTP.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
	}
	return string(b)
}
