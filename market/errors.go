package market

import (
	"errors"
	"fmt"
)

// Code is the machine-readable kind of an error the API reports in
// extensions.code; the apps switch on it.
type Code string

// The error codes of the API contract (DESIGN.md).
const (
	CodeUnauthenticated Code = "UNAUTHENTICATED"
	CodeForbidden       Code = "FORBIDDEN"
	CodeNotFound        Code = "NOT_FOUND"
	CodeBadUserInput    Code = "BAD_USER_INPUT"
	CodeConflict        Code = "CONFLICT"
	CodeScreeningFailed Code = "SCREENING_FAILED"
	// CodeLawRuleFailed: a shift or a hire breaks a rule of its employer's
	// jurisdiction; extensions.failedRules says which and why.
	CodeLawRuleFailed Code = "LAW_RULE_FAILED"
	CodeRateLimited   Code = "RATE_LIMITED"
	// CodeTooManyOpenUploads: a worker has MaxOpenUploads certificates
	// awaiting their documents.
	CodeTooManyOpenUploads Code = "TOO_MANY_OPEN_UPLOADS"
	// CodeDocumentChanged: a stored document no longer hashes to what was
	// recorded when it was uploaded.
	CodeDocumentChanged Code = "DOCUMENT_CHANGED"
	// CodeTooManyPendingInvitations: an employer has MaxPendingInvitations
	// out.
	CodeTooManyPendingInvitations Code = "TOO_MANY_PENDING_INVITATIONS"
	// CodeInvitationNotPending: the invitation was answered, revoked or
	// expired.
	CodeInvitationNotPending Code = "INVITATION_NOT_PENDING"
	// CodeIdempotencyKeyReused: an idempotency key came back with another
	// request.
	CodeIdempotencyKeyReused Code = "IDEMPOTENCY_KEY_REUSED"
)

