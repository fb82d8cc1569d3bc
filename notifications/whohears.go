package notifications

import (
	"fmt"
	"strings"
	"time"

	"flexwork/ent/schema/enum"
	"flexwork/i18n"
	"flexwork/market"
)

// Party is whom an event concerns.
type Party string

// The parties.
const (
	Worker   Party = "worker"   // the worker the event is about
	Employer Party = "employer" // the owners and managers of the employer it is about
	Staff    Party = "staff"    // every member of staff
	Named    Party = "named"    // the user the event names: a reporter
)

// Heard is one party's notice of an event: it goes to their inbox and is
// pushed to their devices unless their settings say otherwise (quiet hours
// defer it, an opted-out category skips it). Its texts are the messages
// notice.<Key>.title and .body (i18n/messages), in the reader's language,
// with {{.Title}} the event's title (a shift's, an employer's name) and
// {{.When}} its day.
type Heard struct {
	To       Party
	Category enum.NotificationCategory
	Key      string
}

func (h Heard) text(e market.Event, lang string) (string, string) {
	data := map[string]any{"Title": e.Title, "When": i18n.Date(lang, e.When.UTC())}
	body := ""
	if id := "notice." + h.Key + ".body"; i18n.Has(id) {
		body = i18n.T(lang, id, data)
	}
	return i18n.T(lang, "notice."+h.Key+".title", data), body
}

// WhoHears is every event × every party it concerns: the one table the
// inboxes follow, and the README's (TestTheREADMESaysWhoHearsWhat). The
// user who made a change is not told of it. Invitations are told to the
// invitee by invited(), by mail as well; who hears what live is liveTopic's.
var WhoHears = map[market.EventKind][]Heard{
	market.OfferCreated:      {{Worker, enum.CategoryOffer, "offer_created.worker"}},
	market.OfferExpiringSoon: {{Worker, enum.CategoryOffer, "offer_expiring_soon.worker"}},
	market.OfferRevoked:      {{Worker, enum.CategoryOffer, "offer_revoked.worker"}},
	market.OfferExpired: {
		{Worker, enum.CategoryOffer, "offer_expired.worker"},
		{Employer, enum.CategoryOffer, "offer_expired.employer"},
	},
	market.OfferDeclined:        {{Employer, enum.CategoryOffer, "offer_declined.employer"}},
	market.ApplicationCreated:   {{Employer, enum.CategoryApplication, "application_created.employer"}},
	market.ApplicationWithdrawn: {{Employer, enum.CategoryApplication, "application_withdrawn.employer"}},
	market.ApplicationRejected:  {{Worker, enum.CategoryApplication, "application_rejected.worker"}},
	market.AssignmentCreated:    {{Employer, enum.CategoryApplication, "assignment_created.employer"}},
	market.AssignmentReminder:   {{Worker, enum.CategoryReminder, "assignment_reminder.worker"}},
	market.AssignmentCancelled: {
		{Worker, enum.CategoryReminder, "assignment_cancelled.worker"},
		{Employer, enum.CategoryReminder, "assignment_cancelled.employer"},
	},
	market.AssignmentNoShow:   {{Worker, enum.CategoryReminder, "assignment_no_show.worker"}},
	market.TimesheetApproved:  {{Worker, enum.CategoryTimesheet, "timesheet_approved.worker"}},
	market.TimesheetDisputed:  {{Employer, enum.CategoryTimesheet, "timesheet_disputed.employer"}},
	market.PaymentMarked:      {{Worker, enum.CategoryPayment, "payment_marked.worker"}},
	market.PaymentNotReceived: {{Employer, enum.CategoryPayment, "payment_not_received.employer"}},
	market.PaymentOverdue: {
		{Worker, enum.CategoryPayment, "payment_overdue.worker"},
		{Employer, enum.CategoryPayment, "payment_overdue.employer"},
	},
	market.ReviewRequested: {
		{Worker, enum.CategoryReview, "review_requested.worker"},
		{Employer, enum.CategoryReview, "review_requested.employer"},
	},
	market.ReviewReported:         {{Staff, enum.CategoryReview, "review_reported.staff"}},
	market.CertificationSubmitted: {{Staff, enum.CategoryCertification, "certification_submitted.staff"}},
	market.CertificationVerified:  {{Worker, enum.CategoryCertification, "certification_verified.worker"}},
	market.CertificationRejected:  {{Worker, enum.CategoryCertification, "certification_rejected.worker"}},
	market.CertificationExpiring:  {{Worker, enum.CategoryCertification, "certification_expiring.worker"}},
	market.CertificationExpired:   {{Worker, enum.CategoryCertification, "certification_expired.worker"}},
	market.CertificationRevoked:   {{Worker, enum.CategoryCertification, "certification_revoked.worker"}},
	market.MemberJoined:           {{Employer, enum.CategoryAccount, "member_joined.employer"}},
	market.InvitationDeclined:     {{Employer, enum.CategoryAccount, "invitation_declined.employer"}},
	market.CreditChanged: {
		{Worker, enum.CategoryCredit, "credit_changed.worker"},
		{Employer, enum.CategoryCredit, "credit_changed.employer"},
	},
	market.CheckOutMissed: {
		{Worker, enum.CategoryTimesheet, "check_out_missed.worker"},
		{Employer, enum.CategoryTimesheet, "check_out_missed.employer"},
	},
	market.TimeClaimed:         {{Employer, enum.CategoryTimesheet, "time_claimed.employer"}},
	market.RoleChanged:         {{Named, enum.CategoryAccount, "role_changed.named"}},
	market.MemberRemoved:       {{Named, enum.CategoryAccount, "member_removed.named"}},
	market.MemberLeft:          {{Employer, enum.CategoryAccount, "member_left.employer"}},
	market.ReviewReportDecided: {{Named, enum.CategoryReview, "review_report_decided.named"}},
	market.CreditDisputeOpened: {
		{Staff, enum.CategoryCredit, "credit_dispute_opened.staff"},
		{Worker, enum.CategoryCredit, "credit_dispute_opened.worker"},
		{Employer, enum.CategoryCredit, "credit_dispute_opened.employer"},
	},
	market.CreditDisputeAnswered:       {{Staff, enum.CategoryCredit, "credit_dispute_answered.staff"}},
	market.TimesheetCorrectionProposed: {{Employer, enum.CategoryTimesheet, "timesheet_correction_proposed.employer"}},
	market.TimesheetEscalated: {
		{Staff, enum.CategoryTimesheet, "timesheet_escalated.staff"},
		{Worker, enum.CategoryTimesheet, "timesheet_escalated.worker"},
		{Employer, enum.CategoryTimesheet, "timesheet_escalated.employer"},
	},
	market.TimesheetDecided: {
		{Worker, enum.CategoryTimesheet, "timesheet_decided.worker"},
		{Employer, enum.CategoryTimesheet, "timesheet_decided.employer"},
	},
	market.CancellationFeeOwed: {
		{Worker, enum.CategoryTimesheet, "cancellation_fee_owed.worker"},
		{Employer, enum.CategoryTimesheet, "cancellation_fee_owed.employer"},
	},
	market.ShiftChanged:      {{Worker, enum.CategoryApplication, "shift_changed.worker"}},
	market.ShiftBoosted:      {{Employer, enum.CategoryOffer, "shift_boosted.employer"}},
	market.BackfillStandby:   {{Employer, enum.CategoryOffer, "backfill_standby.employer"}},
	market.BackfillRoster:    {{Employer, enum.CategoryOffer, "backfill_roster.employer"}},
	market.BackfillMatched:   {{Employer, enum.CategoryOffer, "backfill_matched.employer"}},
	market.BackfillExhausted: {{Employer, enum.CategoryOffer, "backfill_exhausted.employer"}},
	market.PayoutPaid:        {{Worker, enum.CategoryPayment, "payout_paid.worker"}},
	market.PayoutReturned:    {{Worker, enum.CategoryPayment, "payout_returned.worker"}},
	market.CreditDisputeResolved: {
		{Worker, enum.CategoryCredit, "credit_dispute_resolved.worker"},
		{Employer, enum.CategoryCredit, "credit_dispute_resolved.employer"},
	},
}

