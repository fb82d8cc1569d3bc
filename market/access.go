package market

import (
	"context"

	"flexwork/ent/viewer"
)

// manager checks that the viewer may run the employer's affairs. Members
// who only view get FORBIDDEN; people outside the employer get NOT_FOUND,
// learning nothing about what it has.
func manager(ctx context.Context, employerID, what string) (*viewer.Viewer, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	switch {
	case v.CanManage(employerID):
		return v, nil
	case v.IsMember(employerID):
		return nil, Forbidden("only the employer's owners and managers can %s", what)
	}
	return nil, NotFound("employer")
}

// staff returns the viewer, who must be staff; what says what only staff
// may do ("hide reviews").
func staff(ctx context.Context, what string) (*viewer.Viewer, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if !v.Staff {
		return nil, Forbidden("only staff %s", what)
	}
	return v, nil
}

// seesEmployer says whether v reads an employer's own figures (its funds,
// its demand): its members and staff.
func seesEmployer(v *viewer.Viewer, employerID string) bool { return v.IsMember(employerID) || v.Staff }

// worker returns the viewer, who must have a worker profile.
func worker(ctx context.Context) (*viewer.Viewer, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if v.WorkerID == "" {
		return nil, Forbidden("create your worker profile first")
	}
	return v, nil
}

// fieldErrors collects input errors found beyond struct tags, so that the
// client learns about every bad field at once.
type fieldErrors []FieldError

func (f *fieldErrors) add(field, message string) {
	*f = append(*f, FieldError{Field: field, Message: message})
}

func (f fieldErrors) err() error {
	if len(f) == 0 {
		return nil
	}
	e := &Error{Code: CodeBadUserInput, Fields: f}
	for i, x := range f {
		if i > 0 {
			e.Message += "; "
		}
		e.Message += x.Field + ": " + x.Message
	}
	return e
}

// joinInputErrors reports every failing field of several checks as one
// BAD_USER_INPUT; any other error wins as it is.
func joinInputErrors(errs ...error) error {
	var all fieldErrors
	for _, err := range errs {
		if err == nil {
			continue
		}
		e, ok := AsError(err)
		if !ok || e.Code != CodeBadUserInput {
			return err
		}
		all = append(all, e.Fields...)
	}
	return all.err()
}
