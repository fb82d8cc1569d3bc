package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"flexwork/ent/application"
	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/rule"
	"flexwork/server/servertest"
)

// TestATransactionNeedsOneConnection: a mutation's transaction never waits
// for a second connection from the pool. When one did (a cache filled
// through the root client from inside a transaction), 128 workers
// accepting offers at once stalled the server until their requests timed
// out: every connection of the pool was held by a transaction queued
// behind row locks whose holder was waiting for one more connection. With
// a pool of one, such a wait never ends, and the request's deadline fails
// the test.
func TestATransactionNeedsOneConnection(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env := servertest.Start(t, db)
		db.SQL.SetMaxOpenConns(1)
		env.HTTP.Client().Timeout = 20 * time.Second

		picking := skillID(t, db, "order-picking")
		olga := env.SignUp("olga@example.com", "Olga")
		emp := createEmployer(t, env, olga, "Spree Logistics")
		open := postShift(t, env, olga, emp, map[string]any{"requiredSkillIDs": []string{picking}, "slots": 2})
		ana := newWorker(t, env, "ana@example.com", "Ana", picking)
		c := newChain(t, env, olga, ana, apply(env, ana, open))
		env.MustOp(olga.Token, "ShortlistApplication", input(map[string]any{"applicationID": c.application}), &struct{}{})
		var page struct {
			Candidates struct {
				Edges []struct{ Node struct{ Status string } }
			}
		}
		env.MustOp(olga.Token, "Candidates", map[string]any{"shiftID": open, "first": 10}, &page)
		if len(page.Candidates.Edges) != 1 || page.Candidates.Edges[0].Node.Status != "SHORTLISTED" {
			t.Fatalf("after the shortlisting, the candidates are %+v", page.Candidates.Edges)
		}
		c.workAndApprove()

		// Both sides review the hire, the employer marks Ana a favourite,
		// and a second shift with an applicant is cancelled: each writes
		// (and some notify) inside the mutation's transaction.
		env.MustOp(olga.Token, "SubmitReview", input(map[string]any{"assignmentID": c.assignment, "rating": 5, "comment": "Quick and careful"}), &struct{}{})
		env.MustOp(ana.Token, "SubmitReview", input(map[string]any{"assignmentID": c.assignment, "rating": 4}), &struct{}{})
		env.MustOp(olga.Token, "SetRosterEntry", input(map[string]any{"employerID": emp, "workerID": workerID(t, env, ana), "kind": "FAVOURITE"}), &struct{}{})
		later := postShift(t, env, olga, emp, map[string]any{"requiredSkillIDs": []string{picking}})
		waiting := apply(env, ana, later)
		env.MustOp(olga.Token, "CancelShift", input(map[string]any{"shiftID": later, "reason": "no longer needed"}), &struct{}{})
		if a, err := db.Application.Get(rule.System(context.Background()), waiting); err != nil || a.Status != application.StatusREJECTED {
			t.Fatalf("Ana's application to the cancelled shift: %v, %v", a, err)
		}

		// Olga invites a colleague, who joins and is made a manager.
		vic := env.SignUp("vic@example.com", "Vic")
		membership := addMember(t, env, olga, emp, vic, "VIEWER")
		env.MustOp(olga.Token, "ChangeMemberRole", input(map[string]any{"membershipID": membership, "role": "MANAGER"}), &struct{}{})
		if !inboxHas(t, env, vic, "Your role at Spree Logistics changed") {
			t.Fatal("Vic was not told of his new role")
		}

		// An auditor's report counts the hire, read in the issuing
		// mutation's transaction.
		sam := makeStaff(t, env, db, "sam@example.com")
		uta := env.SignUp("uta@example.com", "Uta")
		env.MustOp(sam.Token, "AppointAuditor", input(map[string]any{"userID": uta.ID, "body": "Landesamt für Arbeitsschutz"}), &struct{}{})
		var issued struct{ IssueRightsReport struct{ Csv string } }
		env.MustOp(uta.Token, "IssueRightsReport", input(map[string]any{
			"from": env.Clock.Now().Add(-72 * time.Hour).Format(time.RFC3339), "to": env.Clock.Now().Add(time.Hour).Format(time.RFC3339)}), &issued)
		if !strings.Contains(issued.IssueRightsReport.Csv, "Spree Logistics") {
			t.Fatalf("the report does not count Spree's hire:\n%s", issued.IssueRightsReport.Csv)
		}
	})
}
