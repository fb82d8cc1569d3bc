package market

import (
	"context"
	"fmt"
	"strings"

	"entgo.io/contrib/entgql"

	"flexwork/ent"
	"flexwork/ent/rule"
	"flexwork/ent/staffaction"
	"flexwork/ent/viewer"
)

// audited maps the ledger entries that record a staff decision to their
// action in the staff audit trail: appendLedger writes both, so no staff
// decision can reach the ledger unaudited.
var audited = map[string]staffaction.Action{
	LedgerCertificationReviewed: staffaction.ActionCERTIFICATION_REVIEWED,
	LedgerCertificationRevoked:  staffaction.ActionCERTIFICATION_REVOKED,
	LedgerDisputeResolved:       staffaction.ActionCREDIT_DISPUTE_RESOLVED,
	LedgerReviewHidden:          staffaction.ActionREVIEW_HIDDEN,
	LedgerTimesheetDecided:      staffaction.ActionTIMESHEET_DECIDED,
	LedgerRightsReportIssued:    staffaction.ActionRIGHTS_REPORT_ISSUED,
}

// audit records a staff action in the caller's transaction. The actor is
// the viewer; none (the command line) when there is no viewer.
func (m *Market) audit(ctx context.Context, c *ent.Client, action staffaction.Action, subjectID, note string) error {
	actor := ""
	if v := viewer.FromContext(ctx); v != nil {
		actor = v.UserID
	}
	if r := []rune(note); len(r) > 1000 {
		note = string(r[:1000])
	}
	return c.StaffAction.Create().SetActorID(actor).SetAction(action).SetSubjectID(subjectID).SetNote(note).
		Exec(rule.System(ctx))
}

// auditNote is the reason or decision a ledger payload gives, for the
// audit trail.
func auditNote(payload any) string {
	p, ok := payload.(map[string]any)
	if !ok {
		return ""
	}
	note := ""
	for _, k := range []string{"decision", "note", "reason"} {
		if v, ok := p[k]; ok && fmt.Sprint(v) != "" {
			note += fmt.Sprint(v) + ": "
		}
	}
	return strings.TrimSuffix(note, ": ")
}

// StaffGranted records, from the command line, that a user was made staff.
func (m *Market) StaffGranted(ctx context.Context, userID, note string) error {
	return m.audit(ctx, m.db, staffaction.ActionSTAFF_GRANTED, userID, note)
}

// AuditLog pages through the staff audit trail, newest first, optionally of
// one staff member or about one subject. Staff only.
func (m *Market) AuditLog(ctx context.Context, first *int, after *entgql.Cursor[string], actorID, subjectID *string) (*ent.StaffActionConnection, error) {
	if _, err := staff(ctx, "read the audit log"); err != nil {
		return nil, err
	}
	q := m.client(ctx).StaffAction.Query()
	if actorID != nil {
		q.Where(staffaction.ActorID(*actorID))
	}
	if subjectID != nil {
		q.Where(staffaction.SubjectID(*subjectID))
	}
	return q.Paginate(ctx, after, first, nil, nil, ent.WithStaffActionOrder(&ent.StaffActionOrder{
		Direction: entgql.OrderDirectionDesc, Field: ent.StaffActionOrderFieldCreatedAt}))
}

func isStaff(ctx context.Context) bool {
	v := viewer.FromContext(ctx)
	return v != nil && v.Staff
}
