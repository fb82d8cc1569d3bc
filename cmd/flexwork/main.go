// Command flexwork runs the flexwork server and its chores. It only wires
// packages together; run `flexwork help` for the subcommands.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

const usage = `flexwork — the backend of a flexible-work marketplace

Usage:
  flexwork serve [--demo] [flags]   serve the API (--demo: fill an empty database with a demo city)
  flexwork migrate [flags]          bring the database schema up to date
  flexwork migrate diff NAME --dev-url postgres://…
                                    write a new PostgreSQL migration for schema changes
  flexwork seed --demo [flags]      fill an empty database with the demo city
  flexwork schema [--out FILE]      print the schema the apps see
  flexwork schema check [--base REF]
                                    list schema changes since the last release; fail on unacknowledged breaking ones
  flexwork schema manifests DIR     check the apps' persisted query manifests in DIR against the schema
  flexwork admin create --email E --password P --name N [flags]
                                    create a staff account
  flexwork ledger verify [flags]    check every ledger entry (and the chain before the log) and every signed checkpoint
  flexwork ledger verify-receipt FILE --key KEY
                                    check a receipt with the log's public key alone
  flexwork ledger key --origin NAME print a new checkpoint signing key
  flexwork money verify [flags]     check every money transaction balances and every balance is the sum of its postings
  flexwork witness --url URL --log-key KEY --key WITNESS_KEY [--state FILE]
                                    check the log only grew since the last checkpoint seen, and co-sign
  flexwork credit recompute [--refresh]
                                    rebuild every credit score from the ledger and report differences
  flexwork load subscribers|push    measure live delivery and push fan-out (prints figures)
  flexwork bench seed|run           a marketplace-scale dataset and load scenarios (prints figures)

Flags are the configuration variables in lower case (--database_url=…);
run "flexwork serve --help" to list them.
`

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	slog.SetDefault(log)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], log); err != nil {
		fmt.Fprintln(os.Stderr, "flexwork:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, log *slog.Logger) error {
	if len(args) == 0 {
		fmt.Print(usage)
		return nil
	}
	cmd, args := args[0], args[1:]
	switch cmd {
	case "serve":
		return serve(ctx, args, log)
	case "migrate":
		if len(args) > 0 && args[0] == "diff" {
			return migrateDiff(ctx, args[1:])
		}
		return migrate(ctx, args, log)
	case "seed":
		return seed(ctx, args, log)
	case "schema":
		return schema(args)
	case "bench":
		return benchCmd(ctx, args, log)
	case "admin":
		return admin(ctx, args, log)
	case "witness":
		return witnessCmd(ctx, args)
	case "ledger":
		return ledgerCmd(ctx, args, log)
	case "money":
		return moneyCmd(ctx, args, log)
	case "load":
		return load(ctx, args, log)
	case "credit":
		return creditCmd(ctx, args, log)
	case "help", "-h", "--help":
		fmt.Print(usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n\n%s", cmd, usage)
}
