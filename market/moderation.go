package market

import (
	"context"
	"strings"

	"entgo.io/contrib/entgql"

	"flexwork/ent"
	"flexwork/ent/reviewreport"
	"flexwork/ent/rule"
	"flexwork/ent/staffaction"
)

// ReviewReports is staff's moderation queue: reports of reviews, oldest
// first, by status (OPEN when nil).
func (m *Market) ReviewReports(ctx context.Context, first *int, after *entgql.Cursor[string], status *reviewreport.Status) (*ent.ReviewReportConnection, error) {
	if _, err := staff(ctx, "read the moderation queue"); err != nil {
		return nil, err
	}
	st := reviewreport.StatusOPEN
	if status != nil {
		st = *status
	}
	return m.client(ctx).ReviewReport.Query().Where(reviewreport.StatusEQ(st)).
		Paginate(ctx, after, first, nil, nil, ent.WithReviewReportOrder(&ent.ReviewReportOrder{
			Direction: entgql.OrderDirectionAsc, Field: ent.ReviewReportOrderFieldCreatedAt}))
}

// Staff's decisions on a reported review.
const (
	HideReported    = "HIDE"    // the review breaks the rules: hide it
	DismissReported = "DISMISS" // it does not: it stays
)

// DecideReportInput is staff's decision on a report.
type DecideReportInput struct {
	ReportID string `json:"reportID" validate:"required"`
	Decision string `json:"decision" validate:"oneof=HIDE DISMISS"`
	Note     string `json:"note" validate:"required,max=500"`
}

// DecideReviewReport is staff deciding a report: HIDE takes the review down
// (and decides every open report of it), DISMISS leaves it. Each reporter
// hears the decision.
func (m *Market) DecideReviewReport(ctx context.Context, in DecideReportInput) (*Changed, error) {
	v, err := staff(ctx, "decide reports")
	if err != nil {
		return nil, err
	}
	in.Note = strings.TrimSpace(in.Note)
	if err := Validate(in); err != nil {
		return nil, err
	}
	var out *Changed
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		rep, err := c.ReviewReport.Get(ctx, in.ReportID)
		if ent.IsNotFound(err) {
			return NotFound("report")
		}
		if err != nil {
			return err
		}
		want := reviewreport.StatusDISMISSED
		if in.Decision == HideReported {
			want = reviewreport.StatusUPHELD
		}
		if rep.Status != reviewreport.StatusOPEN {
			if rep.Status == want && rep.DecisionNote == in.Note {
				out = &Changed{Report: rep} // a retry: decided as asked
				return out.reload(ctx, c)
			}
			return State(CodeReportDecided, "the report was decided already: %s", humanStatus(rep.Status.String()))
		}
		if in.Decision == HideReported {
			if _, err := m.hide(ctx, c, rep.ReviewID, in.Note, v.UserID); err != nil {
				return err
			}
		} else if err := m.decideReports(ctx, c, rep.ReviewID, reviewreport.StatusDISMISSED, in.Note, v.UserID, rep.ID); err != nil {
			return err
		}
		if err := m.audit(ctx, c, staffaction.ActionREVIEW_REPORT_DECIDED, rep.ID, in.Decision+": "+in.Note); err != nil {
			return err
		}
		r, err := c.Review.Get(ctx, rep.ReviewID)
		if err != nil {
			return err
		}
		out = &Changed{Report: rep, Review: r}
		return out.reload(ctx, c)
	})
	return out, err
}

// decideReports decides the open reports of a review (only those of ids,
// when given) and tells each reporter.
func (m *Market) decideReports(ctx context.Context, c *ent.Client, reviewID string, to reviewreport.Status, note, staffID string, ids ...string) error {
	sys := rule.System(ctx)
	q := c.ReviewReport.Query().Where(reviewreport.ReviewID(reviewID), reviewreport.StatusEQ(reviewreport.StatusOPEN))
	if len(ids) > 0 {
		q.Where(reviewreport.IDIn(ids...))
	}
	open, err := q.All(sys)
	if err != nil || len(open) == 0 {
		return err
	}
	for _, r := range open {
		if err := c.ReviewReport.UpdateOneID(r.ID).SetStatus(to).SetDecidedAt(m.Now()).SetDecidedByID(staffID).
			SetDecisionNote(note).Exec(sys); err != nil {
			return err
		}
		if err := m.emit(ctx, c, Event{Kind: ReviewReportDecided, ID: r.ID, UserID: r.ReporterID, Detail: string(to)}); err != nil {
			return err
		}
	}
	return nil
}
