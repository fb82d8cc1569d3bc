// Package server is flexwork's HTTP side: configuration, the GraphQL handler
// and its transports and limits, authentication, health, metrics and logs.
package server

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"flexwork/ent/employer"
	"flexwork/storage"
)

// Config is the server's configuration. Every setting comes from an
// environment variable; a command-line flag of the same name in lower case
// (--database_url=…) overrides it. The embedded default needs none of them.
type Config struct {
	Addr        string // FLEXWORK_ADDR: listen address
	DataDir     string // FLEXWORK_DATA_DIR: SQLite file, local blobs, dev signing key
	Env         string // FLEXWORK_ENV: dev (GraphiQL, introspection) or prod
	DatabaseURL string // DATABASE_URL: postgres://…; SQLite in DataDir when empty
	RedisURL    string // REDIS_URL: Redis broker and shared query cache
	Auth        string // FLEXWORK_AUTH: local or firebase
	JWTSecret   string // FLEXWORK_JWT_SECRET: access-token signing key (required in prod)
	LedgerKey   string // FLEXWORK_LEDGER_KEY: note signer key of the ledger's checkpoints
	// WitnessKeys are the public keys of the witnesses whose cosignatures
	// the server keeps (FLEXWORK_WITNESS_KEYS).
	WitnessKeys []string
	// FIREBASE_PROJECT_ID: Firebase project for sign-in and push.
	FirebaseProjectID string
	// FLEXWORK_MIGRATE: apply database migrations when serve starts.
	Migrate bool
	// FLEXWORK_ALLOWED_ORIGINS: comma-separated browser origins allowed to open
	// WebSockets (hosts, e.g. "app.example.com"); phones send no Origin.
	AllowedOrigins []string

	// TRUSTED_DOCUMENTS: enforce (only the apps' manifest operations run) or
	// off; empty means enforce in prod, off in dev.
	TrustedDocuments string
	// PERSISTED_QUERY_MANIFESTS: a folder of the manifests the apps' builds
	// wrote, one per app and version in the field, run beside the repo's own.
	PersistedQueryManifests string
	// FLEXWORK_PUBLIC_URL: how phones reach this server (scheme://host[:port]);
	// local blob upload and download links start with it.
	PublicURL string
	// S3_*: keep certificate documents in S3 instead of the data directory.
	S3 storage.S3Config

	// Limits.
	MaxBodyBytes    int64         // FLEXWORK_MAX_BODY_BYTES
	MaxComplexity   int           // FLEXWORK_MAX_COMPLEXITY
	MaxDepth        int           // FLEXWORK_MAX_DEPTH
	AccessTokenTTL  time.Duration // FLEXWORK_ACCESS_TOKEN_TTL
	RefreshTokenTTL time.Duration // FLEXWORK_REFRESH_TOKEN_TTL
	WSInitTimeout   time.Duration // FLEXWORK_WS_INIT_TIMEOUT
	WSPingInterval  time.Duration // FLEXWORK_WS_PING_INTERVAL
	// FLEXWORK_WS_MAX_SUBSCRIPTIONS: subscriptions one socket may hold.
	WSMaxSubscriptions int
	// FLEXWORK_WS_MAX_SOCKETS_PER_USER: sockets one account may hold open.
	WSMaxSocketsPerUser int
	// FLEXWORK_WS_RECHECK_INTERVAL: how often an open socket's token and
	// account are checked again.
	WSRecheckInterval time.Duration
	// FLEXWORK_JOB_POLL_INTERVAL: how often idle job workers look for work.
	JobPollInterval time.Duration
	// FLEXWORK_PUSH_HEAD_START: how long favourites and standby hear of a
	// shift before everyone else.
	PushHeadStart time.Duration
	// FLEXWORK_NEW_EMPLOYER_TERMS: the funding terms employers are founded
	// on, PREFUNDED or CREDIT.
	NewEmployerTerms string
	// STRIPE_SECRET_KEY: pay workers out through Stripe Connect;
	// STRIPE_API_URL: another address for Stripe's API (a fake in tests).
	StripeSecretKey, StripeAPIURL string
	// STRIPE_WEBHOOK_SECRET: take employers' payments through Stripe, its
	// webhook (POST /webhooks/funding) signed with this secret.
	StripeWebhookSecret string
	// FLEXWORK_DATA_KEY: the master key sensitive values are sealed with
	// at rest (64 hex digits); FLEXWORK_DATA_KEY_OLD: the one before it,
	// still opening what it sealed.
	DataKey, DataKeyOld string
	// REALNAME_CHECK_URL and REALNAME_CHECK_APPCODE: the identity service
	// real names are checked with (market/idcheck); without it staff decide.
	RealNameCheckURL, RealNameCheckAppCode string
	// INSURER_API_URL and INSURER_API_KEY: the insurer that enrols the
	// cover flexwork pays for (market/insurer); without it staff record it.
	InsurerAPIURL, InsurerAPIKey string
	// FLEXWORK_FCM_ENDPOINT: send pushes to this FCM-compatible endpoint
	// without credentials (load tests against a fake FCM).
	FCMEndpoint string
	// SMTP_URL: smtp://user:password@host:port to send mail through; without
	// it mail is written to the log. MAIL_FROM: its sender.
	SMTPURL, MailFrom string
	// FLEXWORK_CLIENT_IP_HEADER: the header a trusted proxy in front names
	// the client's address in (X-Forwarded-For); rate limits count by it.
	ClientIPHeader string
	// FLEXWORK_METRICS_ADDR: a separate listen address for /metrics;
	// FLEXWORK_METRICS_TOKEN: a bearer token /metrics asks for. In prod the
	// public listener serves /metrics only with the token.
	MetricsAddr, MetricsToken string
	// FLEXWORK_PPROF: serve Go's profiler at /debug/pprof/ (measurements only).
	PProf           bool
	ShutdownTimeout time.Duration // FLEXWORK_SHUTDOWN_TIMEOUT
}

