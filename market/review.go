package market

import (
	"context"

	"entgo.io/contrib/entgql"
	"fmt"
	"slices"
	"strings"
	"time"

	"flexwork/ent"
	"flexwork/ent/assignment"
	"flexwork/ent/creditevent"
	"flexwork/ent/employer"
	"flexwork/ent/review"
	"flexwork/ent/reviewreport"
	"flexwork/ent/rule"
	"flexwork/ent/workerprofile"
)

// ReviewWindow is how long after a shift's end its parties may review each
// other; it is also when unmatched reviews are revealed.
const ReviewWindow = 14 * 24 * time.Hour

// Review tags, per direction.
var (
	WorkerTags   = []string{"PUNCTUAL", "SKILLED", "FRIENDLY", "RELIABLE", "HARD_WORKING", "WOULD_HIRE_AGAIN"}
	EmployerTags = []string{"PAID_ON_TIME", "SAFE_WORKPLACE", "ACCURATE_DESCRIPTION", "FRIENDLY_TEAM", "WELL_ORGANISED", "WOULD_WORK_AGAIN"}
)

// reviewable are the assignment states after which the parties review.
var reviewable = []assignment.Status{assignment.StatusCHECKED_OUT, assignment.StatusAPPROVED, assignment.StatusPAID, assignment.StatusNO_SHOW}

// SubmitReviewInput rates the other party of a finished assignment.
type SubmitReviewInput struct {
	AssignmentID string   `json:"assignmentID" validate:"required"`
	Rating       int      `json:"rating" validate:"gte=1,lte=5"`
	Tags         []string `json:"tags" validate:"omitempty,max=6,unique"`
	Comment      *string  `json:"comment" validate:"omitempty,max=2000"`
}

// SubmitReview records the viewer's review of the other party of a finished
// assignment — once per side, within 14 days of the end. Reviews are
// double-blind: nobody else sees one until both sides have reviewed, when
// both are revealed at once and start to count.
func (m *Market) SubmitReview(ctx context.Context, in SubmitReviewInput) (*Changed, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	var out *Changed
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		a, err := c.Assignment.Query().Where(assignment.ID(in.AssignmentID)).WithShift().Only(ctx)
		if ent.IsNotFound(err) {
			return NotFound("assignment")
		}
		if err != nil {
			return err
		}
		direction, tags := review.DirectionWORKER_TO_EMPLOYER, EmployerTags
		if a.WorkerID != v.WorkerID {
			if _, err := manager(ctx, a.EmployerID, "review workers"); err != nil {
				return err
			}
			direction, tags = review.DirectionEMPLOYER_TO_WORKER, WorkerTags
		}
		for i, tag := range in.Tags {
			if !slices.Contains(tags, tag) {
				return BadInput(fmt.Sprintf("tags[%d]", i), "is not a tag for this review; use one of "+strings.Join(tags, ", "))
			}
		}
		now, end := m.Now(), a.Edges.Shift.EndsAt
		switch {
		case !slices.Contains(reviewable, a.Status):
			return State(CodeReviewNotOpen, "reviews open once the shift is worked; this hire is %s", humanStatus(a.Status.String()))
		case !now.Before(end.Add(ReviewWindow)):
			return State(CodeReviewWindowClosed, "the review window closed 14 days after the shift, on %s", end.Add(ReviewWindow).Format("2 Jan 2006"))
		}
		// The two sides' reviews queue on the assignment's row: each then
		// counts the other's once it is committed, and the second to commit
		// reveals both. Without the lock, two submitted at once each saw
		// only its own and neither was revealed.
		if err := c.Assignment.UpdateOneID(a.ID).SetUpdatedAt(now).Exec(rule.System(ctx)); err != nil {
			return err
		}
		if prior, err := c.Review.Query().Where(review.AssignmentID(a.ID), review.DirectionEQ(direction)).Only(rule.System(ctx)); err == nil {
			if prior.AuthorID == v.UserID && prior.Rating == in.Rating && slices.Equal(prior.Tags, in.Tags) &&
				(in.Comment == nil && prior.Comment == "" || in.Comment != nil && strings.TrimSpace(*in.Comment) == prior.Comment) {
				out = &Changed{Review: prior} // a retry: the review is in
				return out.withCounterpart(ctx, c, direction)
			}
			return State(CodeAlreadyReviewed, "this side has already reviewed the shift")
		} else if !ent.IsNotFound(err) {
			return err
		}
		create := c.Review.Create().SetAssignmentID(a.ID).SetAuthorID(v.UserID).SetDirection(direction).
			SetWorkerID(a.WorkerID).SetEmployerID(a.EmployerID).SetRating(in.Rating).SetTags(in.Tags)
		if in.Comment != nil {
			create.SetComment(strings.TrimSpace(*in.Comment))
		}
		r, err := create.Save(ctx)
		if ent.IsConstraintError(err) {
			return State(CodeAlreadyReviewed, "this side has already reviewed the shift")
		}
		if err != nil {
			return err
		}
		// The other side's review, if in, means both are now revealed.
		if both, err := c.Review.Query().Where(review.AssignmentID(a.ID)).Count(rule.System(ctx)); err != nil {
			return err
		} else if both == 2 {
			if err := m.reveal(ctx, c, a.ID); err != nil {
				return err
			}
		}
		out = &Changed{Review: r}
		return out.withCounterpart(ctx, c, direction)
	})
	return out, err
}