// Table is WhoHears as the README shows it: every event, who hears it in
// their inbox (and by push), and who hears it live.
func Table() string {
	var b strings.Builder
	b.WriteString("| event | inbox and push | live |\n|---|---|---|\n")
	for _, kind := range market.EventKinds {
		var inbox []string
		for _, h := range WhoHears[kind] {
			t, _ := h.text(market.Event{Title: "…", When: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)}, i18n.English)
			inbox = append(inbox, fmt.Sprintf("%s: %s", h.To, t))
		}
		if kind == market.MemberInvited {
			inbox = append(inbox, "the invitee: Invitation to join … (and a mail)")
		}
		if kind == market.ShiftPublished {
			inbox = append(inbox, "workers nearby who may take it: New shift … (pushes capped per day)")
		}
		live := liveAudience[liveKind(kind)]
		fmt.Fprintf(&b, "| %s | %s | %s |\n", kind, orDash(strings.Join(inbox, "; ")), orDash(live))
	}
	return b.String()
}

// liveAudience names who subscribes to each topic.
var liveAudience = map[string]string{
	"offers":       "the worker (offerEvents)",
	"applications": "the employer's candidates view (applicationEvents)",
	"assignments":  "the employer's live view of the shift (assignmentEvents)",
	"shifts":       "workers nearby (shiftPublished)",
}

func liveKind(k market.EventKind) string {
	topic, _, _ := strings.Cut(liveTopic(market.Event{Kind: k, ID: "x", ShiftID: "x", WorkerID: "x"}), "/")
	return topic
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
