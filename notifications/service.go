package notifications

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"flexwork/ent/entdb"
	"flexwork/market"
)

// Config tunes the job queue.
type Config struct {
	// PollInterval is how often idle job workers look for work.
	PollInterval time.Duration
	// PushWorkers is how many push batches are sent at once.
	PushWorkers int
	// SweepEvery is how often the market's timed transitions run.
	SweepEvery time.Duration
	// CheckpointEvery is how often the ledger's new entries are added to
	// its Merkle tree under a signed checkpoint (5 s by default).
	CheckpointEvery time.Duration
	// RetryDelay, when set, replaces River's exponential retry backoff
	// (tests make it short).
	RetryDelay time.Duration
	// PushHeadStart is how long the employer's favourites and a shift's
	// standby list hear of it before everyone else; 0 tells all at once.
	PushHeadStart time.Duration
}

// Service is the notification side of the server: it hears the market's
// events, keeps inboxes, pushes, runs the job queue and serves live
// subscriptions.
type Service struct {
	db     *entdb.DB
	log    *slog.Logger
	now    func() time.Time
	broker Broker
	sender Sender
	mailer Mailer
	market *market.Market
	jobs   *river.Client[*sql.Tx]
	Live   *Live

	headStart time.Duration
}

// New returns a service; Bind completes it once the market exists.
func New(db *entdb.DB, broker Broker, sender Sender, mailer Mailer, log *slog.Logger, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: db, log: log, now: now, broker: broker, sender: sender, mailer: mailer}
}

// Bind connects the service to the market whose events it hears and sets
// up the job queue (without starting its workers).
func (s *Service) Bind(m *market.Market, cfg Config) error {
	s.market, s.headStart = m, cfg.PushHeadStart
	s.Live = &Live{broker: s.broker, db: s.db.Client, market: m, log: s.log}
	if cfg.PollInterval == 0 {
		cfg.PollInterval = 500 * time.Millisecond
	}
	if cfg.PushWorkers == 0 {
		cfg.PushWorkers = 8
	}
	if cfg.CheckpointEvery == 0 {
		cfg.CheckpointEvery = 5 * time.Second
	}
	if cfg.SweepEvery == 0 {
		cfg.SweepEvery = 15 * time.Second
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &pushWorker{s: s})
	river.AddWorker(workers, &fanOutWorker{s: s})
	river.AddWorker(workers, &expireOfferWorker{s: s})
	river.AddWorker(workers, &warnOfferWorker{s: s})
	river.AddWorker(workers, &remindWorker{s: s})
	river.AddWorker(workers, &sweepWorker{s: s})
	river.AddWorker(workers, &refreshCreditWorker{s: s})
	river.AddWorker(workers, &mailWorker{s: s})
	river.AddWorker(workers, &checkpointWorker{s: s})
	river.AddWorker(workers, &sendPayoutWorker{s: s})
	river.AddWorker(workers, &enrolCoverWorker{s: s})
	river.AddWorker(workers, &cancelCoverWorker{s: s})
	rc := &river.Config{
		Logger:            s.log,
		FetchPollInterval: cfg.PollInterval,
		FetchCooldown:     min(cfg.PollInterval, 100*time.Millisecond),
		Queues: map[string]river.QueueConfig{
			river.QueueDefault: {MaxWorkers: 8},
			queuePush:          {MaxWorkers: cfg.PushWorkers},
		},
		Workers: workers,
		PeriodicJobs: []*river.PeriodicJob{
			river.NewPeriodicJob(river.PeriodicInterval(cfg.SweepEvery),
				func() (river.JobArgs, *river.InsertOpts) { return SweepArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
			river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
				func() (river.JobArgs, *river.InsertOpts) { return RefreshCreditArgs{}, nil }, nil),
			river.NewPeriodicJob(river.PeriodicInterval(cfg.CheckpointEvery),
				func() (river.JobArgs, *river.InsertOpts) { return CheckpointArgs{}, nil }, nil),
		},
		RescueStuckJobsAfter: 2 * time.Minute,
	}
	if cfg.RetryDelay > 0 {
		rc.RetryPolicy = fixedRetry(cfg.RetryDelay)
	}
	client, err := river.NewClient(s.db.RiverDriver(), rc)
	if err != nil {
		return fmt.Errorf("river: %w", err)
	}
	s.jobs = client
	return nil
}

// Start starts the job workers.
func (s *Service) Start(ctx context.Context) error {
	if s.jobs == nil {
		return errors.New("notifications: Bind before Start")
	}
	return s.jobs.Start(ctx)
}

// Stop lets running jobs finish (up to ctx's deadline) and stops the workers.
func (s *Service) Stop(ctx context.Context) error {
	if s.jobs == nil {
		return nil
	}
	return s.jobs.Stop(ctx)
}

// Kill stops the workers at once, cancelling running jobs — as a crash
// would, but tidily (tests).
func (s *Service) Kill(ctx context.Context) error { return s.jobs.StopAndCancel(ctx) }

// enqueue adds a job, in the transaction ctx carries when there is one, so
// the job exists exactly when the change that caused it does.
func (s *Service) enqueue(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error {
	var err error
	if tx := entdb.SQLTx(ctx); tx != nil {
		_, err = s.jobs.InsertTx(ctx, tx, args, opts)
	} else {
		_, err = s.jobs.Insert(ctx, args, opts)
	}
	return err
}

// fixedRetry retries failed jobs after a fixed delay.
type fixedRetry time.Duration

func (f fixedRetry) NextRetry(*rivertype.JobRow) time.Time {
	return time.Now().Add(time.Duration(f))
}

// Subscribers counts this process's live subscriptions.
func (s *Service) Subscribers() int { return s.broker.Subscribers() }

// Close ends every live subscription (at shutdown).
func (s *Service) Close() error { return s.broker.Close() }
