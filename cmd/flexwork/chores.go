package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"

	"flexwork/ent/entdb"
	"flexwork/ent/rule"
	"flexwork/ent/user"
	"flexwork/market"
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

func ledger(ctx context.Context, args []string, log *slog.Logger) error {
	if len(args) == 0 || args[0] != "verify" {
		return errors.New("usage: flexwork ledger verify")
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
	n, err := market.New(db).VerifyLedger(ctx)
	if err != nil {
		return fmt.Errorf("the ledger is broken after %d good entries: %w", n, err)
	}
	fmt.Printf("ledger verified: %d entries, every hash matches its content and the entry before\n", n)
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
