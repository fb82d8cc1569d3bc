package server

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	fbauth "firebase.google.com/go/v4/auth"

	"flexwork/ent/employer"
	"flexwork/ent/entdb"
	"flexwork/graph"
	"flexwork/graph/generated"
	"flexwork/ledger"
	"flexwork/market"
	"flexwork/market/idcheck"
	"flexwork/market/insurer"
	"flexwork/market/sealed"
	"flexwork/money"
	"flexwork/money/stripepay"
	"flexwork/notifications"
	"flexwork/server/auth"
	"flexwork/server/graphiql"
	"flexwork/server/ratelimit"
	"flexwork/storage"
)

// Deps are what a server runs on; cmd/flexwork opens them from the Config,
// tests hand in their own.
type Deps struct {
	DB  *entdb.DB
	Log *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// FirebaseAuth verifies Firebase ID tokens; required when Auth is firebase.
	FirebaseAuth *fbauth.Client
	// Broker carries live events; nil means in-process.
	Broker notifications.Broker
	// Sender delivers pushes; nil means log them.
	Sender notifications.Sender
	// RetryDelay, when set, shortens job retries (tests).
	RetryDelay time.Duration
	// Store keeps certificate documents; nil means a directory under the
	// data dir, served by this server at /blobs/.
	Store storage.Store
	// Mailer sends mail; nil means SMTP_URL's server, or the log.
	Mailer notifications.Mailer
	// Limits counts attempts for rate limits; nil means Redis when
	// REDIS_URL is set, else this process.
	Limits ratelimit.Store
	// Payouts sends workers' payouts; nil means Stripe when
	// STRIPE_SECRET_KEY is set, else no payouts.
	Payouts money.PayoutProvider
	// Funding takes employers' payments; nil means Stripe when
	// STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are set, else bank
	// transfers only.
	Funding money.FundingProvider
	// RealNameCheck checks real names; nil means REALNAME_CHECK_URL's
	// service when set, else staff decide.
	RealNameCheck market.RealNameChecker
	// Insurer enrols the cover flexwork pays for; nil means
	// INSURER_API_URL's insurer when set, else staff record it.
	Insurer market.Insurer
}

// Server is a ready-to-serve flexwork: the HTTP handler and what it runs on.
type Server struct {
	cfg           Config
	log           *slog.Logger
	Handler       http.Handler
	Market        *market.Market
	Accounts      *auth.Accounts
	Notifications *notifications.Service
	// Store keeps certificate documents.
	Store storage.Store
	// Metrics is the Prometheus handler, for a listener of its own
	// (FLEXWORK_METRICS_ADDR).
	Metrics http.Handler
}