// State conflicts: the thing is not in a state that allows what was asked.
// Each has its own code, so that an app tells the person what happened
// without reading the message (which is for people, in their language).
const (
	CodeShiftNotOpen             Code = "SHIFT_NOT_OPEN"            // not published, or started: no applications or offers
	CodeShiftNotDraft            Code = "SHIFT_NOT_DRAFT"           // only a draft is published
	CodeShiftStarted             Code = "SHIFT_STARTED"             // too late: the shift has started
	CodeShiftEnded               Code = "SHIFT_ENDED"               // too late: the shift has ended
	CodeShiftFull                Code = "SHIFT_FULL"                // every slot is taken
	CodeShiftNotFull             Code = "SHIFT_NOT_FULL"            // standby is for full shifts: apply instead
	CodeBackfillNotRunning       Code = "BACKFILL_NOT_RUNNING"      // stopBackfill on a shift with no cascade running
	CodeAlreadyApplied           Code = "ALREADY_APPLIED"           // the worker applied to this shift before
	CodeApplicationNotActive     Code = "APPLICATION_NOT_ACTIVE"    // withdrawn, rejected, expired or hired
	CodeOfferAlreadyPending      Code = "OFFER_ALREADY_PENDING"     // the worker holds another pending offer for the shift
	CodeOfferExpired             Code = "OFFER_EXPIRED"             // the offer's time ran out
	CodeOfferNotPending          Code = "OFFER_NOT_PENDING"         // accepted, declined, revoked or expired already
	CodeScheduleOverlap          Code = "SCHEDULE_OVERLAP"          // the worker is hired elsewhere at that time
	CodeShiftChanged             Code = "SHIFT_CHANGED"             // the terms changed while the worker was accepting
	CodeShiftLocked              Code = "SHIFT_LOCKED"              // too close to the start, or hires hold the times
	CodeContractNotSigned        Code = "CONTRACT_NOT_SIGNED"       // check-in needs every party's signature
	CodeCheckInNotOpen           Code = "CHECK_IN_NOT_OPEN"         // earlier than 30 minutes before the start
	CodeOutsideGeofence          Code = "OUTSIDE_GEOFENCE"          // the phone is not at the place
	CodeNotCheckedIn             Code = "NOT_CHECKED_IN"            // check-out before a check-in
	CodeCheckOutTooEarly         Code = "CHECK_OUT_TOO_EARLY"       // before the shift's start
	CodeCheckOutClosed           Code = "CHECK_OUT_CLOSED"          // later than 4 hours after the end
	CodeCheckOutStillOpen        Code = "CHECK_OUT_STILL_OPEN"      // a claim of time while check-out is still open
	CodeNoShowTooEarly           Code = "NO_SHOW_TOO_EARLY"         // earlier than 30 minutes after the start
	CodeAssignmentNotScheduled   Code = "ASSIGNMENT_NOT_SCHEDULED"  // the hire is no longer scheduled (worked, cancelled, no-show)
	CodeTimesheetNotOpen         Code = "TIMESHEET_NOT_OPEN"        // not in a state that allows this (approved, disputed …)
	CodeTimesheetEscalated       Code = "TIMESHEET_ESCALATED"       // the dispute is with staff; the parties wait
	CodeDisputeWindowClosed      Code = "DISPUTE_WINDOW_CLOSED"     // later than the window to dispute
	CodePaymentFinal             Code = "PAYMENT_FINAL"             // the worker confirmed the payment
	CodePaymentNotMarked         Code = "PAYMENT_NOT_MARKED"        // nothing marked as paid to confirm or contest
	CodePaymentAlreadyMarked     Code = "PAYMENT_ALREADY_MARKED"    // marked paid already, with another reference
	CodeReviewNotOpen            Code = "REVIEW_NOT_OPEN"           // the shift is not worked yet
	CodeReviewWindowClosed       Code = "REVIEW_WINDOW_CLOSED"      // later than 14 days after the shift
	CodeAlreadyReviewed          Code = "ALREADY_REVIEWED"          // this side reviewed the shift before
	CodeAlreadyReplied           Code = "ALREADY_REPLIED"           // a review is answered once
	CodeAlreadyReported          Code = "ALREADY_REPORTED"          // the viewer reported this review before
	CodeReviewHidden             Code = "REVIEW_HIDDEN"             // hidden by staff already
	CodeReportDecided            Code = "REPORT_DECIDED"            // staff decided the report already
	CodeLastOwner                Code = "LAST_OWNER"                // an employer keeps at least one owner
	CodeUploadMissing            Code = "UPLOAD_MISSING"            // nothing arrived through the upload form yet
	CodeCertificationNotPending  Code = "CERTIFICATION_NOT_PENDING" // not waiting for review
	CodeCertificationNotVerified Code = "CERTIFICATION_NOT_VERIFIED"
	CodeNotDisputable            Code = "NOT_DISPUTABLE" // a reversal, or a cancellation fee, is not disputed
	CodeAlreadyDisputed          Code = "ALREADY_DISPUTED"
	CodeDisputeResolved          Code = "DISPUTE_RESOLVED"          // decided already
	CodeAlreadyAnswered          Code = "ALREADY_ANSWERED"          // the other party gave their side already
	CodeAccountExists            Code = "ACCOUNT_EXISTS"            // a proven address that already has an account
	CodeAccountInUse             Code = "ACCOUNT_IN_USE"            // open hires or money still to move: not erased yet
	CodeFundsInsufficient        Code = "FUNDS_INSUFFICIENT"        // a prefunded employer's funds do not cover the hire's wage
	CodeBalanceInsufficient      Code = "BALANCE_INSUFFICIENT"      // a payout of more than the worker's balance holds
	CodePayoutAccountMissing     Code = "PAYOUT_ACCOUNT_MISSING"    // no account to pay out to
	CodePayoutsUnavailable       Code = "PAYOUTS_UNAVAILABLE"       // the server has no payout provider
	CodeCreditLimitReached       Code = "CREDIT_LIMIT_REACHED"      // a hire would take an employer on credit terms past its limit
	CodeBatchSettled             Code = "BATCH_SETTLED"             // staff settled the payout batch already
	CodeFundingUnavailable       Code = "FUNDING_UNAVAILABLE"       // the server takes no payments through a provider
	CodeRealNameRequired         Code = "REAL_NAME_REQUIRED"        // a payout before the worker's real name is verified
	CodeRealNameVerified         Code = "REAL_NAME_VERIFIED"        // verified already; it is not given again
	CodeRealNameNotPending       Code = "REAL_NAME_NOT_PENDING"     // decided already
	CodeRealNameUnavailable      Code = "REAL_NAME_UNAVAILABLE"     // the server has no data key to seal identity numbers with
	CodeIdentityInUse            Code = "IDENTITY_IN_USE"           // the identity number verifies another account
	CodeLicenceNotPending        Code = "LICENCE_NOT_PENDING"       // staff decided the business licence already
	CodeCoverMissing             Code = "COVER_MISSING"             // check-in before the insurance the hire's jurisdiction asks
	CodeBriefingNotAcknowledged  Code = "BRIEFING_NOT_ACKNOWLEDGED" // check-in before the shift's safety briefing was acknowledged
)

// FieldError names one input field that failed validation and why.
// Message is English; say, when set, is the same in any language.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
	say     *text
}

// In is why the field failed, in lang.
func (f FieldError) In(lang string) string {
	if f.say != nil {
		return f.say.in(lang)
	}
	return f.Message
}

// Error is a refusal the user can act on: its message is safe to show and
// its code tells the app what happened. Any other error reaching the API is
// an internal error and is masked.
type Error struct {
	Code    Code
	Message string
	Fields  []FieldError   // BAD_USER_INPUT: the failing fields
	Details map[string]any // more machine-readable context, e.g. failed screening rules
	// Localized: Message is written in the request's language already
	// (screening and law verdicts). Other messages are English; the
	// presenter gives readers of another language the code's message
	// (error.<CODE> in i18n).
	Localized bool
}

func (e *Error) Error() string { return string(e.Code) + ": " + e.Message }

// Errorf returns an *Error with a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// BadInput reports one failing input field.
func BadInput(field, message string) *Error {
	return &Error{
		Code:    CodeBadUserInput,
		Message: field + ": " + message,
		Fields:  []FieldError{{Field: field, Message: message}},
	}
}

// NotFound reports that a thing does not exist or is not the viewer's to see;
// the two are deliberately indistinguishable.
func NotFound(what string) *Error { return Errorf(CodeNotFound, "%s not found", what) }

// Forbidden reports that the viewer may see a thing but not do this to it.
func Forbidden(format string, args ...any) *Error { return Errorf(CodeForbidden, format, args...) }

// State reports that the thing is not in a state that allows this, with the
// code that says which state.
func State(code Code, format string, args ...any) *Error { return Errorf(code, format, args...) }

// AsError returns the *Error in err's chain, if any.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