// Dev reports whether the server runs in development mode.
func (c Config) Dev() bool { return c.Env != "prod" }

// EnforceTrustedDocuments reports whether only manifest operations run.
func (c Config) EnforceTrustedDocuments() bool {
	return c.TrustedDocuments == "enforce" || (c.TrustedDocuments == "" && !c.Dev())
}

// BaseURL is the public URL, or one made from the listen address.
func (c Config) BaseURL() string {
	if c.PublicURL != "" {
		return strings.TrimSuffix(c.PublicURL, "/")
	}
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil || host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	if err != nil {
		return "http://" + host
	}
	return "http://" + net.JoinHostPort(host, port)
}

// SQLitePath is where the embedded database lives.
func (c Config) SQLitePath() string { return filepath.Join(c.DataDir, "flexwork.db") }

// setting is one configuration variable.
type setting struct {
	env, def, help string
	set            func(*Config, string) error
}

func str(dst func(*Config) *string) func(*Config, string) error {
	return func(c *Config, v string) error { *dst(c) = v; return nil }
}

func dur(dst func(*Config) *time.Duration) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		*dst(c) = d
		return err
	}
}

func num[T int | int64](dst func(*Config) *T) func(*Config, string) error {
	return func(c *Config, v string) error {
		var n T
		_, err := fmt.Sscan(v, &n)
		*dst(c) = n
		return err
	}
}

func boolean(dst func(*Config) *bool) func(*Config, string) error {
	return func(c *Config, v string) error {
		switch strings.ToLower(v) {
		case "1", "true", "yes", "on":
			*dst(c) = true
		case "", "0", "false", "no", "off":
			*dst(c) = false
		default:
			return fmt.Errorf("want true or false, got %q", v)
		}
		return nil
	}
}