// New assembles a server.
func New(cfg Config, d Deps) (*Server, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	key, err := signingKey(cfg, d.Log)
	if err != nil {
		return nil, err
	}
	logKey, err := LedgerLog(cfg, d.Log)
	if err != nil {
		return nil, err
	}
	tokens, err := auth.NewTokens(key, cfg.AccessTokenTTL, d.Now)
	if err != nil {
		return nil, err
	}
	authn := &auth.Authenticator{Tokens: tokens, Viewers: auth.Viewers{DB: d.DB.Client, Dialect: d.DB.Dialect}, Log: d.Log}
	if cfg.Auth == "firebase" {
		if d.FirebaseAuth == nil {
			return nil, errors.New("server: FLEXWORK_AUTH=firebase needs a Firebase auth client")
		}
		authn.Firebase = &auth.Firebase{Client: d.FirebaseAuth, DB: d.DB.Client}
	}
	if d.Broker == nil {
		d.Broker = notifications.NewLocalBroker()
	}
	if d.Sender == nil {
		d.Sender = notifications.LogSender{Log: d.Log}
	}
	if cfg.StripeSecretKey != "" {
		stripe := stripepay.New(cfg.StripeSecretKey, cfg.StripeAPIURL, nil).WithWebhookSecret(cfg.StripeWebhookSecret)
		if d.Payouts == nil {
			d.Payouts = stripe
		}
		if d.Funding == nil && cfg.StripeWebhookSecret != "" {
			d.Funding = stripe
		}
	}
	if d.Mailer == nil {
		d.Mailer = notifications.LogMailer{Log: d.Log}
		if cfg.SMTPURL != "" {
			if d.Mailer, err = notifications.NewSMTPMailer(cfg.SMTPURL, cfg.MailFrom); err != nil {
				return nil, err
			}
		}
	}
	if d.Limits == nil {
		d.Limits = ratelimit.NewMemoryAt(d.Now)
		if cfg.RedisURL != "" {
			if d.Limits, err = ratelimit.NewRedis(cfg.RedisURL, "flexwork:limits:"); err != nil {
				return nil, fmt.Errorf("REDIS_URL: %w", err)
			}
		}
	}
	if d.Store == nil {
		local, err := storage.NewLocal(filepath.Join(cfg.DataDir, "blobs"), derivedKey(key, "flexwork local blob links"), cfg.BaseURL()+"/blobs", d.Now)
		if err != nil {
			return nil, fmt.Errorf("local blobs: %w", err)
		}
		if !cfg.Dev() && cfg.PublicURL == "" {
			d.Log.Warn("FLEXWORK_PUBLIC_URL is not set: upload and download links point at " + cfg.BaseURL())
		}
		d.Store = local
	}
	box, digestKey, err := dataKeys(cfg, d.Log)
	if err != nil {
		return nil, err
	}
	if d.Insurer == nil && cfg.InsurerAPIURL != "" {
		d.Insurer = insurer.New(cfg.InsurerAPIURL, cfg.InsurerAPIKey)
	}
	if d.RealNameCheck == nil && cfg.RealNameCheckURL != "" {
		d.RealNameCheck = idcheck.New(cfg.RealNameCheckURL, cfg.RealNameCheckAppCode)
	}
	svc := notifications.New(d.DB, d.Broker, d.Sender, d.Mailer, d.Log, d.Now)
	mkt := market.New(d.DB, market.WithClock(d.Now), market.WithEvents(svc), market.WithStorage(d.Store), market.WithLog(logKey),
		market.WithNewEmployerTerms(employer.FundingTerms(cfg.NewEmployerTerms)), market.WithPayouts(d.Payouts), market.WithFunding(d.Funding),
		market.WithDataKey(box, digestKey), market.WithRealNameCheck(d.RealNameCheck), market.WithLogger(d.Log), market.WithInsurer(d.Insurer))
	s := &Server{
		cfg:           cfg,
		log:           d.Log,
		Notifications: svc,
		Store:         d.Store,
		Market:        mkt,
		Accounts: &auth.Accounts{
			DB: d.DB.Client, Tokens: tokens, RefreshTTL: cfg.RefreshTokenTTL, Now: d.Now,
			Disabled: cfg.Auth == "firebase", Mailer: d.Mailer, CodeKey: derivedKey(key, "flexwork sign-up codes"),
			Limits: d.Limits, Log: d.Log,
		},
	}
	if local, ok := d.Store.(interface {
		GateUploads(func(context.Context, string) error)
	}); ok {
		local.GateUploads(s.Market.UploadWanted)
	}
	if err := svc.Bind(s.Market, notifications.Config{PollInterval: cfg.JobPollInterval, RetryDelay: d.RetryDelay,
		PushHeadStart: cfg.PushHeadStart}); err != nil {
		return nil, err
	}
	resolver := &graph.Resolver{DB: d.DB.Client, Market: s.Market, Accounts: s.Accounts, Notifier: svc}
	m := newMetrics(d.DB.SQL, svc.Subscribers, d.DB.Statements)
	es := generated.NewExecutableSchema(graph.NewSchema(resolver))
	trusted, err := trustedOperations(cfg.PersistedQueryManifests, es.Schema())
	if err != nil {
		return nil, err
	}
	d.Log.Info("trusted documents", "enforce", cfg.EnforceTrustedDocuments(), "operations", len(trusted))
	apq, err := newAPQCache(cfg.RedisURL)
	if err != nil {
		return nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	gql := newGraphQL(cfg, es, d.DB.Client, authn, m, d.Log, trusted, apq, d.Limits, d.Now)

	mux := http.NewServeMux()
	mux.Handle("/graphql", m.instrument("/graphql", limitBody(cfg.MaxBodyBytes,
		auth.ClientAddress(cfg.ClientIPHeader, withLanguage(authn.Middleware(idempotencyHeader(gql)))))))
	for path, h := range map[string]http.Handler{
		"/contracts": contractPDF(s.Market, d.Log), "/covers": coverPDF(s.Market, d.Log), "/reports": reportCSV(s.Market, d.Log),
	} {
		mux.Handle("GET "+path+"/{file}", m.instrument(path, auth.ClientAddress(cfg.ClientIPHeader, withLanguage(authn.Middleware(h)))))
	}
	mux.Handle("GET /ledger/checkpoint", m.instrument("/ledger", ledgerCheckpoint(s.Market, d.Log)))
	mux.Handle("GET /ledger/key", m.instrument("/ledger", ledgerKey(s.Market)))
	mux.Handle("GET /ledger/consistency", m.instrument("/ledger", ledgerConsistency(s.Market, d.Log)))
	mux.Handle("POST /ledger/cosignature", m.instrument("/ledger", limitBody(16<<10, ledgerCosign(s.Market, d.Log))))
	if d.Funding != nil {
		mux.Handle("POST /webhooks/funding", m.instrument("/webhooks", limitBody(256<<10, fundingWebhook(s.Market, d.Funding, d.Log))))
	}
	mux.HandleFunc("GET /healthz", healthz)
	mux.Handle("GET /readyz", readyz(d.DB.Ping))
	s.Metrics = m.handler()
	mux.Handle("GET /metrics", publicMetrics(cfg, s.Metrics))
	if blobs, ok := d.Store.(interface{ Handler() http.Handler }); ok {
		// The largest form the phone sends: the document and its fields.
		mux.Handle("/blobs/", m.instrument("/blobs", limitBody(market.MaxCertificateBytes+64<<10,
			http.StripPrefix("/blobs", blobs.Handler()))))
	}
	if cfg.Dev() {
		ide := graphiql.Handler() // offline: its assets are in the binary
		mux.Handle("GET /{$}", ide)
		mux.Handle("GET /graphiql/", ide)
	}
	if cfg.PProf {
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	}
	s.Handler = logRequests(d.Log, mux)
	return s, nil
}

// Serve serves on ln until ctx is cancelled, then lets requests in flight
// finish for up to the shutdown timeout.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s.Handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	if err := s.Notifications.Start(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	s.log.Info("serving", "addr", ln.Addr().String(), "env", s.cfg.Env)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "grace", s.cfg.ShutdownTimeout.String())
	shutdownCtx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	err := hs.Shutdown(shutdownCtx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = hs.Close()
	}
	// Hijacked WebSockets outlive Shutdown: ending their subscriptions ends
	// them.
	_ = s.Notifications.Close()
	if e := s.Notifications.Stop(shutdownCtx); e != nil && err == nil {
		err = e
	}
	if e := <-errc; !errors.Is(e, http.ErrServerClosed) && err == nil {
		err = e
	}
	return err
}

