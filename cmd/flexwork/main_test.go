package main

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"flexwork/ent"
	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/ledgerentry"
	"flexwork/ent/rule"
	"flexwork/ent/staffaction"
	"flexwork/ent/user"
	"flexwork/market"
	"flexwork/money"
	"flexwork/server"
	"flexwork/server/servertest"
)

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestMigrateThenServe is what an operator does on a new PostgreSQL: serve
// refuses the empty database, migrate brings it up to date, serve starts and
// answers, and stops cleanly on a signal.
func TestMigrateThenServe(t *testing.T) {
	dbURL := entdbtest.NewPostgresDatabase(t)
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	addr := freeAddr(t)
	flags := []string{"--database_url=" + dbURL, "--flexwork_addr=" + addr, "--flexwork_data_dir=" + t.TempDir()}
	ctx := context.Background()

	err := run(ctx, append([]string{"serve"}, flags...), log)
	if err == nil || !strings.Contains(err.Error(), "flexwork migrate") {
		t.Fatalf("serve on an empty database: err = %v, want a hint to migrate", err)
	}
	if err := run(ctx, append([]string{"migrate"}, flags...), log); err != nil {
		t.Fatalf("migrate: %v", err)
	}

	serveCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- run(serveCtx, append([]string{"serve", "--demo"}, flags...), log) }()
	var status int
	// Seeding the demo's two cities comes first; under -race on a busy
	// two-core machine that takes tens of seconds.
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			status = resp.StatusCode
			resp.Body.Close()
			break
		}
	}
	if status != http.StatusOK {
		stop()
		t.Fatalf("/readyz = %d, want 200 (serve error: %v)", status, <-done)
	}
	resp, err := http.Post("http://"+addr+"/graphql", "application/json",
		strings.NewReader(`{"query":"{ skills(first: 1) { totalCount } }"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `"totalCount":60`) {
		t.Fatalf("skills on the migrated database: %s", body)
	}
	// The demo city is there: a demo worker signs in and sees shifts.
	resp, err = http.Post("http://"+addr+"/graphql", "application/json",
		strings.NewReader(`{"query":"mutation { signIn(input: {email: \"worker1@demo.flexwork\", password: \"flexwork-demo\"}) { accessToken } }"}`))
	if err != nil {
		t.Fatal(err)
	}
	var signIn struct {
		Data struct{ SignIn struct{ AccessToken string } }
	}
	_ = json.NewDecoder(resp.Body).Decode(&signIn)
	resp.Body.Close()
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/graphql", strings.NewReader(`{"query":"{ shifts(first: 1) { totalCount } }"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+signIn.Data.SignIn.AccessToken)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var shifts struct {
		Data struct{ Shifts struct{ TotalCount int } }
	}
	_ = json.NewDecoder(resp.Body).Decode(&shifts)
	resp.Body.Close()
	if shifts.Data.Shifts.TotalCount < 30 {
		t.Fatalf("the demo city has %d shifts, want dozens", shifts.Data.Shifts.TotalCount)
	}
	// worker1, whom the README suggests, may take every shift that needs no
	// certificate, and the feed says why not of the others.
	req, _ = http.NewRequest(http.MethodPost, "http://"+addr+"/graphql", strings.NewReader(
		`{"query":"{ shiftFeed(near: {lat: 52.5219, lng: 13.4132}, radiusKm: 15, first: 100) { edges { eligibility { eligible failedRules { rule } } } } }"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+signIn.Data.SignIn.AccessToken)
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	var feed struct {
		Data struct {
			ShiftFeed struct {
				Edges []struct {
					Eligibility struct {
						Eligible    bool
						FailedRules []struct{ Rule string }
					}
				}
			}
		}
	}
	_ = json.NewDecoder(resp.Body).Decode(&feed)
	resp.Body.Close()
	eligible := 0
	for _, e := range feed.Data.ShiftFeed.Edges {
		if e.Eligibility.Eligible {
			eligible++
		}
		for _, r := range e.Eligibility.FailedRules {
			if r.Rule != "REQUIRED_CERTIFICATES" && r.Rule != "NO_OVERLAP" { // the demo hires worker1 too
				t.Fatalf("worker1 fails %s on a demo shift", r.Rule)
			}
		}
	}
	if n := len(feed.Data.ShiftFeed.Edges); n < 30 || eligible < n/2 {
		t.Fatalf("worker1 may take %d of %d shifts in the feed", eligible, n)
	}
	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve after shutdown: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not shut down")
	}
}

// TestAdminCreate makes a staff account on the embedded default, which then
// signs in like anyone else and is staff.
func TestAdminCreate(t *testing.T) {
	dir := t.TempDir()
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	ctx := context.Background()
	if err := run(ctx, []string{"admin", "create", "--email", "staff@example.com", "--password", "orchid lantern 1",
		"--name", "Sam Staff", "--flexwork_data_dir=" + dir}, log); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"admin", "create", "--email", "staff@example.com", "--password", "orchid lantern 1",
		"--flexwork_data_dir=" + dir}, log); err == nil {
		t.Fatal("a second account with the same email was created")
	}
	db, err := entdb.Open(ctx, entdb.SQLiteURL(filepath.Join(dir, "flexwork.db")))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, err := db.User.Query().Where(user.Email("staff@example.com")).Only(rule.System(ctx))
	if err != nil || !u.IsStaff || u.DisplayName != "Sam Staff" {
		t.Fatalf("staff account = %+v, %v", u, err)
	}
	if n := db.StaffAction.Query().Where(staffaction.SubjectID(u.ID), staffaction.ActionEQ(staffaction.ActionSTAFF_GRANTED)).CountX(rule.System(ctx)); n != 1 {
		t.Fatalf("%d audit entries of the grant, want 1", n)
	}
}

// TestLedgerVerify runs the command on the demo city's database, then on
// the same database after an entry was changed behind the ledger's back.
func TestLedgerVerify(t *testing.T) {
	dir := t.TempDir()
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	ctx := context.Background()
	flags := []string{"--flexwork_data_dir=" + dir}
	if err := run(ctx, append([]string{"seed", "--demo"}, flags...), log); err != nil {
		t.Fatal(err)
	}
	db, err := entdb.Open(ctx, entdb.SQLiteURL(filepath.Join(dir, "flexwork.db")))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// The demo city's hires and signatures are in the ledger.
	if n, err := market.New(db).VerifyLedger(ctx); err != nil || n < 6 {
		t.Fatalf("the demo ledger has %d entries (%v); want its hires and signatures", n, err)
	}
	if err := run(ctx, append([]string{"ledger", "verify"}, flags...), log); err != nil {
		t.Fatalf("a sound ledger: %v", err)
	}
	if _, err := db.SQL.ExecContext(ctx, `UPDATE ledger_entries SET actor_id = 'usr_mallory' WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	err = run(ctx, append([]string{"ledger", "verify"}, flags...), log)
	if err == nil || !strings.Contains(err.Error(), "ledger entry 2") {
		t.Fatalf("a tampered ledger: %v, want entry 2 named", err)
	}
}

// TestSchemaManifests: an app's CI checks its manifest before it ships; one
// that asks for what the schema lacks is named.
func TestSchemaManifests(t *testing.T) {
	dir := t.TempDir()
	own, err := os.ReadFile("../../mobile-schema/persisted-queries.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "worker-2.4.0.json"), own, 0o644); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	if err := run(context.Background(), []string{"schema", "manifests", dir}, log); err != nil {
		t.Fatalf("the repo's own manifest: %v", err)
	}
	body := "query Old { viewer { nickname } }"
	sum := sha256.Sum256([]byte(body))
	bad := fmt.Sprintf(`{"%x":{"name":"Old","source":%q}}`, sum, body)
	if err := os.WriteFile(filepath.Join(dir, "ios-1.0.json"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"schema", "manifests", dir}, log); err == nil ||
		!strings.Contains(err.Error(), "ios-1.0.json: Old") || !strings.Contains(err.Error(), "nickname") {
		t.Fatalf("a manifest asking for a field the schema lacks: %v", err)
	}
}

// TestTheLogCatchesARewrittenEntry: someone who can write the database edits
// an entry and re-hashes it, so the entry checks out on its own; the signed
// checkpoints do not, and a receipt kept from before still verifies on its
// own with the public key alone.
func TestTheLogCatchesARewrittenEntry(t *testing.T) {
	dir := t.TempDir()
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	ctx := context.Background()
	flags := []string{"--flexwork_data_dir=" + dir}
	if err := run(ctx, append([]string{"seed", "--demo"}, flags...), log); err != nil {
		t.Fatal(err)
	}
	db, err := entdb.Open(ctx, entdb.SQLiteURL(filepath.Join(dir, "flexwork.db")))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	key, err := server.LedgerLog(server.Config{DataDir: dir}, log)
	if err != nil {
		t.Fatal(err)
	}
	m := market.New(db, market.WithLog(key))
	if _, err := m.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, append([]string{"ledger", "verify"}, flags...), log); err != nil {
		t.Fatalf("a sound log: %v", err)
	}

	// A worker's receipt for a signed contract, kept in a file.
	sys := rule.System(ctx)
	signed := db.LedgerEntry.Query().Where(ledgerentry.Kind(market.LedgerContractSigned)).FirstX(sys)
	r, err := m.ContractReceipt(sys, signed.SubjectID)
	if err != nil || r == nil {
		t.Fatalf("receipt: %v %v", r, err)
	}
	file := filepath.Join(dir, "receipt.json")
	b, _ := json.Marshal(r)
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"ledger", "verify-receipt", file, "--key", key.PublicKey}, log); err != nil {
		t.Fatalf("verify-receipt: %v", err)
	}
	r.Leaf.SubjectID = "ctr_forged"
	b, _ = json.Marshal(r)
	_ = os.WriteFile(file+".forged", b, 0o600)
	if err := run(ctx, []string{"ledger", "verify-receipt", file + ".forged", "--key", key.PublicKey}, log); err == nil {
		t.Fatal("a receipt naming another contract verifies")
	}

	// The rewrite: entry 3's actor changed and its hash re-made.
	servertest.RewriteLedgerEntry(t, db, 3)
	if n, err := m.VerifyLedger(ctx); err != nil {
		t.Fatalf("the rewritten entry should check out on its own (%d): %v", n, err)
	}
	err = run(ctx, append([]string{"ledger", "verify"}, flags...), log)
	if err == nil || !strings.Contains(err.Error(), "entry 3") {
		t.Fatalf("a rewritten chain: %v, want entry 3 named by the log", err)
	}
	// Even with the stored leaves rewritten too, the signed checkpoint's
	// root no longer matches the entries.
	if _, err := db.SQL.ExecContext(ctx, `DELETE FROM ledger_nodes`); err != nil {
		t.Fatal(err)
	}
	if _, err := m.VerifyLog(ctx); err == nil || !strings.Contains(err.Error(), "another root") {
		t.Fatalf("a rewritten chain without its leaves: %v", err)
	}
}