// settings lists every variable with its default; the README's table is
// written from the same names.
var settings = []setting{
	{"FLEXWORK_ADDR", ":8080", "listen address", str(func(c *Config) *string { return &c.Addr })},
	{"FLEXWORK_DATA_DIR", "./data", "SQLite file and local blobs of the embedded default", str(func(c *Config) *string { return &c.DataDir })},
	{"FLEXWORK_ENV", "dev", "dev (GraphiQL, introspection) or prod", str(func(c *Config) *string { return &c.Env })},
	{"DATABASE_URL", "", "postgres://… for PostgreSQL; SQLite in the data dir when empty", str(func(c *Config) *string { return &c.DatabaseURL })},
	{"REDIS_URL", "", "redis://…: Redis broker and shared persisted-query cache", str(func(c *Config) *string { return &c.RedisURL })},
	{"FLEXWORK_AUTH", "local", "local or firebase", str(func(c *Config) *string { return &c.Auth })},
	{"FLEXWORK_JWT_SECRET", "", "access-token signing key, 32+ bytes (required in prod; dev keeps one in the data dir)", str(func(c *Config) *string { return &c.JWTSecret })},
	{"FLEXWORK_DATA_KEY", "", "master key (64 hex digits) that seals sensitive values at rest, such as identity numbers (dev keeps one in the data dir); losing it loses them", str(func(c *Config) *string { return &c.DataKey })},
	{"FLEXWORK_DATA_KEY_OLD", "", "the master key before FLEXWORK_DATA_KEY, while values it sealed remain", str(func(c *Config) *string { return &c.DataKeyOld })},
	{"REALNAME_CHECK_URL", "", "identity service that checks a name against a PRC resident ID number (二要素核验, market/idcheck); without it staff decide real names", str(func(c *Config) *string { return &c.RealNameCheckURL })},
	{"INSURER_API_URL", "", "the insurer's enrolment API (market/insurer) that covers hires flexwork insures (CN platform gig: occupational-injury protection); without it staff record those enrolments", str(func(c *Config) *string { return &c.InsurerAPIURL })},
	{"INSURER_API_KEY", "", "the key for INSURER_API_URL", str(func(c *Config) *string { return &c.InsurerAPIKey })},
	{"REALNAME_CHECK_APPCODE", "", "the merchant's app code for REALNAME_CHECK_URL", str(func(c *Config) *string { return &c.RealNameCheckAppCode })},
	{"FLEXWORK_LEDGER_KEY", "", "note signer key (PRIVATE+KEY+origin+…) that signs the ledger's checkpoints; keep it for as long as receipts must verify (dev keeps one in the data dir; `flexwork ledger key` makes one)", str(func(c *Config) *string { return &c.LedgerKey })},
	{"FLEXWORK_WITNESS_KEYS", "", "public Ed25519 note keys (plain or cosignature/v1 form) of the witnesses (a union, an association, a regulator) whose tlog-cosignature/v1 cosignatures of checkpoints are kept and shown with receipts, comma-separated", func(c *Config, v string) error {
		c.WitnessKeys = nil
		for _, k := range strings.Split(v, ",") {
			if k = strings.TrimSpace(k); k != "" {
				c.WitnessKeys = append(c.WitnessKeys, k)
			}
		}
		return nil
	}},
	{"FIREBASE_PROJECT_ID", "", "Firebase project for sign-in and push", str(func(c *Config) *string { return &c.FirebaseProjectID })},
	{"FLEXWORK_MIGRATE", "false", "apply database migrations when serve starts", boolean(func(c *Config) *bool { return &c.Migrate })},
	{"FLEXWORK_ALLOWED_ORIGINS", "", "browser origins allowed to open WebSockets, comma-separated", func(c *Config, v string) error {
		c.AllowedOrigins = nil
		for _, o := range strings.Split(v, ",") {
			if o = strings.TrimSpace(o); o != "" {
				c.AllowedOrigins = append(c.AllowedOrigins, o)
			}
		}
		return nil
	}},
	{"PERSISTED_QUERY_MANIFESTS", "", "a folder of persisted query manifests (*.json) the apps' builds wrote — Apollo's persisted query manifest format or Apollo iOS's operation identifiers — accepted beside mobile-schema/persisted-queries.json; each is checked against the schema at start-up", str(func(c *Config) *string { return &c.PersistedQueryManifests })},
	{"TRUSTED_DOCUMENTS", "", "enforce: run only the operations in mobile-schema/persisted-queries.json; off: any query (default: enforce in prod, off in dev)", str(func(c *Config) *string { return &c.TrustedDocuments })},
	{"FLEXWORK_PUBLIC_URL", "", "scheme://host[:port] phones reach the server at; starts local blob links (default: from FLEXWORK_ADDR)", str(func(c *Config) *string { return &c.PublicURL })},
	{"S3_ENDPOINT", "", "host:port of an S3 server; turns on S3 storage", str(func(c *Config) *string { return &c.S3.Endpoint })},
	{"S3_BUCKET", "flexwork", "S3 bucket", str(func(c *Config) *string { return &c.S3.Bucket })},
	{"S3_ACCESS_KEY", "", "S3 access key", str(func(c *Config) *string { return &c.S3.AccessKey })},
	{"S3_SECRET_KEY", "", "S3 secret key", str(func(c *Config) *string { return &c.S3.SecretKey })},
	{"S3_REGION", "us-east-1", "S3 region", str(func(c *Config) *string { return &c.S3.Region })},
	{"S3_USE_TLS", "true", "talk HTTPS to S3", boolean(func(c *Config) *bool { return &c.S3.UseTLS })},
	{"FLEXWORK_MAX_BODY_BYTES", "1048576", "largest request body accepted", num(func(c *Config) *int64 { return &c.MaxBodyBytes })},
	{"FLEXWORK_MAX_COMPLEXITY", "2000", "largest query cost (rows read, pages by their size, computing fields by their cost: server/cost.go)", num(func(c *Config) *int { return &c.MaxComplexity })},
	{"FLEXWORK_MAX_DEPTH", "12", "deepest query nesting", num(func(c *Config) *int { return &c.MaxDepth })},
	{"FLEXWORK_ACCESS_TOKEN_TTL", "15m", "lifetime of access tokens", dur(func(c *Config) *time.Duration { return &c.AccessTokenTTL })},
	{"FLEXWORK_REFRESH_TOKEN_TTL", "720h", "lifetime of refresh tokens", dur(func(c *Config) *time.Duration { return &c.RefreshTokenTTL })},
	{"FLEXWORK_WS_INIT_TIMEOUT", "10s", "time a WebSocket has to send connection_init", dur(func(c *Config) *time.Duration { return &c.WSInitTimeout })},
	{"FLEXWORK_WS_PING_INTERVAL", "25s", "WebSocket ping interval; a peer silent for two is dropped", dur(func(c *Config) *time.Duration { return &c.WSPingInterval })},
	{"FLEXWORK_WS_MAX_SUBSCRIPTIONS", "20", "subscriptions one WebSocket may hold at once", num(func(c *Config) *int { return &c.WSMaxSubscriptions })},
	{"FLEXWORK_WS_MAX_SOCKETS_PER_USER", "10", "WebSockets one account may hold open at once; more close with 4429", num(func(c *Config) *int { return &c.WSMaxSocketsPerUser })},
	{"FLEXWORK_WS_RECHECK_INTERVAL", "30s", "how often an open WebSocket's token and account are checked again; an expired token, a disabled account or changed memberships close it with 4403", dur(func(c *Config) *time.Duration { return &c.WSRecheckInterval })},
	{"FLEXWORK_JOB_POLL_INTERVAL", "500ms", "how often idle job workers look for work", dur(func(c *Config) *time.Duration { return &c.JobPollInterval })},
	{"FLEXWORK_PUSH_HEAD_START", "5m", "how long an employer's favourites and a shift's standby list hear of a new or reopened shift before everyone else; 0s tells all at once", dur(func(c *Config) *time.Duration { return &c.PushHeadStart })},
	{"FLEXWORK_NEW_EMPLOYER_TERMS", "PREFUNDED", "funding terms new employers are founded on: PREFUNDED (each hire's wage held in escrow from its funds) or CREDIT (pays by the deadline; staff grant it with setFundingTerms)", str(func(c *Config) *string { return &c.NewEmployerTerms })},
	{"STRIPE_SECRET_KEY", "", "Stripe secret key (sk_…): workers' payouts go out as Stripe Connect transfers; without it no payouts are sent", str(func(c *Config) *string { return &c.StripeSecretKey })},
	{"STRIPE_API_URL", "", "another address for Stripe's API (tests point it at a fake); empty: Stripe's", str(func(c *Config) *string { return &c.StripeAPIURL })},
	{"STRIPE_WEBHOOK_SECRET", "", "Stripe webhook signing secret (whsec_…) of the endpoint /webhooks/funding: with STRIPE_SECRET_KEY, employers fund their accounts by card (startFunding), credited when Stripe's payment_intent.succeeded arrives", str(func(c *Config) *string { return &c.StripeWebhookSecret })},
	{"FLEXWORK_FCM_ENDPOINT", "", "FCM-compatible endpoint to push to without credentials (load tests)", str(func(c *Config) *string { return &c.FCMEndpoint })},
	{"SMTP_URL", "", "smtp://user:password@host:587 to send mail (sign-up codes, invitations) through; without it mail goes to the log", str(func(c *Config) *string { return &c.SMTPURL })},
	{"MAIL_FROM", "flexwork <no-reply@flexwork.localhost>", "sender of the mail flexwork sends", str(func(c *Config) *string { return &c.MailFrom })},
	{"FLEXWORK_CLIENT_IP_HEADER", "", "header in which a trusted proxy in front names the client's address (e.g. X-Forwarded-For); rate limits count by it. Empty: the peer's address", str(func(c *Config) *string { return &c.ClientIPHeader })},
	{"FLEXWORK_METRICS_ADDR", "", "serve /metrics on this address too (e.g. 127.0.0.1:9090, for the scraper only)", str(func(c *Config) *string { return &c.MetricsAddr })},
	{"FLEXWORK_METRICS_TOKEN", "", "bearer token /metrics asks for on the public listener; in prod without it /metrics is not public", str(func(c *Config) *string { return &c.MetricsToken })},
	{"FLEXWORK_PPROF", "false", "serve Go's profiler at /debug/pprof/ (measurements only)", boolean(func(c *Config) *bool { return &c.PProf })},
	{"FLEXWORK_SHUTDOWN_TIMEOUT", "20s", "grace period for requests in flight at shutdown", dur(func(c *Config) *time.Duration { return &c.ShutdownTimeout })},
}

