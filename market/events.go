package market

import (
	"context"
	"time"

	"flexwork/ent"
)

// EventKind names something that happened in the marketplace that someone
// should hear about: live on a subscription, in their inbox, by push.
type EventKind string

// Marketplace events.
const (
	ShiftPublished         EventKind = "SHIFT_PUBLISHED"
	ShiftCancelled         EventKind = "SHIFT_CANCELLED"
	ApplicationCreated     EventKind = "APPLICATION_CREATED"
	ApplicationShortlisted EventKind = "APPLICATION_SHORTLISTED"
	ApplicationRejected    EventKind = "APPLICATION_REJECTED"
	ApplicationWithdrawn   EventKind = "APPLICATION_WITHDRAWN"
	OfferCreated           EventKind = "OFFER_CREATED"
	OfferExpiringSoon      EventKind = "OFFER_EXPIRING_SOON"
	OfferAccepted          EventKind = "OFFER_ACCEPTED"
	OfferDeclined          EventKind = "OFFER_DECLINED"
	OfferExpired           EventKind = "OFFER_EXPIRED"
	OfferRevoked           EventKind = "OFFER_REVOKED"
	AssignmentCreated      EventKind = "ASSIGNMENT_CREATED"
	AssignmentCheckedIn    EventKind = "ASSIGNMENT_CHECKED_IN"
	AssignmentCheckedOut   EventKind = "ASSIGNMENT_CHECKED_OUT"
	AssignmentNoShow       EventKind = "ASSIGNMENT_NO_SHOW"
	AssignmentCancelled    EventKind = "ASSIGNMENT_CANCELLED"
	AssignmentReminder     EventKind = "ASSIGNMENT_REMINDER"
	CreditDisputeResolved  EventKind = "CREDIT_DISPUTE_RESOLVED"
	ReviewRequested        EventKind = "REVIEW_REQUESTED"
	CertificationVerified  EventKind = "CERTIFICATION_VERIFIED"
	CertificationRejected  EventKind = "CERTIFICATION_REJECTED"
	CertificationExpiring  EventKind = "CERTIFICATION_EXPIRING"
	CertificationExpired   EventKind = "CERTIFICATION_EXPIRED"
	CertificationRevoked   EventKind = "CERTIFICATION_REVOKED"
	TimesheetApproved      EventKind = "TIMESHEET_APPROVED"
	PaymentMarked          EventKind = "PAYMENT_MARKED"
	PaymentNotReceived     EventKind = "PAYMENT_NOT_RECEIVED"
	PaymentOverdue         EventKind = "PAYMENT_OVERDUE"
	MemberInvited          EventKind = "MEMBER_INVITED"
	MemberJoined           EventKind = "MEMBER_JOINED"
	InvitationDeclined     EventKind = "INVITATION_DECLINED"
	TimesheetDisputed      EventKind = "TIMESHEET_DISPUTED"
	CreditDisputeOpened    EventKind = "CREDIT_DISPUTE_OPENED"
	CertificationSubmitted EventKind = "CERTIFICATION_SUBMITTED"
	ReviewReported         EventKind = "REVIEW_REPORTED"
	CreditChanged          EventKind = "CREDIT_CHANGED"
	CheckOutMissed         EventKind = "CHECK_OUT_MISSED"
	TimeClaimed            EventKind = "TIME_CLAIMED"
	ReviewReportDecided    EventKind = "REVIEW_REPORT_DECIDED"
	RoleChanged            EventKind = "ROLE_CHANGED"
	MemberRemoved          EventKind = "MEMBER_REMOVED"
	MemberLeft             EventKind = "MEMBER_LEFT"
	CreditDisputeAnswered  EventKind = "CREDIT_DISPUTE_ANSWERED"

	TimesheetCorrectionProposed EventKind = "TIMESHEET_CORRECTION_PROPOSED"
	TimesheetEscalated          EventKind = "TIMESHEET_ESCALATED"
	TimesheetDecided            EventKind = "TIMESHEET_DECIDED"
	CancellationFeeOwed         EventKind = "CANCELLATION_FEE_OWED"
	ShiftChanged                EventKind = "SHIFT_CHANGED"
	ShiftReopened               EventKind = "SHIFT_REOPENED"     // a cancelled hire freed a slot of a full shift: announced again
	ShiftBoosted                EventKind = "SHIFT_BOOSTED"      // the pay of hires from now on is raised: announced again
	BackfillStandby             EventKind = "BACKFILL_STANDBY"   // a reopened slot offered to the standby list
	BackfillRoster              EventKind = "BACKFILL_ROSTER"    // … to the employer's favourites
	BackfillMatched             EventKind = "BACKFILL_MATCHED"   // … to the best-matched eligible workers
	BackfillExhausted           EventKind = "BACKFILL_EXHAUSTED" // nobody left to ask
	PayoutRequested             EventKind = "PAYOUT_REQUESTED"   // queued for the provider (a job sends it)
	PayoutPaid                  EventKind = "PAYOUT_PAID"
	PayoutReturned              EventKind = "PAYOUT_RETURNED" // the provider refused it; the money is back in the balance
)