// withCounterpart adds the other side's review once the two are revealed,
// and reads the viewer's again (the reveal stamped it).
func (ch *Changed) withCounterpart(ctx context.Context, c *ent.Client, mine review.Direction) error {
	other := review.DirectionWORKER_TO_EMPLOYER
	if mine == other {
		other = review.DirectionEMPLOYER_TO_WORKER
	}
	theirs, err := c.Review.Query().Where(review.AssignmentID(ch.Review.AssignmentID), review.DirectionEQ(other),
		review.RevealedAtNotNil()).Only(ctx)
	switch {
	case err == nil:
		ch.Counterpart = theirs
	case !ent.IsNotFound(err):
		return err
	}
	return ch.reload(ctx, c)
}

// reveal makes an assignment's reviews visible and counts them: a credit
// event for each reviewed party and fresh rating averages.
func (m *Market) reveal(ctx context.Context, c *ent.Client, assignmentID string) error {
	sys := rule.System(ctx)
	now := m.Now()
	reviews, err := c.Review.Query().Where(review.AssignmentID(assignmentID), review.RevealedAtIsNil()).All(sys)
	if err != nil || len(reviews) == 0 {
		return err
	}
	ids := make([]string, len(reviews))
	for i, r := range reviews {
		ids[i] = r.ID
	}
	if err := c.Review.Update().Where(review.IDIn(ids...), review.RevealedAtIsNil()).SetRevealedAt(now).Exec(sys); err != nil {
		return err
	}
	for _, r := range reviews {
		fact := creditFact{kind: creditevent.KindREVIEW_REVEALED, rating: ptr(r.Rating), sourceID: r.ID}
		if r.Direction == review.DirectionEMPLOYER_TO_WORKER {
			fact.workerID = r.WorkerID
		} else {
			fact.employerID = r.EmployerID
		}
		if _, err := m.recordCredit(ctx, c, fact); err != nil {
			return err
		}
		if err := m.rerate(ctx, c, r); err != nil {
			return err
		}
	}
	return nil
}

// rerate recomputes the rating average of the party a review is about, from
// its revealed, visible reviews.
func (m *Market) rerate(ctx context.Context, c *ent.Client, r *ent.Review) error {
	sys := rule.System(ctx)
	q := c.Review.Query().Where(review.RevealedAtNotNil(), review.HiddenAtIsNil(), review.DirectionEQ(r.Direction))
	if r.Direction == review.DirectionEMPLOYER_TO_WORKER {
		q.Where(review.WorkerID(r.WorkerID))
	} else {
		q.Where(review.EmployerID(r.EmployerID))
	}
	ratings, err := q.Select(review.FieldRating).Ints(sys)
	if err != nil {
		return err
	}
	avg := 0.0
	for _, x := range ratings {
		avg += float64(x)
	}
	if len(ratings) > 0 {
		avg /= float64(len(ratings))
	}
	if r.Direction == review.DirectionEMPLOYER_TO_WORKER {
		return c.WorkerProfile.Update().Where(workerprofile.ID(r.WorkerID)).SetRatingAvg(avg).SetRatingCount(len(ratings)).Exec(sys)
	}
	return c.Employer.Update().Where(employer.ID(r.EmployerID)).SetRatingAvg(avg).SetRatingCount(len(ratings)).Exec(sys)
}

