package market_test

import (
	"context"
	"testing"
	"time"

	"flexwork/ent/creditevent"
	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/viewer"
	"flexwork/market"
)

// The employer who marked a no-show sees the worker's appeal and gives
// their side once; staff read both; nobody else reads or answers it.
func TestTheOtherPartyAnswersADispute(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		ana, ben := w.worker("Ana"), w.worker("Ben")
		s := w.shift(10*time.Hour, 4, 3)
		a := w.hire(ana, s)
		w.now = s.StartsAt.Add(time.Hour)
		if _, err := w.m.MarkNoShow(w.manager, a.ID); err != nil {
			t.Fatal(err)
		}
		ev := db.CreditEvent.Query().Where(creditevent.KindEQ(creditevent.KindNO_SHOW)).OnlyX(sys)
		d, err := w.m.DisputeCreditEvent(ana, market.DisputeInput{EventID: ev.ID, Reason: "I was there; the manager marked the wrong person"})
		if err != nil {
			t.Fatal(err)
		}
		id := d.Dispute.ID
		visible := func(ctx context.Context) int {
			c, err := w.m.CreditDisputes(ctx, nil, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			return c.TotalCount
		}
		if visible(w.manager) != 1 || visible(ben) != 0 {
			t.Fatal("the employer should see the dispute about its no-show, a stranger none")
		}
		side := "Ana did not call; the site lead waited an hour for her."
		if _, err := w.m.AnswerCreditDispute(ben, market.AnswerDisputeInput{DisputeID: id, Response: side}); code(err) != "NOT_FOUND" {
			t.Fatalf("a stranger answering: %v", err)
		}
		if _, err := w.m.AnswerCreditDispute(ana, market.AnswerDisputeInput{DisputeID: id, Response: side}); code(err) != "FORBIDDEN" {
			t.Fatalf("the disputer answering her own dispute: %v", err)
		}
		got, err := w.m.AnswerCreditDispute(w.manager, market.AnswerDisputeInput{DisputeID: id, Response: side})
		if err != nil || got.Dispute.Response != side || got.Dispute.RespondedAt == nil || got.Event.ID != ev.ID {
			t.Fatalf("answering: %+v %v", got, err)
		}
		if _, err := w.m.AnswerCreditDispute(w.manager, market.AnswerDisputeInput{DisputeID: id, Response: side}); err != nil {
			t.Fatalf("a retry of the same answer should succeed: %v", err)
		}
		if _, err := w.m.AnswerCreditDispute(w.manager, market.AnswerDisputeInput{DisputeID: id, Response: "on second thoughts, something else"}); code(err) != "ALREADY_ANSWERED" {
			t.Fatalf("answering twice: %v", err)
		}
		staff := viewer.NewContext(context.Background(), &viewer.Viewer{UserID: "usr_staff", Staff: true})
		c, err := w.m.CreditDisputes(staff, nil, nil, nil)
		if err != nil || len(c.Edges) != 1 || c.Edges[0].Node.Response != side {
			t.Fatalf("staff should read the other side: %v", err)
		}
		if _, err := w.m.ResolveCreditDispute(staff, market.ResolveInput{DisputeID: id, Decision: "UPHOLD", Note: "the site log agrees"}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.m.AnswerCreditDispute(w.manager, market.AnswerDisputeInput{DisputeID: id, Response: "one more thing to add here"}); code(err) != "DISPUTE_RESOLVED" {
			t.Fatalf("answering a resolved dispute: %v", err)
		}
	})
}
