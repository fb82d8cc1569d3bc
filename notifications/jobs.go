package notifications

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"entgo.io/ent/dialect"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"

	"flexwork/ent"
	"flexwork/ent/device"
	"flexwork/ent/entdb"
	"flexwork/ent/notification"
	"flexwork/ent/rule"
	"flexwork/ent/schema/enum"
	"flexwork/market"
)

const queuePush = "push"

// PushArgs sends the pushes of up to MaxBatch notifications.
type PushArgs struct {
	IDs []string `json:"ids"`
}

// Kind implements river.JobArgs.
func (PushArgs) Kind() string { return "push" }

// InsertOpts puts pushes on their own queue.
func (PushArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: queuePush} }

type pushWorker struct {
	river.WorkerDefaults[PushArgs]
	s *Service
}

// Work sends the batch's still-pending notifications to every active device
// of their users, disables dead tokens, and marks the notifications pushed,
// completing the job in the same transaction. Killed after sending and
// before that commit, the job runs again: only this batch repeats. Pushes
// refused for now (429, 5xx) are tried again after Retry-After.
func (w *pushWorker) Work(ctx context.Context, job *river.Job[PushArgs]) error {
	s := w.s
	sys := rule.System(ctx)
	notes, err := s.db.Notification.Query().
		Where(notification.IDIn(job.Args.IDs...), notification.PushStatusEQ(notification.PushStatusPENDING)).All(sys)
	if err != nil || len(notes) == 0 {
		return err
	}
	users := make([]string, 0, len(notes))
	for _, n := range notes {
		users = append(users, n.UserID)
	}
	devices, err := s.db.Device.Query().Where(device.UserIDIn(users...), device.DisabledAtIsNil()).All(sys)
	if err != nil {
		return err
	}
	byUser := map[string][]*ent.Device{}
	for _, d := range devices {
		byUser[d.UserID] = append(byUser[d.UserID], d)
	}
	type target struct {
		note *ent.Notification
		dev  *ent.Device
	}
	var (
		targets []target
		pushes  []Push
	)
	for _, n := range notes {
		for _, d := range byUser[n.UserID] {
			targets = append(targets, target{n, d})
			pushes = append(pushes, Push{Token: d.Token, Title: n.Title, Body: n.Body,
				Data: map[string]string{"notificationID": n.ID, "category": string(n.Category), "subjectID": n.SubjectID}})
		}
	}
	outcomes := make([]Outcome, 0, len(pushes))
	for start := 0; start < len(pushes); start += MaxBatch {
		out, err := s.sender.Send(ctx, pushes[start:min(start+MaxBatch, len(pushes))])
		if err != nil {
			return fmt.Errorf("push: %w", err)
		}
		outcomes = append(outcomes, out...)
	}
	if err := ctx.Err(); err != nil {
		// Stopped mid-batch: record nothing, so the whole batch runs again.
		return err
	}
	var (
		sent, retry   = map[string]bool{}, map[string]bool{}
		gone          []string
		wait          time.Duration
		gaveUp        = map[string]bool{}
		permanentErrs int
	)
	for i, o := range outcomes {
		n := targets[i].note.ID
		switch {
		case o.Sent:
			sent[n] = true
		case o.Gone:
			gone = append(gone, targets[i].dev.ID)
			s.log.InfoContext(ctx, "push token is dead; device disabled", "token", ShortToken(targets[i].dev.Token), "err", o.Err)
		case o.Retry:
			retry[n] = true
			wait = max(wait, o.RetryAfter)
		default:
			gaveUp[n] = true
			permanentErrs++
		}
	}
	now := s.now().UTC()
	err = entdb.InTx(sys, s.db.Client, func(ctx context.Context, c *ent.Client) error {
		if len(gone) > 0 {
			if err := c.Device.Update().Where(device.IDIn(gone...)).
				SetDisabledAt(now).SetDisabledReason("UNREGISTERED").Exec(ctx); err != nil {
				return err
			}
		}
		var done, failed, noDevice []string
		for _, n := range notes {
			switch {
			case retry[n.ID]: // stays pending for the next attempt
			case sent[n.ID]:
				done = append(done, n.ID)
			case gaveUp[n.ID]:
				failed = append(failed, n.ID)
			default: // no device left to push to
				noDevice = append(noDevice, n.ID)
			}
		}
		for status, ids := range map[notification.PushStatus][]string{
			notification.PushStatusSENT: done, notification.PushStatusFAILED: failed, notification.PushStatusSKIPPED_NO_DEVICE: noDevice,
		} {
			if len(ids) == 0 {
				continue
			}
			up := c.Notification.Update().Where(notification.IDIn(ids...), notification.PushStatusEQ(notification.PushStatusPENDING)).
				SetPushStatus(status)
			if status == notification.PushStatusSENT {
				up.SetPushedAt(now)
			}
			if err := up.Exec(ctx); err != nil {
				return err
			}
		}
		if len(retry) > 0 {
			return nil // the job snoozes below and completes on a later run
		}
		return completeTx(ctx, s.db.Dialect, entdb.SQLTx(ctx), job)
	})
	if err != nil {
		return err
	}
	if len(retry) > 0 {
		if wait <= 0 {
			wait = time.Duration(min(job.Attempt, 6)) * 2 * time.Second // backoff when FCM gives no Retry-After
		}
		s.log.WarnContext(ctx, "push throttled; retrying", "notifications", len(retry), "after", wait.String())
		return river.JobSnooze(wait)
	}
	if permanentErrs > 0 {
		s.log.WarnContext(ctx, "push failed", "pushes", permanentErrs)
	}
	return nil
}

