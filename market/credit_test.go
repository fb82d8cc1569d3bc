package market_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"flexwork/ent"
	"flexwork/ent/creditevent"
	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/review"
	"flexwork/ent/rule"
	"flexwork/ent/viewer"
	"flexwork/market"
)

// reviewed returns the world with a worked shift ready for reviews.
func reviewWorld(t *testing.T, db *entdb.DB) (*world, context.Context, *ent.Shift, *ent.Assignment) {
	w := newWorld(t, db)
	s := w.shift(10*time.Hour, 4, 3)
	ana := w.worker("Ana")
	a := w.hire(ana, s)
	w.work(ana, s, a)
	return w, ana, s, a
}

func canSee(ctx context.Context, db *entdb.DB, id string) bool {
	_, err := db.Review.Get(ctx, id)
	return err == nil
}

func TestReviewsAreDoubleBlind(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w, ana, _, a := reviewWorld(t, db)
		stranger := w.worker("Ben")
		mine, err := w.m.SubmitReview(ana, market.SubmitReviewInput{AssignmentID: a.ID, Rating: 5, Tags: []string{"PAID_ON_TIME", "SAFE_WORKPLACE"}})
		if err != nil {
			t.Fatal(err)
		}
		if !canSee(ana, db, mine.Review.ID) || canSee(w.manager, db, mine.Review.ID) || canSee(stranger, db, mine.Review.ID) {
			t.Fatal("before the employer reviews, only Ana may see her review")
		}
		if e := db.Employer.GetX(sys, w.emp); e.RatingCount != 0 {
			t.Fatal("an unrevealed review counted")
		}
		theirs, err := w.m.SubmitReview(w.manager, market.SubmitReviewInput{AssignmentID: a.ID, Rating: 2, Tags: []string{"PUNCTUAL"}})
		if err != nil {
			t.Fatal(err)
		}
		if theirs.Counterpart == nil || theirs.Counterpart.ID != mine.Review.ID || theirs.Counterpart.RevealedAt == nil {
			t.Fatalf("the second review's payload should carry the first, revealed: %+v", theirs.Counterpart)
		}
		for _, id := range []string{mine.Review.ID, theirs.Review.ID} {
			if !canSee(ana, db, id) || !canSee(w.manager, db, id) || !canSee(stranger, db, id) {
				t.Fatal("once both are in, both are visible to everyone")
			}
		}
		if e := db.Employer.GetX(sys, w.emp); e.RatingCount != 1 || e.RatingAvg != 5 {
			t.Fatalf("employer rating: %v × %d", e.RatingAvg, e.RatingCount)
		}
		p := db.WorkerProfile.GetX(sys, viewer.FromContext(ana).WorkerID)
		if p.RatingCount != 1 || p.RatingAvg != 2 || p.CreditScore >= 612 {
			t.Fatalf("worker after a 2-star review: %v × %d, credit %d (one completed shift alone is 612)", p.RatingAvg, p.RatingCount, p.CreditScore)
		}
		if n := db.CreditEvent.Query().Where(creditevent.KindEQ(creditevent.KindREVIEW_REVEALED)).CountX(sys); n != 2 {
			t.Fatalf("%d REVIEW_REVEALED events, want one per side", n)
		}
		sum, err := w.m.Ratings(stranger, w.emp)
		if err != nil || sum.Count != 1 || sum.Average != 5 || len(sum.Tags) != 2 {
			t.Fatalf("rating summary: %+v %v", sum, err)
		}
	})
}

