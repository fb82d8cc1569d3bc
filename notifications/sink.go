package notifications

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"flexwork/ent"
	"flexwork/ent/membership"
	"flexwork/ent/rule"
	"flexwork/ent/schema/enum"
	"flexwork/ent/user"
	"flexwork/ent/workerprofile"
	"flexwork/i18n"
	"flexwork/market"
)

// LiveEvent is what travels over the broker: the event, no personal data.
// Subscribers load what it points at under their own privacy rules.
type LiveEvent struct {
	Kind       market.EventKind `json:"kind"`
	ID         string           `json:"id"`
	ShiftID    string           `json:"shiftID,omitempty"`
	WorkerID   string           `json:"workerID,omitempty"`
	EmployerID string           `json:"employerID,omitempty"`
}

// Topics of the broker.
func offersTopic(workerID string) string      { return "offers/" + workerID }
func applicationsTopic(shiftID string) string { return "applications/" + shiftID }
func assignmentsTopic(shiftID string) string  { return "assignments/" + shiftID }

const shiftsTopic = "shifts/published"

// fanOutDelay is how long a new shift's push fan-out waits behind its live
// delivery.
const fanOutDelay = 2 * time.Second

// Emit implements market.EventSink: inbox rows and jobs now, in the change's
// transaction; the live event after it commits.
func (s *Service) Emit(ctx context.Context, c *ent.Client, e market.Event) error {
	if topic := liveTopic(e); topic != "" {
		msg, _ := json.Marshal(LiveEvent{Kind: e.Kind, ID: e.ID, ShiftID: e.ShiftID, WorkerID: e.WorkerID, EmployerID: e.EmployerID})
		s.afterCommit(ctx, func() {
			if err := s.broker.Publish(context.WithoutCancel(ctx), topic, msg); err != nil {
				s.log.WarnContext(ctx, "live event not published", "topic", topic, "err", err)
			}
		})
	}
	now := s.now()
	switch e.Kind {
	case market.ShiftPublished:
		return s.announce(ctx, FanOutArgs{ShiftID: e.ID})
	case market.ShiftReopened:
		return s.announce(ctx, FanOutArgs{ShiftID: e.ID, Round: e.At.Unix(), Why: AnnounceReopened})
	case market.ShiftBoosted:
		if err := s.announce(ctx, FanOutArgs{ShiftID: e.ID, Round: e.At.Unix(), Why: AnnounceBoosted}); err != nil {
			return err
		}
	case market.OfferCreated:
		if warn := e.When.Add(-5 * time.Minute); warn.After(now) {
			if err := s.enqueue(ctx, WarnOfferArgs{OfferID: e.ID}, &river.InsertOpts{ScheduledAt: warn}); err != nil {
				return err
			}
		}
		if err := s.enqueue(ctx, ExpireOfferArgs{OfferID: e.ID}, &river.InsertOpts{ScheduledAt: e.When}); err != nil {
			return err
		}
	case market.AssignmentCreated:
		if remind := e.When.Add(-2 * time.Hour); remind.After(now) {
			if err := s.enqueue(ctx, RemindArgs{AssignmentID: e.ID}, &river.InsertOpts{ScheduledAt: remind}); err != nil {
				return err
			}
		}
		if s.market != nil && s.market.Insures() {
			if err := s.enqueue(ctx, EnrolCoverArgs{AssignmentID: e.ID}, nil); err != nil {
				return err
			}
		}
	case market.AssignmentCancelled, market.AssignmentNoShow:
		if s.market != nil && s.market.Insures() {
			if err := s.enqueue(ctx, CancelCoverArgs{AssignmentID: e.ID}, nil); err != nil {
				return err
			}
		}
	case market.MemberInvited:
		return s.invited(ctx, c, e)
	case market.PayoutRequested:
		return s.enqueue(ctx, SendPayoutArgs{PayoutID: e.ID}, nil)
	}
	for _, h := range WhoHears[e.Kind] {
		if err := s.tell(ctx, c, e, h); err != nil {
			return err
		}
	}
	return nil
}

// liveTopic is where subscribers hear about e, if anywhere.
func liveTopic(e market.Event) string {
	switch e.Kind {
	case market.OfferCreated, market.OfferExpiringSoon, market.OfferExpired, market.OfferRevoked,
		market.OfferAccepted, market.OfferDeclined:
		return offersTopic(e.WorkerID)
	case market.ApplicationCreated, market.ApplicationWithdrawn, market.ApplicationRejected, market.ApplicationShortlisted:
		return applicationsTopic(e.ShiftID)
	case market.AssignmentCreated, market.AssignmentCheckedIn, market.AssignmentCheckedOut,
		market.AssignmentNoShow, market.AssignmentCancelled:
		return assignmentsTopic(e.ShiftID)
	case market.ShiftPublished, market.ShiftReopened, market.ShiftBoosted:
		return shiftsTopic
	}
	return ""
}

// announce queues the push fan-out of a shift published, or announced
// again (reopened or boosted, a round per time). Live subscribers hear first: the fan-out screens
// the whole neighbourhood and would compete with them for the CPU, and a
// push a few seconds later is as good. With a head start, the employer's
// favourites and the standby list are told first and everyone else
// headStart later; the later tier screens again, so a slot taken
// meanwhile is not announced to them at all.
func (s *Service) announce(ctx context.Context, args FanOutArgs) error {
	at := s.now().Add(fanOutDelay)
	if s.headStart <= 0 {
		return s.enqueue(ctx, args, &river.InsertOpts{ScheduledAt: at})
	}
	first, rest := args, args
	first.Tier, rest.Tier = TierFirst, TierRest
	if err := s.enqueue(ctx, first, &river.InsertOpts{ScheduledAt: at}); err != nil {
		return err
	}
	return s.enqueue(ctx, rest, &river.InsertOpts{ScheduledAt: at.Add(s.headStart)})
}