// completeTx completes a job in the same transaction as its work.
func completeTx[A river.JobArgs](ctx context.Context, d string, tx *sql.Tx, job *river.Job[A]) error {
	var err error
	if d == dialect.SQLite {
		_, err = river.JobCompleteTx[*riversqlite.Driver](ctx, tx, job)
	} else {
		_, err = river.JobCompleteTx[*riverdatabasesql.Driver](ctx, tx, job)
	}
	return err
}

// FanOutArgs announces a shift to the workers it suits: newly published
// (Round 0), or again, Why it is (Round: when, one fan-out per time). Tier narrows it to those told first or to the rest; empty,
// it is everyone at once.
type FanOutArgs struct {
	ShiftID string `json:"shiftID"`
	Round   int64  `json:"round,omitempty"`
	Why     string `json:"why,omitempty"`
	Tier    string `json:"tier,omitempty"`
}

// Why a shift is announced again.
const (
	AnnounceReopened = "reopened" // a cancelled hire freed a slot
	AnnounceBoosted  = "boosted"  // its pay was raised
)

// The fan-out's tiers.
const (
	TierFirst = "first" // the employer's favourites and the standby list
	TierRest  = "rest"  // everyone else, after the head start
)

// Kind implements river.JobArgs.
func (FanOutArgs) Kind() string { return "fan_out_shift" }

