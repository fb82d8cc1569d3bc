package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"golang.org/x/mod/sumdb/note"

	"flexwork/ent/entdb"
	"flexwork/ent/rule"
	"flexwork/ent/user"
	flexledger "flexwork/ledger"
	"flexwork/market"
	"flexwork/money"
	"flexwork/server"
	"flexwork/server/auth"
	"flexwork/server/demo"
)

func migrate(ctx context.Context, args []string, log *slog.Logger) error {
	cfg, _, err := command("migrate", args, nil)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, cfg, true, log)
	if err != nil {
		return err
	}
	defer db.Close()
	log.Info("migrations applied")
	return nil
}

func migrateDiff(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("migrate diff", flag.ContinueOnError)
	devURL := fs.String("dev-url", os.Getenv("DEV_DATABASE_URL"), "an empty PostgreSQL database to replay the migrations on")
	dir := fs.String("dir", "ent/migrate/migrations", "the migration directory")
	if len(args) == 0 {
		return errors.New("usage: flexwork migrate diff NAME --dev-url postgres://…")
	}
	name := args[0]
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *devURL == "" {
		return errors.New("--dev-url is required")
	}
	return entdb.Diff(ctx, *devURL, *dir, name)
}

func seed(ctx context.Context, args []string, log *slog.Logger) error {
	var withDemo bool
	cfg, _, err := command("seed", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&withDemo, "demo", false, "seed the demo city")
	})
	if err != nil {
		return err
	}
	if !withDemo {
		return errors.New("usage: flexwork seed --demo")
	}
	db, err := openDB(ctx, cfg, cfg.Migrate, log)
	if err != nil {
		return err
	}
	defer db.Close()
	srv, err := server.New(cfg, server.Deps{DB: db, Log: log})
	if err != nil {
		return err
	}
	sum, err := demo.Seed(ctx, db.Client, srv, 1)
	if err != nil {
		return err
	}
	if sum.Employers == 0 {
		fmt.Println("the database already has employers; nothing seeded")
		return nil
	}
	fmt.Printf("demo city: %d employers, %d workers, %d shifts, %d hires; password %q\n", sum.Employers, sum.Workers, sum.Shifts, sum.Hires, demo.Password)
	for _, a := range sum.Accounts {
		fmt.Println("  ", a)
	}
	return nil
}

func admin(ctx context.Context, args []string, log *slog.Logger) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: flexwork admin create --email E --password P --name N")
	}
	var email, password, name string
	cfg, _, err := command("admin create", args[1:], func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "staff email")
		fs.StringVar(&password, "password", "", "password (10+ characters)")
		fs.StringVar(&name, "name", "Staff", "display name")
	})
	if err != nil {
		return err
	}
	db, err := openDB(ctx, cfg, cfg.Migrate, log)
	if err != nil {
		return err
	}
	defer db.Close()
	srv, err := server.New(cfg, server.Deps{DB: db, Log: log})
	if err != nil {
		return err
	}
	u, err := srv.Accounts.CreateAccount(ctx, auth.SignUpInput{Email: email, Password: password, DisplayName: name})
	if err != nil {
		return err
	}
	if err := db.User.Update().Where(user.ID(u.ID)).SetIsStaff(true).Exec(rule.System(ctx)); err != nil {
		return err
	}
	if err := srv.Market.StaffGranted(ctx, u.ID, "flexwork admin create: "+email); err != nil {
		return err
	}
	fmt.Printf("staff account %s created (%s)\n", email, u.ID)
	return nil
}

func ledgerCmd(ctx context.Context, args []string, log *slog.Logger) error {
	if len(args) == 0 {
		return errors.New("usage: flexwork ledger verify | verify-receipt FILE --key KEY | key")
	}
	switch args[0] {
	case "verify-receipt":
		return verifyReceipt(args[1:])
	case "key":
		return newLedgerKey(args[1:])
	case "verify":
	default:
		return errors.New("usage: flexwork ledger verify | verify-receipt FILE --key KEY | key")
	}
	cfg, _, err := command("ledger verify", args[1:], nil)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, cfg, cfg.Migrate, log)
	if err != nil {
		return err
	}
	defer db.Close()
	logKey, err := server.LedgerLog(cfg, log)
	if err != nil {
		return err
	}
	m := market.New(db, market.WithLog(logKey))
	n, err := m.VerifyLedger(ctx)
	if err != nil {
		return fmt.Errorf("the ledger is broken after %d good entries: %w", n, err)
	}
	fmt.Printf("ledger verified: %d entries, each hashes to what it says (and, before the log, follows the one before)\n", n)
	cps, err := m.VerifyLog(ctx)
	if err != nil {
		return fmt.Errorf("the log does not match its checkpoints (%d checked first): %w", cps, err)
	}
	fmt.Printf("log verified: %d signed checkpoints, each the root of the entries up to its size\n", cps)
	return nil
}

