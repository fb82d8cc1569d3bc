package notifications

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"flexwork/ent"
	"flexwork/ent/membership"
	"flexwork/ent/rule"
	"flexwork/ent/schema/enum"
	"flexwork/ent/workerprofile"
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
		// Live subscribers first: the fan-out screens the whole
		// neighbourhood and would compete with them for the CPU; a push a
		// few seconds later is as good.
		return s.enqueue(ctx, FanOutArgs{ShiftID: e.ID}, &river.InsertOpts{ScheduledAt: now.Add(fanOutDelay)})
	case market.OfferCreated:
		if warn := e.When.Add(-5 * time.Minute); warn.After(now) {
			if err := s.enqueue(ctx, WarnOfferArgs{OfferID: e.ID}, &river.InsertOpts{ScheduledAt: warn}); err != nil {
				return err
			}
		}
		if err := s.enqueue(ctx, ExpireOfferArgs{OfferID: e.ID}, &river.InsertOpts{ScheduledAt: e.When}); err != nil {
			return err
		}
		return s.toWorker(ctx, c, e, enum.CategoryOffer, "New offer: "+e.Title, "Accept it before it expires.")
	case market.OfferExpiringSoon:
		return s.toWorker(ctx, c, e, enum.CategoryOffer, "Your offer expires in 5 minutes", "Accept or decline it now.")
	case market.OfferRevoked:
		return s.toWorker(ctx, c, e, enum.CategoryOffer, "An offer was withdrawn", "The employer withdrew it or the shift filled up.")
	case market.OfferExpired:
		return s.toWorker(ctx, c, e, enum.CategoryOffer, "An offer expired", "")
	case market.ApplicationCreated:
		return s.toManagers(ctx, c, e, enum.CategoryApplication, "New applicant for "+e.Title, "Review candidates in the app.")
	case market.ApplicationRejected:
		return s.toWorker(ctx, c, e, enum.CategoryApplication, "Your application was not successful", "")
	case market.AssignmentCreated:
		if remind := e.When.Add(-2 * time.Hour); remind.After(now) {
			if err := s.enqueue(ctx, RemindArgs{AssignmentID: e.ID}, &river.InsertOpts{ScheduledAt: remind}); err != nil {
				return err
			}
		}
		return s.toManagers(ctx, c, e, enum.CategoryApplication, "Hired for "+e.Title, "A worker accepted your offer; sign the contract.")
	case market.AssignmentReminder:
		return s.toWorker(ctx, c, e, enum.CategoryReminder, e.Title+" starts in 2 hours", "Check in when you arrive.")
	case market.AssignmentCancelled:
		return s.toWorker(ctx, c, e, enum.CategoryReminder, "A shift was cancelled: "+e.Title, "")
	case market.TimesheetApproved:
		return s.toWorker(ctx, c, e, enum.CategoryTimesheet, "Timesheet approved", "Payment is due within 7 days.")
	case market.PaymentMarked:
		return s.toWorker(ctx, c, e, enum.CategoryPayment, "Payment marked as made", "Confirm it when the money arrives, or tell the employer it did not.")
	case market.PaymentNotReceived:
		return s.toManagers(ctx, c, e, enum.CategoryPayment, "A worker says a payment did not arrive",
			"Check the transfer, pay again if need be, and mark it paid.")
	case market.PaymentOverdue:
		return s.toWorker(ctx, c, e, enum.CategoryPayment, "A payment is overdue", "The employer has been flagged.")
	case market.ReviewRequested:
		body := "Rate it within 14 days; reviews stay hidden until both sides have written theirs."
		if err := s.toWorker(ctx, c, e, enum.CategoryReview, "How was "+e.Title+"?", body); err != nil {
			return err
		}
		return s.toManagers(ctx, c, e, enum.CategoryReview, "Review your worker for "+e.Title, body)
	case market.CertificationVerified:
		return s.toWorker(ctx, c, e, enum.CategoryCertification, "Certificate verified: "+e.Title, "Shifts that require it are open to you now.")
	case market.CertificationRejected:
		return s.toWorker(ctx, c, e, enum.CategoryCertification, "Certificate not accepted: "+e.Title, "See the reason in the app and upload it again.")
	case market.CertificationExpiring:
		return s.toWorker(ctx, c, e, enum.CategoryCertification, e.Title+" expires on "+e.When.Format("2 Jan 2006"), "Upload the renewed certificate in time.")
	case market.CertificationExpired:
		return s.toWorker(ctx, c, e, enum.CategoryCertification, "Certificate expired: "+e.Title, "Upload the renewed certificate to keep shifts that require it.")
	case market.CertificationRevoked:
		return s.toWorker(ctx, c, e, enum.CategoryCertification, "Certificate revoked: "+e.Title, "See the reason in the app.")
	case market.MemberInvited:
		return s.invited(ctx, c, e)
	case market.MemberJoined:
		return s.toManagers(ctx, c, e, enum.CategoryAccount, "A new member joined "+e.Title, "They accepted your invitation.")
	case market.InvitationDeclined:
		return s.toManagers(ctx, c, e, enum.CategoryAccount, "An invitation to "+e.Title+" was declined", "")
	case market.CreditDisputeResolved:
		if e.WorkerID != "" {
			if err := s.toWorker(ctx, c, e, enum.CategoryCredit, "A credit dispute was resolved", "See the decision in your credit report."); err != nil {
				return err
			}
		}
		if e.EmployerID != "" {
			return s.toManagers(ctx, c, e, enum.CategoryCredit, "A credit dispute was resolved", "See the decision in your credit report.")
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
	case market.ShiftPublished:
		return shiftsTopic
	}
	return ""
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
// transaction).
func (s *Service) invited(ctx context.Context, c *ent.Client, e market.Event) error {
	role := strings.ToLower(e.Detail)
	subject := "You are invited to join " + e.Title + " on flexwork"
	body := fmt.Sprintf("You are invited to join %s on flexwork as %s %s.\n\n", e.Title, article(role), role)
	if e.UserID != "" {
		if _, err := s.notify(ctx, c, []notice{{UserID: e.UserID, Category: enum.CategoryAccount, Title: "Invitation to join " + e.Title,
			Body: "Accept or decline it in the app.", SubjectID: e.ID, Dedupe: fmt.Sprintf("%s:%s", e.Kind, e.ID)}}); err != nil {
			return err
		}
		body += "Open the flexwork app to accept or decline it"
	} else {
		body += "Sign up in the flexwork app with this e-mail address to accept it"
	}
	body += fmt.Sprintf(" before %s. If you do not know %s, ignore this mail.\n", e.When.UTC().Format("2 Jan 2006"), e.Title)
	return s.QueueMail(ctx, Mail{To: e.Email, Subject: subject, Body: body})
}