// afterCommit runs fn once the transaction in ctx commits, or now when there
// is none.
func (s *Service) afterCommit(ctx context.Context, fn func()) {
	tx := ent.TxFromContext(ctx)
	if tx == nil {
		fn()
		return
	}
	tx.OnCommit(func(next ent.Committer) ent.Committer {
		return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
			err := next.Commit(ctx, tx)
			if err == nil {
				fn()
			}
			return err
		})
	})
}

// invited tells an invitee: in their inbox when the address has an
// account, and by mail to the address either way (queued in the change's
// transaction) — in their language when they have an account, else in the
// inviter's.
func (s *Service) invited(ctx context.Context, c *ent.Client, e market.Event) error {
	lang := i18n.Language(ctx)
	body := "mail.invitation.body_new"
	if e.UserID != "" {
		langs, err := languages(ctx, c, []string{e.UserID})
		if err != nil {
			return err
		}
		lang, body = langs[e.UserID], "mail.invitation.body_member"
		data := map[string]any{"Title": e.Title}
		if _, err := s.notify(ctx, c, []notice{{UserID: e.UserID, Category: enum.CategoryAccount,
			Title: i18n.T(lang, "notice.member_invited.named.title", data), Body: i18n.T(lang, "notice.member_invited.named.body", data),
			SubjectID: e.ID, Dedupe: fmt.Sprintf("%s:%s", e.Kind, e.ID)}}); err != nil {
			return err
		}
	}
	data := map[string]any{"Title": e.Title, "Role": i18n.T(lang, "role."+e.Detail, nil), "When": i18n.Date(lang, e.When.UTC())}
	return s.QueueMail(ctx, Mail{To: e.Email, Subject: i18n.T(lang, "mail.invitation.subject", data), Body: i18n.T(lang, body, data)})
}

// tell writes h's notice to the inbox of everyone of h's party, but the
// user who made the change.
func (s *Service) tell(ctx context.Context, c *ent.Client, e market.Event, h Heard) error {
	users, err := s.party(ctx, c, e, h.To)
	if err != nil {
		return err
	}
	langs, err := languages(ctx, c, users)
	if err != nil {
		return err
	}
	var notices []notice
	for _, u := range users {
		if u == e.By {
			continue
		}
		title, body := h.text(e, langs[u])
		notices = append(notices, notice{UserID: u, Category: h.Category, Title: title, Body: body, SubjectID: e.ID,
			Dedupe: fmt.Sprintf("%s:%s:%s", e.Kind, e.ID, u)})
	}
	_, err = s.notify(ctx, c, notices)
	return err
}

// languages is the language each user reads, by ID.
func languages(ctx context.Context, c *ent.Client, users []string) (map[string]string, error) {
	out := make(map[string]string, len(users))
	if len(users) == 0 {
		return out, nil
	}
	for start := 0; start < len(users); start += 1000 { // a fan-out may reach tens of thousands
		rows, err := c.User.Query().Where(user.IDIn(users[start:min(start+1000, len(users))]...)).
			Select(user.FieldID, user.FieldLocale).All(rule.System(ctx))
		if err != nil {
			return nil, err
		}
		for _, u := range rows {
			out[u.ID] = i18n.Match(u.Locale)
		}
	}
	return out, nil
}

// party is the users of a party of e.
func (s *Service) party(ctx context.Context, c *ent.Client, e market.Event, p Party) ([]string, error) {
	sys := rule.System(ctx)
	switch p {
	case Worker:
		if e.WorkerID == "" {
			return nil, nil
		}
		return c.WorkerProfile.Query().Where(workerprofile.ID(e.WorkerID)).Select(workerprofile.FieldUserID).Strings(sys)
	case Employer:
		if e.EmployerID == "" {
			return nil, nil
		}
		return c.Membership.Query().Where(membership.EmployerID(e.EmployerID),
			membership.RoleIn(membership.RoleOWNER, membership.RoleMANAGER)).Select(membership.FieldUserID).Strings(sys)
	case Staff:
		return c.User.Query().Where(user.IsStaff(true), user.DisabledAtIsNil()).IDs(sys)
	case Named:
		if e.UserID == "" {
			return nil, nil
		}
		return []string{e.UserID}, nil
	}
	return nil, fmt.Errorf("notifications: no party %q", p)
}

// shiftPush is the title and body of a new shift's push in lang: its
// title, then its day, times and pay.
func shiftPush(s *ent.Shift, lang, why string) [2]string {
	loc := location(s.TimeZone)
	data := map[string]any{"Title": s.Title, "Day": i18n.ShortDay{T: s.StartsAt, Loc: loc},
		"From": i18n.Clock{T: s.StartsAt, Loc: loc}, "To": i18n.Clock{T: s.EndsAt, Loc: loc},
		"Pay": market.FormatMoney(s.PayRate+s.Boost, s.Currency)}
	key := "notice.shift_published.worker"
	switch why {
	case AnnounceReopened:
		key = "notice.shift_reopened.worker"
	case AnnounceBoosted:
		key = "notice.shift_boosted.worker"
	}
	return [2]string{i18n.T(lang, key+".title", data), i18n.T(lang, key+".body", data)}
}
