package market

import (
	"context"
	"log/slog"
	"time"

	"flexwork/ent"
	"flexwork/ent/employer"
	"flexwork/ent/entdb"
	"flexwork/ent/idempotencykey"
	"flexwork/ent/rule"
	"flexwork/ent/viewer"
	"flexwork/market/sealed"
	"flexwork/money"
	"flexwork/storage"
)

// Market runs the marketplace's operations against one database.
type Market struct {
	db      *ent.Client
	dialect string
	now     func() time.Time
	skills  skillCache
	events  EventSink
	store   storage.Store
	// employerCache keeps the employers the feed shows (employercache.go).
	employerCache employerCache
	// reaches size the feed's page query by what a place held (feedreach.go).
	reaches Reaches
	// courses keeps every course's screening facts (course.go).
	courses courseCache
	// log signs the verifiable log's checkpoints (checkpoint.go).
	log *Log
	// newEmployerTerms are the funding terms employers are founded on.
	newEmployerTerms employer.FundingTerms
	// payouts sends workers' payouts (payout.go); nil: none are sent.
	payouts money.PayoutProvider
	// funding takes employers' payments (providerfunding.go); nil: funds
	// come by bank transfer only.
	funding money.FundingProvider
	// sealed seals sensitive values at rest, digestKey keys identity
	// digests, idCheck checks real names (realname.go).
	sealed    *sealed.Box
	digestKey []byte
	idCheck   RealNameChecker
	// insurer enrols platform-paid cover (insurerenrol.go).
	insurer Insurer
	// logger takes what the market notes but does not fail on.
	logger *slog.Logger
	// rankings keeps shifts' ranked applicants (candidateranking.go); nil
	// (a market At another time): ranked on every request.
	rankings *rankings
}

// Option configures a Market.
type Option func(*Market)

// WithClock makes the market read the time from now; tests use it to move
// through offer expiries and review windows without sleeping.
func WithClock(now func() time.Time) Option { return func(m *Market) { m.now = now } }

// WithLogger sends the market's warnings to l (the server's log).
func WithLogger(l *slog.Logger) Option { return func(m *Market) { m.logger = l } }

// New returns a Market over db.
func New(db *entdb.DB, opts ...Option) *Market {
	m := &Market{db: db.Client, dialect: db.Dialect, now: time.Now, newEmployerTerms: employer.FundingTermsPREFUNDED, logger: slog.Default()}
	for _, o := range opts {
		o(m)
	}
	m.rankings = newRankings()
	m.db.Use(m.rankings.rankingHook)
	return m
}

// At returns a market over the same database, events and storage whose
// clock is now: the demo plays a city's past on it. Its caches are its own.
func (m *Market) At(now func() time.Time) *Market {
	return &Market{db: m.db, dialect: m.dialect, now: now, events: m.events, store: m.store, log: m.log,
		newEmployerTerms: m.newEmployerTerms, payouts: m.payouts, funding: m.funding, sealed: m.sealed, digestKey: m.digestKey, idCheck: m.idCheck, logger: m.logger, insurer: m.insurer}
}

// Now is the market's current time, in UTC.
func (m *Market) Now() time.Time { return m.now().UTC() }

// client is the request's transactional client, or the root client.
func (m *Market) client(ctx context.Context) *ent.Client { return entdb.Client(ctx, m.db) }

// cacheFiller returns the client to fill a cache through, and whether
// what it reads may be kept. Inside a transaction it is the transaction's
// own: a second connection from the pool may never come, when every one
// of them is held by a transaction queued behind this one's row locks
// (TestATransactionNeedsOneConnection); and rows read through a
// transaction are not kept, as they belong to it.
func (m *Market) cacheFiller(ctx context.Context) (c *ent.Client, keep bool) {
	c = m.client(ctx)
	return c, c == m.db
}

// inTx runs fn in the request's transaction, or in a new one.
func (m *Market) inTx(ctx context.Context, fn func(ctx context.Context, c *ent.Client) error) error {
	return entdb.InTx(ctx, m.db, fn)
}

// errSignIn is returned to anonymous callers of operations that need a user.
var errSignIn = Errorf(CodeUnauthenticated, "sign in required")

// signedIn returns the viewer or UNAUTHENTICATED.
func signedIn(ctx context.Context) (*viewer.Viewer, error) {
	v := viewer.FromContext(ctx)
	if v == nil {
		return nil, errSignIn
	}
	return v, nil
}

// withViewer returns ctx carrying a copy of v changed by edit, for the rest
// of an operation that has just given the viewer a new identity (a fresh
// worker profile, the ownership of a new employer).
func withViewer(ctx context.Context, v *viewer.Viewer, edit func(*viewer.Viewer)) context.Context {
	c := *v
	c.Roles = make(map[string]viewer.Role, len(v.Roles)+1)
	for k, r := range v.Roles {
		c.Roles[k] = r
	}
	edit(&c)
	return viewer.NewContext(ctx, &c)
}

// IdempotencyWindow is how long the answer to a mutation sent with an
// idempotency key is kept for its retries (the server replays it).
const IdempotencyWindow = 24 * time.Hour

// ForgetIdempotencyKeys deletes the answers older than the window; the sweep
// runs it.
func (m *Market) ForgetIdempotencyKeys(ctx context.Context) (int, error) {
	return m.db.IdempotencyKey.Delete().Where(idempotencykey.CreatedAtLT(m.Now().Add(-IdempotencyWindow))).Exec(rule.System(ctx))
}
