package notifications

import (
	"fmt"
	"strings"
	"time"

	"flexwork/ent/schema/enum"
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
// defer it, an opted-out category skips it). "{title}" in the text is the
// event's title (a shift's, an employer's name); "{when}" its day.
type Heard struct {
	To          Party
	Category    enum.NotificationCategory
	Title, Body string
}

func (h Heard) text(e market.Event) (string, string) {
	r := strings.NewReplacer("{title}", e.Title, "{when}", e.When.UTC().Format("2 Jan 2006"))
	return r.Replace(h.Title), r.Replace(h.Body)
}

// WhoHears is every event × every party it concerns: the one table the
// inboxes follow, and the README's (TestTheREADMESaysWhoHearsWhat). The
// user who made a change is not told of it. Invitations are told to the
// invitee by invited(), by mail as well; who hears what live is liveTopic's.
var WhoHears = map[market.EventKind][]Heard{
	market.OfferCreated:      {{Worker, enum.CategoryOffer, "New offer: {title}", "Accept it before it expires."}},
	market.OfferExpiringSoon: {{Worker, enum.CategoryOffer, "Your offer expires in 5 minutes", "Accept or decline it now."}},
	market.OfferRevoked:      {{Worker, enum.CategoryOffer, "An offer was withdrawn", "The employer withdrew it or the shift filled up."}},
	market.OfferExpired: {
		{Worker, enum.CategoryOffer, "An offer expired", ""},
		{Employer, enum.CategoryOffer, "An offer expired unanswered", "Offer the shift to another candidate."}},
	market.OfferDeclined:        {{Employer, enum.CategoryOffer, "An offer was declined", "Offer the shift to another candidate."}},
	market.ApplicationCreated:   {{Employer, enum.CategoryApplication, "New applicant for {title}", "Review candidates in the app."}},
	market.ApplicationWithdrawn: {{Employer, enum.CategoryApplication, "An applicant withdrew", ""}},
	market.ApplicationRejected:  {{Worker, enum.CategoryApplication, "Your application was not successful", ""}},
	market.AssignmentCreated:    {{Employer, enum.CategoryApplication, "Hired for {title}", "A worker accepted your offer; sign the contract."}},
	market.AssignmentReminder:   {{Worker, enum.CategoryReminder, "{title} starts in 2 hours", "Check in when you arrive."}},
	market.AssignmentCancelled: {
		{Worker, enum.CategoryReminder, "A hire was cancelled: {title}", ""},
		{Employer, enum.CategoryReminder, "A hire was cancelled: {title}", "Offer the shift to another candidate."}},
	market.AssignmentNoShow:   {{Worker, enum.CategoryReminder, "You were marked as a no-show", "If you were there, dispute it from your credit report."}},
	market.TimesheetApproved:  {{Worker, enum.CategoryTimesheet, "Timesheet approved", "Payment is due within 7 days."}},
	market.TimesheetDisputed:  {{Employer, enum.CategoryTimesheet, "A worker disputes their hours", "Look at the timesheet and approve it again."}},
	market.PaymentMarked:      {{Worker, enum.CategoryPayment, "Payment marked as made", "Confirm it when the money arrives, or tell the employer it did not."}},
	market.PaymentNotReceived: {{Employer, enum.CategoryPayment, "A worker says a payment did not arrive", "Check the transfer, pay again if need be, and mark it paid."}},
	market.PaymentOverdue: {
		{Worker, enum.CategoryPayment, "A payment is overdue", "The employer has been flagged."},
		{Employer, enum.CategoryPayment, "A wage is overdue", "Pay it and mark it paid: it counts against your record until then."}},
	market.ReviewRequested: {
		{Worker, enum.CategoryReview, "How was {title}?", "Rate it within 14 days; reviews stay hidden until both sides have written theirs."},
		{Employer, enum.CategoryReview, "Review your worker for {title}", "Rate it within 14 days; reviews stay hidden until both sides have written theirs."}},
	market.ReviewReported:         {{Staff, enum.CategoryReview, "A review was reported", "Look at it in the moderation queue."}},
	market.CertificationSubmitted: {{Staff, enum.CategoryCertification, "A certificate waits for review: {title}", "Review it in the certificate queue."}},
	market.CertificationVerified:  {{Worker, enum.CategoryCertification, "Certificate verified: {title}", "Shifts that require it are open to you now."}},
	market.CertificationRejected:  {{Worker, enum.CategoryCertification, "Certificate not accepted: {title}", "See the reason in the app and upload it again."}},
	market.CertificationExpiring:  {{Worker, enum.CategoryCertification, "{title} expires on {when}", "Upload the renewed certificate in time."}},
	market.CertificationExpired:   {{Worker, enum.CategoryCertification, "Certificate expired: {title}", "Upload the renewed certificate to keep shifts that require it."}},
	market.CertificationRevoked:   {{Worker, enum.CategoryCertification, "Certificate revoked: {title}", "See the reason in the app."}},
	market.MemberJoined:           {{Employer, enum.CategoryAccount, "A new member joined {title}", "They accepted your invitation."}},
	market.InvitationDeclined:     {{Employer, enum.CategoryAccount, "An invitation to {title} was declined", ""}},
	market.CreditChanged: {
		{Worker, enum.CategoryCredit, "Your credit record changed", "See what changed, and why, in your credit report."},
		{Employer, enum.CategoryCredit, "Your credit record changed", "See what changed, and why, in your credit report."}},
	market.CheckOutMissed: {
		{Worker, enum.CategoryTimesheet, "You did not check out of {title}", "Your time counts to the shift's end; if you left at another time, say when in the app."},
		{Employer, enum.CategoryTimesheet, "A worker did not check out of {title}", "Their time counts to the shift's end: check it, record the right time or approve it."}},
	market.TimeClaimed:         {{Employer, enum.CategoryTimesheet, "A worker says when they left {title}", "Confirm it by recording their time, or approve the hours as they are."}},
	market.RoleChanged:         {{Named, enum.CategoryAccount, "Your role at {title} changed", "See what you may do in the app."}},
	market.MemberRemoved:       {{Named, enum.CategoryAccount, "You no longer act for {title}", "An owner or manager removed you."}},
	market.MemberLeft:          {{Employer, enum.CategoryAccount, "A member left {title}", ""}},
	market.ReviewReportDecided: {{Named, enum.CategoryReview, "Staff decided your report of a review", "See the decision in the app."}},
	market.CreditDisputeOpened: {
		{Staff, enum.CategoryCredit, "A credit event is disputed", "Decide it in the dispute queue."},
		{Worker, enum.CategoryCredit, "A credit event of your dealing is disputed", "Add your side for staff to weigh."},
		{Employer, enum.CategoryCredit, "A credit event of your dealing is disputed", "Add your side for staff to weigh."}},
	market.CreditDisputeAnswered:       {{Staff, enum.CategoryCredit, "The other party answered a credit dispute", "Both sides are in the dispute queue."}},
	market.TimesheetCorrectionProposed: {{Employer, enum.CategoryTimesheet, "A worker proposes other hours", "Approve their minutes, or others saying why."}},
	market.TimesheetEscalated: {
		{Staff, enum.CategoryTimesheet, "A timesheet dispute needs a decision", "Both sides are in the escalated timesheets queue."},
		{Worker, enum.CategoryTimesheet, "A timesheet dispute went to staff", "Staff decide it; you will hear."},
		{Employer, enum.CategoryTimesheet, "A timesheet dispute went to staff", "Staff decide it; you will hear."}},
	market.TimesheetDecided: {
		{Worker, enum.CategoryTimesheet, "Staff decided the timesheet of {title}", "See the decision and the amount owed."},
		{Employer, enum.CategoryTimesheet, "Staff decided the timesheet of {title}", "See the decision and the amount owed."}},
	market.CancellationFeeOwed: {
		{Worker, enum.CategoryTimesheet, "A cancellation fee is owed to you: {title}", "The hire was cancelled late; the fee is paid like wages, within 7 days."},
		{Employer, enum.CategoryTimesheet, "A cancellation fee is owed: {title}", "The hire was cancelled late; pay the fee like wages, within 7 days."}},
	market.ShiftChanged: {{Worker, enum.CategoryApplication, "{title} has changed", "See the new terms; if you are hired, sign the contract again."}},
	market.CreditDisputeResolved: {
		{Worker, enum.CategoryCredit, "A credit dispute was resolved", "See the decision in your credit report."},
		{Employer, enum.CategoryCredit, "A credit dispute was resolved", "See the decision in your credit report."}},
}

// Table is WhoHears as the README shows it: every event, who hears it in
// their inbox (and by push), and who hears it live.
func Table() string {
	var b strings.Builder
	b.WriteString("| event | inbox and push | live |\n|---|---|---|\n")
	for _, kind := range market.EventKinds {
		var inbox []string
		for _, h := range WhoHears[kind] {
			t, _ := h.text(market.Event{Title: "…", When: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)})
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
