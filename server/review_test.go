package server_test

import (
	"context"
	"testing"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/server/servertest"
)

func TestReviewsThroughTheApps(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env := servertest.Start(t, db)
		picking := skillID(t, db, "order-picking")
		olga := env.SignUp("olga@example.com", "Olga")
		emp := createEmployer(t, env, olga, "Spree Logistics")
		ana, ben := newWorker(t, env, "ana@example.com", "Ana", picking), newWorker(t, env, "ben@example.com", "Ben", picking)
		staff := makeStaff(t, env, db, "sam@example.com")
		shiftID := postShift(t, env, olga, emp, map[string]any{"requiredSkillIDs": []string{picking}})
		app := apply(env, ana, shiftID)
		c := newChain(t, env, olga, ana, app)
		c.workAndApprove()

		const submit = `mutation($in: SubmitReviewInput!) { submitReview(input: $in) { review { id revealedAt } counterpart { id revealedAt } } }`
		type review struct {
			ID         string
			RevealedAt *string
		}
		var mine, theirs struct {
			SubmitReview struct{ Review, Counterpart *review }
		}
		env.Must(ana.Token, submit, map[string]any{"in": map[string]any{"assignmentID": c.assignment, "rating": 5,
			"tags": []string{"PAID_ON_TIME"}, "comment": "Fair and friendly"}}, &mine)
		const reviewsQ = `query($id: ID!) { node(id: $id) { ... on Employer { ratingSummary { average count tags { tag count } }
			reviews(first: 10) { edges { node { id rating comment reply } } } } } }`
		var page struct {
			Node struct {
				RatingSummary struct {
					Average float64
					Count   int
					Tags    []struct {
						Tag   string
						Count int
					}
				}
				Reviews struct {
					Edges []struct {
						Node struct{ ID, Comment, Reply string }
					}
				}
			}
		}
		env.Must(ben.Token, reviewsQ, map[string]any{"id": emp}, &page)
		if mine.SubmitReview.Review.RevealedAt != nil || mine.SubmitReview.Counterpart != nil || len(page.Node.Reviews.Edges) != 0 || page.Node.RatingSummary.Count != 0 {
			t.Fatalf("Ana's review shows before Olga's is in: %+v", page.Node)
		}
		if r := env.Do(ben.Token, submit, map[string]any{"in": map[string]any{"assignmentID": c.assignment, "rating": 1}}); r.Code() != "NOT_FOUND" {
			t.Fatalf("Ben reviewing Ana's shift: %+v", r.Errors)
		}
		env.Must(olga.Token, submit, map[string]any{"in": map[string]any{"assignmentID": c.assignment, "rating": 4,
			"tags": []string{"PUNCTUAL", "SKILLED"}}}, &theirs)
		if cp := theirs.SubmitReview.Counterpart; theirs.SubmitReview.Review.RevealedAt == nil || cp == nil || cp.ID != mine.SubmitReview.Review.ID || cp.RevealedAt == nil {
			t.Fatalf("the second review did not reveal both: %+v", theirs.SubmitReview)
		}
		env.Must(ben.Token, reviewsQ, map[string]any{"id": emp}, &page)
		if page.Node.RatingSummary.Count != 1 || page.Node.RatingSummary.Average != 5 || page.Node.RatingSummary.Tags[0].Tag != "PAID_ON_TIME" ||
			len(page.Node.Reviews.Edges) != 1 || page.Node.Reviews.Edges[0].Node.Comment != "Fair and friendly" {
			t.Fatalf("after both reviews: %+v", page.Node)
		}

		// The reviewed side replies once.
		const reply = `mutation($id: ID!, $r: String!) { replyToReview(input: {reviewID: $id, reply: $r}) { review { reply } } }`
		if r := env.Do(ana.Token, reply, map[string]any{"id": mine.SubmitReview.Review.ID, "r": "Thanks!"}); r.Code() != "FORBIDDEN" {
			t.Fatalf("the author replying to her own review: %+v", r.Errors)
		}
		env.Must(olga.Token, reply, map[string]any{"id": mine.SubmitReview.Review.ID, "r": "Come back any time."}, &struct{}{})
		if r := env.Do(olga.Token, reply, map[string]any{"id": mine.SubmitReview.Review.ID, "r": "Again"}); r.Code() != "ALREADY_REPLIED" {
			t.Fatalf("a second reply: %+v", r.Errors)
		}

		// Anyone reports; only staff hide, and then it stops counting.
		env.MustOp(ben.Token, "ReportReview", input(map[string]any{"reviewID": mine.SubmitReview.Review.ID, "reason": "fake"}), &struct{}{})
		if r := env.Op(ben.Token, "ReportReview", input(map[string]any{"reviewID": mine.SubmitReview.Review.ID, "reason": "still fake"})); r.Code() != "ALREADY_REPORTED" {
			t.Fatalf("reporting twice: %+v", r.Errors)
		}
		const hide = `mutation($id: ID!) { hideReview(input: {reviewID: $id, reason: "written by a relative"}) { review { id } } }`
		if r := env.Do(olga.Token, hide, map[string]any{"id": mine.SubmitReview.Review.ID}); r.Code() != "FORBIDDEN" {
			t.Fatalf("a non-staff hiding: %+v", r.Errors)
		}
		env.Must(staff.Token, hide, map[string]any{"id": mine.SubmitReview.Review.ID}, &struct{}{})
		env.Must(ben.Token, reviewsQ, map[string]any{"id": emp}, &page)
		if page.Node.RatingSummary.Count != 0 || len(page.Node.Reviews.Edges) != 0 {
			t.Fatalf("a hidden review still shows: %+v", page.Node)
		}
		var report creditReport
		env.Must(olga.Token, creditQ, map[string]any{"id": emp}, &report)
		if report.CreditReport.Score != 600 {
			t.Fatalf("after hiding the 5-star review, the employer's credit is %d, want back to 600", report.CreditReport.Score)
		}
		if n, err := env.Server.Market.VerifyLedger(context.Background()); err != nil {
			t.Fatalf("ledger after %d entries: %v", n, err)
		}
	})
}