// EventKinds is every kind, in the order above.
var EventKinds = []EventKind{
	ShiftPublished,
	ShiftCancelled,
	ApplicationCreated,
	ApplicationShortlisted,
	ApplicationRejected,
	ApplicationWithdrawn,
	OfferCreated,
	OfferExpiringSoon,
	OfferAccepted,
	OfferDeclined,
	OfferExpired,
	OfferRevoked,
	AssignmentCreated,
	AssignmentCheckedIn,
	AssignmentCheckedOut,
	AssignmentNoShow,
	AssignmentCancelled,
	AssignmentReminder,
	CreditDisputeResolved,
	ReviewRequested,
	CertificationVerified,
	CertificationRejected,
	CertificationExpiring,
	CertificationExpired,
	CertificationRevoked,
	TimesheetApproved,
	PaymentMarked,
	PaymentNotReceived,
	PaymentOverdue,
	MemberInvited,
	MemberJoined,
	InvitationDeclined,
	TimesheetDisputed,
	CreditDisputeOpened,
	CertificationSubmitted,
	ReviewReported,
	CreditChanged,
	CheckOutMissed,
	TimeClaimed,
	ReviewReportDecided,
	RoleChanged,
	MemberRemoved,
	MemberLeft,
	CreditDisputeAnswered,
	TimesheetCorrectionProposed,
	TimesheetEscalated,
	TimesheetDecided,
	CancellationFeeOwed,
	ShiftChanged,
	ShiftReopened,
	ShiftBoosted,
	BackfillStandby,
	BackfillRoster,
	BackfillMatched,
	BackfillExhausted,
	PayoutRequested,
	PayoutPaid,
	PayoutReturned,
}

// Event is one marketplace event. ID is the entity it is about (the offer,
// application, assignment, timesheet or shift); the other IDs say whose it
// is, so that listeners need not look it up to route it.
type Event struct {
	Kind       EventKind
	ID         string
	ShiftID    string
	WorkerID   string
	EmployerID string
	At         time.Time
	// When is the moment the event concerns: an offer's expiry, a shift's start.
	When time.Time
	// Title is the shift's title (or the employer's name), for messages.
	Title string
	// UserID is the user an event concerns directly (an invitee), Email an
	// address to mail when there is no user, Detail anything more a
	// message needs (an invitation's role).
	UserID, Email, Detail string
	// By is the user who made the change, filled in from the request: the
	// parties hear of it, the one who did it does not.
	By string
}

// EventSink hears the market's events. Emit runs inside the transaction of
// the change, with its client: what it writes commits or rolls back with the
// change, and what it announces must wait for the commit.
type EventSink interface {
	Emit(ctx context.Context, c *ent.Client, e Event) error
}

// WithEvents makes the market tell sink what happens.
func WithEvents(sink EventSink) Option { return func(m *Market) { m.events = sink } }

// emit tells the sink, if any, about e.
func (m *Market) emit(ctx context.Context, c *ent.Client, e Event) error {
	if m.events == nil {
		return nil
	}
	if e.At.IsZero() {
		e.At = m.Now()
	}
	if e.By == "" {
		e.By = actor(ctx)
	}
	return m.events.Emit(ctx, c, e)
}
