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
	CodeRateLimited     Code = "RATE_LIMITED"
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

// FieldError names one input field that failed validation and why.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is a refusal the user can act on: its message is safe to show and
// its code tells the app what happened. Any other error reaching the API is
// an internal error and is masked.
type Error struct {
	Code    Code
	Message string
	Fields  []FieldError   // BAD_USER_INPUT: the failing fields
	Details map[string]any // more machine-readable context, e.g. failed screening rules
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

// Conflict reports that the thing is not in a state that allows this.
func Conflict(format string, args ...any) *Error { return Errorf(CodeConflict, format, args...) }

// AsError returns the *Error in err's chain, if any.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