// RevealDueReviews reveals the reviews whose window has closed without the
// other side's; the sweep runs it.
func (m *Market) RevealDueReviews(ctx context.Context) (int, error) {
	ctx = rule.System(ctx)
	due, err := m.db.Review.Query().Where(review.RevealedAtIsNil(),
		review.HasAssignmentWith(assignment.EndsAtLTE(m.Now().Add(-ReviewWindow)))).
		Select(review.FieldAssignmentID).Strings(ctx)
	if err != nil {
		return 0, err
	}
	seen := map[string]bool{}
	for _, id := range due {
		if seen[id] {
			continue
		}
		seen[id] = true
		if err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error { return m.reveal(ctx, c, id) }); err != nil {
			return len(seen), err
		}
	}
	return len(seen), nil
}

// ReplyToReview lets the reviewed party answer a revealed review, once.
func (m *Market) ReplyToReview(ctx context.Context, id, reply string) (*Changed, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	reply = strings.TrimSpace(reply)
	if reply == "" || len(reply) > 2000 {
		return nil, BadInput("reply", "write a reply of at most 2000 characters")
	}
	var out *Changed
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		r, err := c.Review.Get(ctx, id)
		if ent.IsNotFound(err) {
			return NotFound("review")
		}
		if err != nil {
			return err
		}
		subject := v.WorkerID != "" && r.Direction == review.DirectionEMPLOYER_TO_WORKER && r.WorkerID == v.WorkerID
		if r.Direction == review.DirectionWORKER_TO_EMPLOYER && v.IsMember(r.EmployerID) {
			if _, err := manager(ctx, r.EmployerID, "reply to reviews"); err != nil {
				return err
			}
			subject = true
		}
		if !subject {
			return Forbidden("only the reviewed party may reply")
		}
		n, err := c.Review.Update().Where(review.ID(id), review.Reply(""), review.RevealedAtNotNil()).
			SetReply(reply).SetRepliedAt(m.Now()).Save(rule.System(ctx))
		if err != nil {
			return err
		}
		if n == 0 {
			if r.RevealedAt == nil {
				return State(CodeReviewNotOpen, "a review is answered once it is revealed")
			}
			if r.Reply == reply {
				out = &Changed{Review: r} // a retry: the reply is in
				return nil
			}
			return State(CodeAlreadyReplied, "a review is answered once")
		}
		out = &Changed{Review: r}
		return out.reload(ctx, c)
	})
	return out, err
}

// ReportReview flags a review for staff.
func (m *Market) ReportReview(ctx context.Context, id, reason string) (*Changed, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || len(reason) > 500 {
		return nil, BadInput("reason", "say why, in at most 500 characters")
	}
	var out *Changed
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		r, err := c.Review.Get(ctx, id)
		if ent.IsNotFound(err) {
			return NotFound("review")
		} else if err != nil {
			return err
		}
		report, err := c.ReviewReport.Create().SetReviewID(id).SetReporterID(v.UserID).SetReason(reason).Save(ctx)
		if ent.IsConstraintError(err) {
			return State(CodeAlreadyReported, "you have already reported this review")
		}
		if err != nil {
			return err
		}
		out = &Changed{Review: r, Report: report}
		return m.emit(ctx, c, Event{Kind: ReviewReported, ID: r.ID, Detail: reason})
	})
	return out, err
}

// LedgerReviewHidden records a staff decision to hide a review.
const LedgerReviewHidden = "REVIEW_HIDDEN"

// HideReview is staff taking a review down, with the reason kept in the
// ledger; it stops counting toward ratings and credit.
func (m *Market) HideReview(ctx context.Context, id, reason string) (*Changed, error) {
	v, err := staff(ctx, "hide reviews")
	if err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || len(reason) > 500 {
		return nil, BadInput("reason", "say why, in at most 500 characters")
	}
	var out *Changed
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		r, err := m.hide(ctx, c, id, reason, v.UserID)
		if err != nil {
			return err
		}
		out = &Changed{Review: r}
		return out.reload(ctx, c)
	})
	return out, err
}

