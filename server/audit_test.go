package server_test

import (
	"slices"
	"testing"

	"flexwork/ent/entdb/entdbtest"
	"flexwork/server/servertest"
)

// TestStaffActionsAreAudited: staff handed a worker's licence to review,
// and their decision, are in the audit log with who did it; nobody but
// staff reads the log.
func TestStaffActionsAreAudited(t *testing.T) {
	db := entdbtest.Open(t, "sqlite3")
	env := servertest.Start(t, db)
	forklift := skillID(t, db, "forklift")
	ana := newWorker(t, env, "ana@example.com", "Ana", forklift)
	olga := env.SignUp("olga@example.com", "Olga")
	createEmployer(t, env, olga, "Spree Logistics")
	sam := makeStaff(t, env, db, "sam@example.com")
	cert := uploaded(t, env, ana, forklift)
	if v := viewCert(t, env, sam, cert); v.Details == nil || v.Details.DocumentURL == nil {
		t.Fatalf("staff reviewing: %+v", v)
	}
	env.Must(sam.Token, `mutation($id: ID!) { reviewCertification(input: {certificationID: $id, decision: VERIFY}) { certification { status } } }`,
		map[string]any{"id": cert}, &struct{}{})
	var log struct {
		AuditLog struct {
			Edges []struct {
				Node struct{ ActorID, Action, SubjectID string }
			}
		}
	}
	env.MustOp(sam.Token, "AuditLog", map[string]any{"first": 10, "subjectID": cert}, &log)
	var actions []string
	for _, e := range log.AuditLog.Edges {
		if e.Node.ActorID != sam.ID {
			t.Fatalf("an entry not by Sam: %+v", e.Node)
		}
		actions = append(actions, e.Node.Action)
	}
	slices.Sort(actions)
	if !slices.Equal(actions, []string{"CERTIFICATION_REVIEWED", "DOCUMENT_READ"}) {
		t.Fatalf("the audit log of the licence: %v; want the read and the review", actions)
	}
	for _, who := range []string{ana.Token, olga.Token, ""} {
		if r := env.Op(who, "AuditLog", map[string]any{"first": 10}); r.Code() != "FORBIDDEN" && r.Code() != "UNAUTHENTICATED" {
			t.Fatalf("a non-staff reading the audit log: %+v", r.Errors)
		}
	}
}