// InsertOpts makes one fan-out per shift, round and tier.
func (FanOutArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

type fanOutWorker struct {
	river.WorkerDefaults[FanOutArgs]
	s *Service
}

// Timeout allows a city-wide fan-out its time.
func (w *fanOutWorker) Timeout(*river.Job[FanOutArgs]) time.Duration { return 10 * time.Minute }

// Work writes a notification to every recipient of its tier — favourites
// and standby first, then by match score — and the push batches, in one
// transaction that also completes the job: a fan-out happens entirely,
// once, or not at all.
func (w *fanOutWorker) Work(ctx context.Context, job *river.Job[FanOutArgs]) error {
	s, a := w.s, job.Args
	list := s.market.Recipients
	if a.Tier == TierFirst {
		list = s.market.FirstRecipients // the head alone, without screening the city
	}
	all, err := list(ctx, a.ShiftID)
	if err != nil {
		return err
	}
	var recipients []market.Recipient
	for _, r := range all {
		if a.Tier == "" || (a.Tier == TierFirst) == r.First() {
			recipients = append(recipients, r)
		}
	}
	sh, err := s.db.Shift.Get(rule.System(ctx), a.ShiftID)
	if err != nil {
		return err
	}
	users := make([]string, len(recipients))
	for i, r := range recipients {
		users[i] = r.UserID
	}
	langs, err := languages(ctx, s.db.Client, users)
	if err != nil {
		return err
	}
	dedupe := "shift_published:" + sh.ID + ":"
	if a.Round != 0 {
		dedupe = fmt.Sprintf("shift_%s:%s:%d:", a.Why, sh.ID, a.Round)
	}
	texts := map[string][2]string{} // per language: the same for every reader of it
	notices := make([]notice, len(recipients))
	for i, r := range recipients {
		lang := langs[r.UserID]
		t, ok := texts[lang]
		if !ok {
			t = shiftPush(sh, lang, a.Why)
			texts[lang] = t
		}
		notices[i] = notice{UserID: r.UserID, Category: enum.CategoryShiftPublished,
			Title: t[0], Body: t[1], SubjectID: sh.ID, Dedupe: dedupe + r.UserID}
	}
	return entdb.InTx(rule.System(ctx), s.db.Client, func(ctx context.Context, c *ent.Client) error {
		if _, err := s.notify(ctx, c, notices); err != nil {
			return err
		}
		return completeTx(ctx, s.db.Dialect, entdb.SQLTx(ctx), job)
	})
}

// ExpireOfferArgs expires an offer at its expiry (and any other due then).
type ExpireOfferArgs struct {
	OfferID string `json:"offerID"`
}

// Kind implements river.JobArgs.
func (ExpireOfferArgs) Kind() string { return "expire_offer" }

type expireOfferWorker struct {
	river.WorkerDefaults[ExpireOfferArgs]
	s *Service
}

func (w *expireOfferWorker) Work(ctx context.Context, _ *river.Job[ExpireOfferArgs]) error {
	_, err := w.s.market.ExpireOffers(ctx)
	return err
}

// WarnOfferArgs warns a worker that their offer expires soon.
type WarnOfferArgs struct {
	OfferID string `json:"offerID"`
}

// Kind implements river.JobArgs.
func (WarnOfferArgs) Kind() string { return "warn_offer" }

type warnOfferWorker struct {
	river.WorkerDefaults[WarnOfferArgs]
	s *Service
}

func (w *warnOfferWorker) Work(ctx context.Context, job *river.Job[WarnOfferArgs]) error {
	return w.s.market.WarnExpiringOffer(ctx, job.Args.OfferID)
}

// RemindArgs reminds a hired worker of their shift.
type RemindArgs struct {
	AssignmentID string `json:"assignmentID"`
}

// Kind implements river.JobArgs.
func (RemindArgs) Kind() string { return "remind_assignment" }

type remindWorker struct {
	river.WorkerDefaults[RemindArgs]
	s *Service
}

func (w *remindWorker) Work(ctx context.Context, job *river.Job[RemindArgs]) error {
	return w.s.market.RemindAssignment(ctx, job.Args.AssignmentID)
}

// SweepArgs runs the market's timed transitions.
type SweepArgs struct{}

// Kind implements river.JobArgs.
func (SweepArgs) Kind() string { return "sweep" }

// InsertOpts keeps one sweep at a time, queued or running: two sweeps
// updating the same rows in bulk could deadlock each other.
func (SweepArgs) InsertOpts() river.InsertOpts { return uniqueWhileLive() }

// uniqueWhileLive makes a job unique by its arguments while one is queued,
// running or waiting to retry; once it completed or gave up, another may
// be queued.
func uniqueWhileLive() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
		rivertype.JobStateScheduled, rivertype.JobStateRetryable}}}
}

type sweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	s *Service
}