func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}

// toWorker notifies the worker an event concerns.
func (s *Service) toWorker(ctx context.Context, c *ent.Client, e market.Event, cat enum.NotificationCategory, title, body string) error {
	userID, err := c.WorkerProfile.Query().Where(workerprofile.ID(e.WorkerID)).
		Select(workerprofile.FieldUserID).String(rule.System(ctx))
	if err != nil {
		return err
	}
	_, err = s.notify(ctx, c, []notice{{UserID: userID, Category: cat, Title: title, Body: body, SubjectID: e.ID,
		Dedupe: fmt.Sprintf("%s:%s:%s", e.Kind, e.ID, userID)}})
	return err
}

// toManagers notifies the owners and managers of the employer an event
// concerns.
func (s *Service) toManagers(ctx context.Context, c *ent.Client, e market.Event, cat enum.NotificationCategory, title, body string) error {
	users, err := c.Membership.Query().Where(membership.EmployerID(e.EmployerID),
		membership.RoleIn(membership.RoleOWNER, membership.RoleMANAGER)).
		Select(membership.FieldUserID).Strings(rule.System(ctx))
	if err != nil {
		return err
	}
	notices := make([]notice, len(users))
	for i, u := range users {
		notices[i] = notice{UserID: u, Category: cat, Title: title, Body: body, SubjectID: e.ID,
			Dedupe: fmt.Sprintf("%s:%s:%s", e.Kind, e.ID, u)}
	}
	_, err = s.notify(ctx, c, notices)
	return err
}

// shiftLine is a one-line summary of a shift for a push.
func shiftLine(s *ent.Shift) string {
	loc := location(s.TimeZone)
	return fmt.Sprintf("%s, %s–%s · %s", s.StartsAt.In(loc).Format("Mon 2 Jan"), s.StartsAt.In(loc).Format("15:04"),
		s.EndsAt.In(loc).Format("15:04"), market.FormatMoney(s.PayRate, s.Currency))
}