// derivedKey is a key for one purpose (blob links, sign-up codes) derived
// from the token key, so one secret serves all, yet a signature made for
// one purpose is never valid for another.
func derivedKey(signingKey []byte, purpose string) []byte {
	m := hmac.New(sha256.New, signingKey)
	m.Write([]byte(purpose))
	return m.Sum(nil)
}

// dataKeys are the box sensitive values are sealed with, over
// FLEXWORK_DATA_KEY (or a key made once and kept in the data directory)
// and FLEXWORK_DATA_KEY_OLD, and the key of identity digests, derived
// from the current master key.
func dataKeys(cfg Config, log *slog.Logger) (*sealed.Box, []byte, error) {
	isKey := func(k string) bool { b, err := hex.DecodeString(k); return err == nil && len(b) == 32 }
	current := cfg.DataKey
	if current == "" {
		var err error
		current, err = keptKey(cfg, log, "data.key", "FLEXWORK_DATA_KEY is not set: made a data key in the data directory", isKey,
			func() (string, error) {
				b := make([]byte, 32)
				_, err := rand.Read(b)
				return hex.EncodeToString(b), err
			})
		if err != nil {
			return nil, nil, err
		}
	}
	if !isKey(current) || (cfg.DataKeyOld != "" && !isKey(cfg.DataKeyOld)) {
		return nil, nil, errors.New("FLEXWORK_DATA_KEY and FLEXWORK_DATA_KEY_OLD are 64 hex digits (32 bytes)")
	}
	cur, _ := hex.DecodeString(current)
	var older [][]byte
	if cfg.DataKeyOld != "" {
		old, _ := hex.DecodeString(cfg.DataKeyOld)
		older = append(older, old)
	}
	box, err := sealed.New(cur, older...)
	return box, derivedKey(cur, "flexwork identity digests"), err
}