func (w *sweepWorker) Work(ctx context.Context, _ *river.Job[SweepArgs]) error {
	if err := w.s.market.Sweep(ctx); err != nil {
		return err
	}
	// Payouts whose job gave up (or was lost) are sent again: the provider
	// is asked first, so none is paid twice.
	stale, err := w.s.market.StalePayouts(ctx, stalePayout)
	for _, id := range stale {
		if err := w.s.enqueue(ctx, SendPayoutArgs{PayoutID: id}, nil); err != nil {
			return err
		}
	}
	return err
}

// stalePayout is how long a pending payout may sit untouched before the
// sweep sends it again.
const stalePayout = 10 * time.Minute

// SendPayoutArgs sends a payout to the payment provider and settles it.
type SendPayoutArgs struct {
	PayoutID string `json:"payoutID"`
}

// Kind implements river.JobArgs.
func (SendPayoutArgs) Kind() string { return "send_payout" }

// InsertOpts keeps one job per payout while one is waiting or running.
func (SendPayoutArgs) InsertOpts() river.InsertOpts { return uniqueWhileLive() }

type sendPayoutWorker struct {
	river.WorkerDefaults[SendPayoutArgs]
	s *Service
}

func (w *sendPayoutWorker) Work(ctx context.Context, job *river.Job[SendPayoutArgs]) error {
	return w.s.market.SendPayout(ctx, job.Args.PayoutID)
}

// RefreshCreditArgs rescores everyone as of now, so scores age.
type RefreshCreditArgs struct{}

// Kind implements river.JobArgs.
func (RefreshCreditArgs) Kind() string { return "refresh_credit" }

type refreshCreditWorker struct {
	river.WorkerDefaults[RefreshCreditArgs]
	s *Service
}

func (w *refreshCreditWorker) Timeout(*river.Job[RefreshCreditArgs]) time.Duration { return time.Hour }

func (w *refreshCreditWorker) Work(ctx context.Context, _ *river.Job[RefreshCreditArgs]) error {
	return w.s.market.RefreshCredit(ctx)
}

// CheckpointArgs runs the ledger's sequencer: new entries get their places,
// join its Merkle tree, and a checkpoint is signed (market.Checkpoint).
type CheckpointArgs struct{}

// Kind implements river.JobArgs.
func (CheckpointArgs) Kind() string { return "ledger_checkpoint" }

type checkpointWorker struct {
	river.WorkerDefaults[CheckpointArgs]
	s *Service
}

func (w *checkpointWorker) Work(ctx context.Context, _ *river.Job[CheckpointArgs]) error {
	_, err := w.s.market.Checkpoint(ctx)
	return err
}

// EnrolCoverArgs enrols a new hire in the cover flexwork pays for.
type EnrolCoverArgs struct {
	AssignmentID string `json:"assignmentID"`
}

// Kind implements river.JobArgs.
func (EnrolCoverArgs) Kind() string { return "enrol_cover" }

// InsertOpts keeps one job per hire while one is waiting or running.
func (EnrolCoverArgs) InsertOpts() river.InsertOpts { return uniqueWhileLive() }

type enrolCoverWorker struct {
	river.WorkerDefaults[EnrolCoverArgs]
	s *Service
}

func (w *enrolCoverWorker) Work(ctx context.Context, job *river.Job[EnrolCoverArgs]) error {
	return w.s.market.EnrolCover(ctx, job.Args.AssignmentID)
}

// CancelCoverArgs cancels the cover of a hire that ended unworked.
type CancelCoverArgs struct {
	AssignmentID string `json:"assignmentID"`
}

// Kind implements river.JobArgs.
func (CancelCoverArgs) Kind() string { return "cancel_cover" }

// InsertOpts keeps one job per hire while one is waiting or running.
func (CancelCoverArgs) InsertOpts() river.InsertOpts { return uniqueWhileLive() }

type cancelCoverWorker struct {
	river.WorkerDefaults[CancelCoverArgs]
	s *Service
}

func (w *cancelCoverWorker) Work(ctx context.Context, job *river.Job[CancelCoverArgs]) error {
	return w.s.market.CancelCover(ctx, job.Args.AssignmentID)
}