// LoadConfig reads the configuration from getenv, then from args (flags of
// the same names in lower case), and checks it.
func LoadConfig(args []string, getenv func(string) string) (Config, error) {
	fs := flag.NewFlagSet("flexwork", flag.ContinueOnError)
	done := ConfigFlags(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	return done()
}

// ConfigFlags adds the configuration flags to fs, with defaults from getenv,
// so that a command can mix them with flags of its own. After fs.Parse, the
// returned function yields the checked Config.
func ConfigFlags(fs *flag.FlagSet, getenv func(string) string) func() (Config, error) {
	flags := map[string]*string{}
	for _, s := range settings {
		v := s.def
		if e := getenv(s.env); e != "" {
			v = e
		}
		flags[s.env] = fs.String(strings.ToLower(s.env), v, s.help)
	}
	return func() (Config, error) {
		var c Config
		var errs []error
		for _, s := range settings {
			if err := s.set(&c, *flags[s.env]); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", s.env, err))
			}
		}
		errs = append(errs, c.check()...)
		return c, errors.Join(errs...)
	}
}

func (c Config) check() []error {
	var errs []error
	if c.Env != "dev" && c.Env != "prod" {
		errs = append(errs, fmt.Errorf("FLEXWORK_ENV: want dev or prod, got %q", c.Env))
	}
	if employer.FundingTermsValidator(employer.FundingTerms(c.NewEmployerTerms)) != nil {
		errs = append(errs, fmt.Errorf("FLEXWORK_NEW_EMPLOYER_TERMS: want PREFUNDED or CREDIT, got %q", c.NewEmployerTerms))
	}
	if c.Auth != "local" && c.Auth != "firebase" {
		errs = append(errs, fmt.Errorf("FLEXWORK_AUTH: want local or firebase, got %q", c.Auth))
	}
	if c.Auth == "firebase" && c.FirebaseProjectID == "" {
		errs = append(errs, errors.New("FIREBASE_PROJECT_ID: required when FLEXWORK_AUTH=firebase"))
	}
	if !c.Dev() && len(c.JWTSecret) < 32 && c.Auth == "local" {
		errs = append(errs, errors.New("FLEXWORK_JWT_SECRET: required in prod, at least 32 bytes"))
	}
	switch c.TrustedDocuments {
	case "", "enforce", "off":
	default:
		errs = append(errs, fmt.Errorf("TRUSTED_DOCUMENTS: want enforce or off, got %q", c.TrustedDocuments))
	}
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("FLEXWORK_PUBLIC_URL: want http(s)://host[:port], got %q", c.PublicURL))
		}
	}
	return errs
}

// Settings describes the configuration variables for help output and the
// README: name, default, meaning.
func Settings() [][3]string {
	out := make([][3]string, len(settings))
	for i, s := range settings {
		out[i] = [3]string{s.env, s.def, s.help}
	}
	return out
}