// LedgerLog is the key that signs the ledger's checkpoints:
// FLEXWORK_LEDGER_KEY, or a key made once and kept in the data directory.
// Receipts verify only while the key stays the same: in production, keep
// it with the database's backups.
func LedgerLog(cfg Config, log *slog.Logger) (*market.Log, error) {
	skey := cfg.LedgerKey
	if skey == "" {
		var err error
		skey, err = keptKey(cfg, log, "ledger.key", "FLEXWORK_LEDGER_KEY is not set: made a ledger key in the data directory",
			func(k string) bool { return k != "" },
			func() (string, error) {
				seed := make([]byte, 32)
				if _, err := rand.Read(seed); err != nil {
					return "", err
				}
				skey, _, err := ledger.NewKey(ledgerOrigin(cfg), seed)
				return skey, err
			})
		if err != nil {
			return nil, err
		}
	}
	vkey, err := ledger.PublicKey(skey)
	if err != nil {
		return nil, err
	}
	return market.NewLog(skey, vkey, cfg.WitnessKeys...)
}

// ledgerOrigin names a new log: the public host, as checkpoints' origins
// should be unique.
func ledgerOrigin(cfg Config) string {
	if u, err := url.Parse(cfg.BaseURL()); err == nil && u.Host != "" {
		return u.Host + "/flexwork-ledger"
	}
	return "flexwork/ledger"
}

// signingKey is the access-token key: FLEXWORK_JWT_SECRET, or in dev a
// random key kept in the data directory so restarts keep sessions valid.
func signingKey(cfg Config, log *slog.Logger) ([]byte, error) {
	if cfg.JWTSecret != "" {
		if len(cfg.JWTSecret) < 32 {
			return nil, errors.New("FLEXWORK_JWT_SECRET must hold at least 32 bytes")
		}
		return []byte(cfg.JWTSecret), nil
	}
	key, err := keptKey(cfg, log, "jwt.key", "FLEXWORK_JWT_SECRET is not set: using a development key from the data directory",
		func(k string) bool { return len(k) >= 32 },
		func() (string, error) {
			b := make([]byte, 32)
			if _, err := rand.Read(b); err != nil {
				return "", err
			}
			return hex.EncodeToString(b), nil
		})
	return []byte(key), err
}

// keptKey is a key made once and kept in the data directory as file: its
// content when usable, else a new key from newKey, written there (0600)
// with a warning, so that restarts keep using it.
func keptKey(cfg Config, log *slog.Logger, file, warning string, usable func(string) bool, newKey func() (string, error)) (string, error) {
	path := filepath.Join(cfg.DataDir, file)
	if b, err := os.ReadFile(path); err == nil && usable(strings.TrimSpace(string(b))) {
		return strings.TrimSpace(string(b)), nil
	}
	key, err := newKey()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return "", fmt.Errorf("data directory: %w", err)
	}
	if err := os.WriteFile(path, []byte(key+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("%s: %w", file, err)
	}
	log.Warn(warning, "path", path)
	return key, nil
}