// TestMoneyVerify runs the command on a database with a funding and a
// reservation, then after a stored balance was raised behind the books.
func TestMoneyVerify(t *testing.T) {
	dir := t.TempDir()
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	ctx := context.Background()
	flags := []string{"--flexwork_data_dir=" + dir}
	if err := run(ctx, append([]string{"migrate"}, flags...), log); err != nil {
		t.Fatal(err)
	}
	db, err := entdb.Open(ctx, entdb.SQLiteURL(filepath.Join(dir, "flexwork.db")))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	funds := money.Account{Kind: money.EmployerFunds, Owner: "emp_a", Currency: "EUR"}
	for _, tx := range []money.Transaction{
		{Key: "fund-1", Kind: "FUNDING", Currency: "EUR", Postings: []money.Posting{
			{Account: money.Account{Kind: money.Bank, Currency: "EUR"}, Amount: -10000}, {Account: funds, Amount: 10000}}},
		{Key: "reserve-1", Kind: "RESERVE", Currency: "EUR", Postings: []money.Posting{
			{Account: funds, Amount: -6000}, {Account: money.Account{Kind: money.Escrow, Owner: "asg_1", Currency: "EUR"}, Amount: 6000}}},
	} {
		if err := entdb.InTx(ctx, db.Client, func(ctx context.Context, c *ent.Client) error {
			_, _, err := money.Post(ctx, c, tx)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	if err := run(ctx, append([]string{"money", "verify"}, flags...), log); err != nil {
		t.Fatalf("sound books: %v", err)
	}
	if _, err := db.SQL.ExecContext(ctx, `UPDATE money_accounts SET balance = balance + 100000 WHERE kind = 'EMPLOYER_FUNDS'`); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, append([]string{"money", "verify"}, flags...), log); err == nil || !strings.Contains(err.Error(), "wrong in 1 place") {
		t.Fatalf("a raised balance: %v", err)
	}
}
