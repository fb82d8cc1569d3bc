package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"flexwork/server"
	"flexwork/server/demo"
)

func serve(ctx context.Context, args []string, log *slog.Logger) error {
	var withDemo bool
	cfg, _, err := command("serve", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&withDemo, "demo", false, "fill an empty database with the demo city")
	})
	if err != nil {
		return err
	}
	tuneGC(log)
	db, err := openDB(ctx, cfg, cfg.Migrate, log)
	if err != nil {
		return err
	}
	defer db.Close()
	d, err := deps(ctx, cfg, db, log)
	if err != nil {
		return err
	}
	srv, err := server.New(cfg, d)
	if err != nil {
		return err
	}
	if withDemo {
		sum, err := demo.Seed(ctx, db.Client, srv, 1)
		if err != nil {
			return err
		}
		if sum.Employers > 0 {
			log.Info("demo city created", "employers", sum.Employers, "workers", sum.Workers, "shifts", sum.Shifts, "hires", sum.Hires,
				"password", demo.Password, "accounts", sum.Accounts)
		}
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	if cfg.Dev() {
		log.Info("GraphiQL at http://" + displayAddr(ln.Addr()) + "/")
	}
	if cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			return fmt.Errorf("FLEXWORK_METRICS_ADDR: %w", err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", srv.Metrics)
		ms := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = ms.Serve(mln) }()
		defer ms.Close()
		log.Info("metrics at http://" + displayAddr(mln.Addr()) + "/metrics")
	}
	return srv.Serve(ctx, ln)
}

func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil || host == "::" || host == "0.0.0.0" || host == "" {
		return "localhost:" + port
	}
	return net.JoinHostPort(host, port)
}