func TestAReviewAloneIsRevealedWhenTheWindowCloses(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w, ana, s, a := reviewWorld(t, db)
		mine, err := w.m.SubmitReview(ana, market.SubmitReviewInput{AssignmentID: a.ID, Rating: 4})
		if err != nil {
			t.Fatal(err)
		}
		w.now = s.EndsAt.Add(market.ReviewWindow - time.Minute)
		if n, _ := w.m.RevealDueReviews(context.Background()); n != 0 || canSee(w.manager, db, mine.Review.ID) {
			t.Fatal("revealed before the window closed")
		}
		if _, err := w.m.SubmitReview(w.manager, market.SubmitReviewInput{AssignmentID: a.ID, Rating: 4}); err != nil {
			// still in time: the employer's late review reveals both
			t.Fatalf("reviewing a minute before the window closes: %v", err)
		}
		if !canSee(w.manager, db, mine.Review.ID) {
			t.Fatal("both in, yet hidden")
		}
		// Another shift, where only the employer reviews.
		ben := w.worker("Ben")
		s2 := w.shift(48*time.Hour, 4, 1)
		b := w.hire(ben, s2)
		w.work(ben, s2, b)
		theirs, err := w.m.SubmitReview(w.manager, market.SubmitReviewInput{AssignmentID: b.ID, Rating: 3})
		if err != nil {
			t.Fatal(err)
		}
		w.now = s2.EndsAt.Add(market.ReviewWindow)
		if n, err := w.m.RevealDueReviews(context.Background()); n != 1 || err != nil || !canSee(ben, db, theirs.Review.ID) {
			t.Fatalf("after 14 days: revealed %d (%v)", n, err)
		}
		if _, err := w.m.SubmitReview(ben, market.SubmitReviewInput{AssignmentID: b.ID, Rating: 5}); code(err) != "REVIEW_WINDOW_CLOSED" {
			t.Fatalf("reviewing after the window: %v", err)
		}
	})
}

func TestOnlyThePartiesReviewOnce(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w, ana, _, a := reviewWorld(t, db)
		if _, err := w.m.SubmitReview(w.worker("Ben"), market.SubmitReviewInput{AssignmentID: a.ID, Rating: 1}); code(err) != "NOT_FOUND" {
			t.Fatalf("a third party reviewing: %v", err)
		}
		if _, err := w.m.SubmitReview(ana, market.SubmitReviewInput{AssignmentID: a.ID, Rating: 5, Tags: []string{"PUNCTUAL"}}); code(err) != "BAD_USER_INPUT" {
			t.Fatalf("a worker tag on an employer: %v", err)
		}
		if _, err := w.m.SubmitReview(ana, market.SubmitReviewInput{AssignmentID: a.ID, Rating: 5}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.m.SubmitReview(ana, market.SubmitReviewInput{AssignmentID: a.ID, Rating: 1}); code(err) != "ALREADY_REVIEWED" {
			t.Fatalf("a second review by the same side: %v", err)
		}
		if n := db.Review.Query().Where(review.AssignmentID(a.ID)).CountX(sys); n != 1 {
			t.Fatalf("%d reviews stored", n)
		}
	})
}