// TestReportedReviewsReachStaff: a report lands in staff's queue (and
// inbox), nobody else reads the queue or decides; hiding the review decides
// every open report of it, and each reporter hears the decision.
func TestReportedReviewsReachStaff(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env := servertest.Start(t, db)
		olga := env.SignUp("olga@example.com", "Olga")
		emp := createEmployer(t, env, olga, "Spree Logistics")
		ana, ben := newWorker(t, env, "ana@example.com", "Ana"), newWorker(t, env, "ben@example.com", "Ben")
		staff := makeStaff(t, env, db, "sam@example.com")
		c := newChain(t, env, olga, ana, apply(env, ana, postShift(t, env, olga, emp, nil)))
		c.workAndApprove()
		var mine struct {
			SubmitReview struct{ Review struct{ ID string } }
		}
		env.MustOp(olga.Token, "SubmitReview", input(map[string]any{"assignmentID": c.assignment, "rating": 1, "comment": "Lazy"}), &mine)
		env.MustOp(ana.Token, "SubmitReview", input(map[string]any{"assignmentID": c.assignment, "rating": 5}), &struct{}{})
		review := mine.SubmitReview.Review.ID
		for _, who := range []servertest.Account{ana, ben} {
			env.MustOp(who.Token, "ReportReview", input(map[string]any{"reviewID": review, "reason": "not true"}), &struct{}{})
		}
		if !inboxHas(t, env, staff, "A review was reported") {
			t.Fatal("staff were not told of the report")
		}
		var queue struct {
			ReviewReports struct {
				Edges []struct{ Node struct{ ID string } }
			}
		}
		for _, who := range []servertest.Account{ana, olga} {
			if r := env.Op(who.Token, "ReportedReviews", map[string]any{"first": 10}); r.Code() != "FORBIDDEN" {
				t.Fatalf("%s reading the moderation queue: %+v", who.Email, r.Errors)
			}
		}
		env.MustOp(staff.Token, "ReportedReviews", map[string]any{"first": 10}, &queue)
		if len(queue.ReviewReports.Edges) != 2 {
			t.Fatalf("staff's queue holds %d reports, want both", len(queue.ReviewReports.Edges))
		}
		first := queue.ReviewReports.Edges[0].Node.ID
		decide := func(who servertest.Account, decision string) servertest.Response {
			return env.Op(who.Token, "DecideReviewReport", input(map[string]any{"reportID": first, "decision": decision, "note": "insulting"}))
		}
		if r := decide(olga, "HIDE"); r.Code() != "FORBIDDEN" {
			t.Fatalf("an employer deciding a report: %+v", r.Errors)
		}
		if r := decide(staff, "HIDE"); r.Code() != "" {
			t.Fatal(r.Errors)
		}
		env.MustOp(staff.Token, "ReportedReviews", map[string]any{"first": 10}, &queue)
		if len(queue.ReviewReports.Edges) != 0 {
			t.Fatalf("hiding the review left %d reports open", len(queue.ReviewReports.Edges))
		}
		for _, who := range []servertest.Account{ana, ben} {
			if !inboxHas(t, env, who, "Staff decided your report of a review") {
				t.Fatalf("%s was not told the decision", who.Email)
			}
		}
		if r := decide(staff, "DISMISS"); r.Code() != "REPORT_DECIDED" {
			t.Fatalf("deciding twice: %+v", r.Errors)
		}
	})
}
