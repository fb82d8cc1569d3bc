package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"golang.org/x/mod/sumdb/note"

	"flexwork/ledger"
	"flexwork/ledger/witness"
)

// witnessCmd witnesses a flexwork log once: run it from cron. The state file
// keeps the last checkpoint seen; on a rewrite it is left as it was, and
// the command fails with both checkpoints printed as evidence.
func witnessCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("witness", flag.ContinueOnError)
	url := fs.String("url", "", "the flexwork server, e.g. https://api.flexwork.example")
	logKey := fs.String("log-key", "", "the log's public key (GET /ledger/key), checked once, out of band")
	key := fs.String("key", "", "this witness's note signer key (flexwork ledger key --origin NAME)")
	state := fs.String("state", "witness.checkpoint", "file keeping the last checkpoint seen")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *url == "" || *logKey == "" || *key == "" {
		return errors.New("usage: flexwork witness --url URL --log-key KEY --key WITNESS_KEY [--state FILE]")
	}
	v, err := note.NewVerifier(strings.TrimSpace(*logKey))
	if err != nil {
		return fmt.Errorf("--log-key: %w", err)
	}
	s, err := ledger.NewWitnessSigner(strings.TrimSpace(*key))
	if err != nil {
		return fmt.Errorf("--key: %w", err)
	}
	last, err := os.ReadFile(*state)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	w := witness.Witness{BaseURL: strings.TrimRight(*url, "/"), Log: v, Signer: s}
	seen, err := w.Run(ctx, string(last))
	if errors.Is(err, witness.ErrRewritten) {
		return fmt.Errorf("%w\n\nkept checkpoint:\n%s\nnew checkpoint:\n%s", err, last, seen)
	}
	if err != nil {
		return err
	}
	if err := os.WriteFile(*state, []byte(seen), 0o600); err != nil {
		return err
	}
	fmt.Printf("witnessed and co-signed:\n%s", seen)
	return nil
}