// verifyReceipt checks a receipt file with the log's public key alone: no
// database, no server.
func verifyReceipt(args []string) error {
	fs := flag.NewFlagSet("ledger verify-receipt", flag.ContinueOnError)
	key := fs.String("key", "", "the log's public key (GET /ledger/key)")
	if err := fs.Parse(reorderFlags(args)); err != nil {
		return err
	}
	if fs.NArg() != 1 || *key == "" {
		return errors.New("usage: flexwork ledger verify-receipt FILE --key KEY")
	}
	b, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	var r flexledger.Receipt
	if err := json.Unmarshal(b, &r); err != nil {
		return fmt.Errorf("%s: not a receipt: %w", fs.Arg(0), err)
	}
	v, err := note.NewVerifier(strings.TrimSpace(*key))
	if err != nil {
		return fmt.Errorf("--key: %w", err)
	}
	c, err := r.Verify(v)
	if err != nil {
		return fmt.Errorf("the receipt does not verify: %w", err)
	}
	fmt.Printf("receipt verified: entry %s (%s) is leaf %d of %s at size %d; payload %s\n",
		r.Leaf.EntryID, r.Leaf.Kind, r.Leaf.Index, c.Origin, c.Size, r.Payload)
	return nil
}

// reorderFlags puts flags before the file argument, so that both
// "FILE --key K" and "--key K FILE" read.
func reorderFlags(args []string) []string {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		if strings.HasPrefix(args[i], "-") {
			flags = append(flags, args[i])
			if !strings.Contains(args[i], "=") && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
			continue
		}
		rest = append(rest, args[i])
	}
	return append(flags, rest...)
}

// newLedgerKey prints a new signing key for FLEXWORK_LEDGER_KEY and its
// public key.
func newLedgerKey(args []string) error {
	fs := flag.NewFlagSet("ledger key", flag.ContinueOnError)
	origin := fs.String("origin", "", "the log's name, e.g. flexwork.example.com/ledger")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *origin == "" {
		return errors.New("usage: flexwork ledger key --origin HOST/ledger")
	}
	seed := make([]byte, 32)
	if _, err := rand.Read(seed); err != nil {
		return err
	}
	skey, vkey, err := flexledger.NewKey(*origin, seed)
	if err != nil {
		return err
	}
	wkey, err := flexledger.WitnessKey(vkey)
	if err != nil {
		return err
	}
	// The same key serves a log or a witness; a witness publishes the
	// cosignature/v1 form of its public key (either form is accepted).
	fmt.Printf("FLEXWORK_LEDGER_KEY=%s\npublic key: %s\nas a witness's key (C2SP tlog-cosignature/v1): %s\n", skey, vkey, wkey)
	return nil
}

func creditCmd(ctx context.Context, args []string, log *slog.Logger) error {
	if len(args) == 0 || args[0] != "recompute" {
		return errors.New("usage: flexwork credit recompute [--refresh]")
	}
	var refresh bool
	cfg, _, err := command("credit recompute", args[1:], func(fs *flag.FlagSet) {
		fs.BoolVar(&refresh, "refresh", false, "afterwards, rescore everyone as of now")
	})
	if err != nil {
		return err
	}
	db, err := openDB(ctx, cfg, cfg.Migrate, log)
	if err != nil {
		return err
	}
	defer db.Close()
	checked, diffs, err := market.New(db).RecomputeCredit(ctx, refresh)
	if err != nil {
		return err
	}
	for _, d := range diffs {
		fmt.Printf("%s: stored %d, the ledger says %d\n", d.SubjectID, d.Stored, d.Recomputed)
	}
	if len(diffs) > 0 {
		return fmt.Errorf("%d of %d scores differ from the ledger", len(diffs), checked)
	}
	fmt.Printf("credit recomputed from the ledger: %d scores, no difference\n", checked)
	return nil
}

// moneyCmd checks the money ledger: every transaction balances and matches
// its digest, every stored balance is the sum of its postings, and no
// account that holds someone's money is below zero.
func moneyCmd(ctx context.Context, args []string, log *slog.Logger) error {
	if len(args) == 0 || args[0] != "verify" {
		return errors.New("usage: flexwork money verify [flags]")
	}
	cfg, _, err := command("money verify", args[1:], nil)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, cfg, cfg.Migrate, log)
	if err != nil {
		return err
	}
	defer db.Close()
	r, err := money.Verify(ctx, db.Client)
	if err != nil {
		return err
	}
	for _, p := range r.Problems {
		fmt.Println("problem:", p)
	}
	if len(r.Problems) > 0 {
		return fmt.Errorf("the money ledger is wrong in %d places", len(r.Problems))
	}
	fmt.Printf("money verified: %d transactions, %d postings, %d accounts; every transaction balances and matches its digest, every balance is the sum of its postings\n",
		r.Transactions, r.Postings, r.Accounts)
	return nil
}