func TestAppealReversalRestoresTheScoreAndTheShift(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		ana := w.worker("Ana")
		anaID := viewer.FromContext(ana).WorkerID
		s := w.shift(10*time.Hour, 4, 3)
		a := w.hire(ana, s)
		before := db.WorkerProfile.GetX(sys, anaID).CreditScore
		w.now = s.StartsAt.Add(time.Hour)
		if _, err := w.m.MarkNoShow(w.manager, a.ID); err != nil {
			t.Fatal(err)
		}
		after := db.WorkerProfile.GetX(sys, anaID).CreditScore
		if after != before-60 {
			t.Fatalf("a no-show took the score from %d to %d, want −60", before, after)
		}
		// A shift that wants at least 580 now refuses her, saying why.
		strict := w.shift(48*time.Hour, 4, 3)
		db.Shift.UpdateOneID(strict.ID).SetMinCreditScore(580).ExecX(sys)
		_, err := w.m.ApplyToShift(ana, market.ApplyInput{ShiftID: strict.ID})
		if code(err) != "SCREENING_FAILED" || !strings.Contains(err.Error(), "at least 580; yours is 540") {
			t.Fatalf("applying below the minimum: %v", err)
		}
		ev := db.CreditEvent.Query().Where(creditevent.KindEQ(creditevent.KindNO_SHOW)).OnlyX(sys)
		d, err := w.m.DisputeCreditEvent(ana, market.DisputeInput{EventID: ev.ID, Reason: "I was there; the manager marked the wrong person"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.m.ResolveCreditDispute(w.manager, market.ResolveInput{DisputeID: d.Dispute.ID, Decision: "REVERSE", Note: "x"}); code(err) != "FORBIDDEN" {
			t.Fatalf("a non-staff resolving: %v", err)
		}
		staff := viewer.NewContext(context.Background(), &viewer.Viewer{UserID: "usr_staff", Staff: true})
		if _, err := w.m.ResolveCreditDispute(staff, market.ResolveInput{DisputeID: d.Dispute.ID, Decision: "REVERSE", Note: "check-in photo shows her on site"}); err != nil {
			t.Fatal(err)
		}
		if got := db.WorkerProfile.GetX(sys, anaID).CreditScore; got != before {
			t.Fatalf("after the reversal the score is %d, want exactly %d", got, before)
		}
		if _, err := w.m.ApplyToShift(ana, market.ApplyInput{ShiftID: strict.ID}); err != nil {
			t.Fatalf("applying once the no-show is reversed: %v", err)
		}
		// The reversal is a new event; the no-show is still there, undone.
		if n := db.CreditEvent.Query().Where(creditevent.ReversesID(ev.ID)).CountX(sys); n != 1 || db.CreditEvent.Query().Where(creditevent.ID(ev.ID)).CountX(sys) != 1 {
			t.Fatal("the reversal should be a new event beside the original")
		}
		if _, err := w.m.ResolveCreditDispute(staff, market.ResolveInput{DisputeID: d.Dispute.ID, Decision: "UPHOLD", Note: "again"}); code(err) != "DISPUTE_RESOLVED" {
			t.Fatalf("resolving twice: %v", err)
		}
		checked, diffs, err := w.m.RecomputeCredit(context.Background(), false)
		if err != nil || len(diffs) != 0 || checked < 2 {
			t.Fatalf("recompute from the ledger: %d checked, diffs %+v, %v", checked, diffs, err)
		}
		// One dispute per event; and after 7 days none at all.
		if _, err := w.m.DisputeCreditEvent(ana, market.DisputeInput{EventID: ev.ID, Reason: "once more, with feeling"}); code(err) != "ALREADY_DISPUTED" {
			t.Fatalf("disputing a disputed event: %v", err)
		}
		ben := w.worker("Ben")
		s3 := w.shift(10*time.Hour, 4, 3)
		b := w.hire(ben, s3)
		w.now = s3.StartsAt.Add(time.Hour)
		if _, err := w.m.MarkNoShow(w.manager, b.ID); err != nil {
			t.Fatal(err)
		}
		old := db.CreditEvent.Query().Where(creditevent.KindEQ(creditevent.KindNO_SHOW), creditevent.WorkerID(viewer.FromContext(ben).WorkerID)).OnlyX(sys)
		w.now = w.now.Add(market.CreditDisputeWindow + time.Minute)
		if _, err := w.m.DisputeCreditEvent(ben, market.DisputeInput{EventID: old.ID, Reason: "I was stuck in traffic for hours"}); code(err) != "DISPUTE_WINDOW_CLOSED" {
			t.Fatalf("disputing after 7 days: %v", err)
		}

	})
}

func TestRecomputeFindsATamperedScore(t *testing.T) {
	db := entdbtest.Open(t, "sqlite3")
	w, ana, _, _ := reviewWorld(t, db)
	anaID := viewer.FromContext(ana).WorkerID
	if _, diffs, _ := w.m.RecomputeCredit(context.Background(), false); len(diffs) != 0 {
		t.Fatalf("a sound marketplace differs: %+v", diffs)
	}
	db.WorkerProfile.UpdateOneID(anaID).SetCreditScore(999).ExecX(rule.System(context.Background()))
	_, diffs, err := w.m.RecomputeCredit(context.Background(), false)
	if err != nil || len(diffs) != 1 || diffs[0].SubjectID != anaID || diffs[0].Stored != 999 || diffs[0].Recomputed != 600 {
		t.Fatalf("diffs = %+v, %v; want Ana's 999 against the ledger's 600", diffs, err)
	}
}