// hide takes a review down: hidden, on the ledger, no longer counting, and
// every open report of it decided as upheld.
func (m *Market) hide(ctx context.Context, c *ent.Client, id, reason, staffID string) (*ent.Review, error) {
	n, err := c.Review.Update().Where(review.ID(id), review.HiddenAtIsNil()).
		SetHiddenAt(m.Now()).SetHiddenReason(reason).Save(ctx)
	if err != nil {
		return nil, err
	}
	r, err := c.Review.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, NotFound("review")
	}
	if err != nil {
		return nil, err
	}
	if n == 0 {
		if r.HiddenReason == reason {
			return r, nil // a retry: hidden already
		}
		return nil, State(CodeReviewHidden, "the review was hidden on %s", r.HiddenAt.Format("2 Jan 2006"))
	}
	if _, err := m.appendLedger(ctx, c, LedgerReviewHidden, id, staffID, map[string]any{"reason": reason}); err != nil {
		return nil, err
	}
	if r.RevealedAt != nil { // it counted: take it back
		counted, err := c.CreditEvent.Query().Where(creditevent.SourceID(id), creditevent.KindEQ(creditevent.KindREVIEW_REVEALED)).
			Only(rule.System(ctx))
		if err != nil {
			return nil, err
		}
		if _, err := m.reverseCredit(ctx, c, counted, "review hidden by staff: "+reason); err != nil {
			return nil, err
		}
		if err := m.rerate(ctx, c, r); err != nil {
			return nil, err
		}
	}
	return r, m.decideReports(ctx, c, id, reviewreport.StatusUPHELD, reason, staffID)
}

// RatingSummary is a party's revealed, visible reviews summed up.
type RatingSummary struct {
	Average float64    `json:"average"`
	Count   int        `json:"count"`
	Tags    []TagCount `json:"tags"`
}

// TagCount is how often a tag was given.
type TagCount struct {
	Tag   string `json:"tag"`
	Count int    `json:"count"`
}

// Ratings sums up the reviews of a worker (a wkr_ ID) or an employer.
func (m *Market) Ratings(ctx context.Context, subject string) (*RatingSummary, error) {
	q := m.client(ctx).Review.Query().Where(review.RevealedAtNotNil(), review.HiddenAtIsNil())
	if isEmployer(subject) {
		q.Where(review.EmployerID(subject), review.DirectionEQ(review.DirectionWORKER_TO_EMPLOYER))
	} else {
		q.Where(review.WorkerID(subject), review.DirectionEQ(review.DirectionEMPLOYER_TO_WORKER))
	}
	reviews, err := q.All(rule.System(ctx))
	if err != nil {
		return nil, err
	}
	out := &RatingSummary{Count: len(reviews), Tags: []TagCount{}}
	tags := map[string]int{}
	for _, r := range reviews {
		out.Average += float64(r.Rating)
		for _, t := range r.Tags {
			tags[t]++
		}
	}
	if out.Count > 0 {
		out.Average /= float64(out.Count)
	}
	for tag, n := range tags {
		out.Tags = append(out.Tags, TagCount{Tag: tag, Count: n})
	}
	slices.SortFunc(out.Tags, func(a, b TagCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Tag, b.Tag)
	})
	return out, nil
}

// ReviewsOf pages through the revealed, visible reviews of a worker (a wkr_
// ID) or an employer, most recently revealed first.
func (m *Market) ReviewsOf(ctx context.Context, subject string, first *int, after *entgql.Cursor[string]) (*ent.ReviewConnection, error) {
	q := m.client(ctx).Review.Query().Where(review.RevealedAtNotNil(), review.HiddenAtIsNil())
	if isEmployer(subject) {
		q.Where(review.EmployerID(subject), review.DirectionEQ(review.DirectionWORKER_TO_EMPLOYER))
	} else {
		q.Where(review.WorkerID(subject), review.DirectionEQ(review.DirectionEMPLOYER_TO_WORKER))
	}
	return q.Paginate(ctx, after, first, nil, nil, ent.WithReviewOrder(&ent.ReviewOrder{
		Direction: entgql.OrderDirectionDesc, Field: ent.ReviewOrderFieldRevealedAt}))
}

// ReviewTags lists the tags a review in a direction may carry.
func (m *Market) ReviewTags(direction review.Direction) []string {
	if direction == review.DirectionWORKER_TO_EMPLOYER {
		return EmployerTags
	}
	return WorkerTags
}
