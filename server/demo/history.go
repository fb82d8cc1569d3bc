package demo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"flexwork/ent"
	"flexwork/ent/creditevent"
	"flexwork/ent/schema/enum"
	"flexwork/ent/shift"
	"flexwork/ent/timesheet"
	"flexwork/ent/viewer"
	"flexwork/market"
)

// A city with a past: in the three weeks before now, shifts were posted,
// worked, approved, paid and reviewed; a no-show was marked and disputed;
// yesterday's shift waits for approval. It is all done through market, on a
// clock that the steps move forward, so the ledger, credit and inboxes hold
// what they would had it happened live.

// step is one thing done at one moment of the past.
type step struct {
	at time.Time
	do func(ctx context.Context, m *market.Market) error
}

// timeline runs steps in the order of their moments, on a market whose
// clock reads each step's moment.
type timeline struct {
	steps []step
	now   time.Time
}

func (tl *timeline) at(at time.Time, do func(ctx context.Context, m *market.Market) error) {
	tl.steps = append(tl.steps, step{at, do})
}

func (tl *timeline) run(ctx context.Context, m *market.Market) error {
	slices.SortStableFunc(tl.steps, func(a, b step) int { return a.at.Compare(b.at) })
	past := m.At(func() time.Time { return tl.now })
	for _, s := range tl.steps {
		tl.now = s.at
		if err := s.do(ctx, past); err != nil {
			return fmt.Errorf("demo: at %s: %w", s.at.Format(time.DateTime), err)
		}
	}
	return nil
}

// pastShift is one shift of the past and how it went.
type pastShift struct {
	employer   int // index into employers
	start      time.Time
	hours      int
	workers    []context.Context
	ending     ending
	id         string
	where      market.GeoPoint
	hires      []string
	timesheets []string
	// released are the timesheets whose wage approval paid from escrow:
	// nothing for the employer to mark or the worker to confirm.
	released map[string]bool
	dispute  string
}

type ending int

const (
	workedAndPaid    ending = iota // worked, approved, paid, confirmed, reviewed
	noShow                         // the worker did not come; they dispute it, the employer answers
	awaitingApproval               // worked yesterday; the timesheet waits for the employer
	startingSoon                   // hired; starts in minutes
)

// seedHistory plays the past shifts. owners are the employers' owners,
// signed in; skills the employers' skills by slug.
func seedHistory(ctx context.Context, m *market.Market, now time.Time, owners []context.Context, made []*ent.Employer,
	skills map[string]*ent.Skill, past []*pastShift) error {
	tl := &timeline{}
	for _, p := range past {
		def, e, owner := employers[p.employer], made[p.employer], owners[p.employer]
		skill := skills[def.skills[0]]
		p.where = market.GeoPoint{Lat: *e.Lat, Lng: *e.Lng}
		end := p.start.Add(time.Duration(p.hours) * time.Hour)
		tl.at(p.start.Add(-5*24*time.Hour), func(ctx context.Context, m *market.Market) error {
			breakMinutes := 30
			created, err := m.CreateShift(owner, market.CreateShiftInput{
				EmployerID: e.ID, Title: skill.Name, EngagementType: def.engagement,
				Address: e.Name + ", Berlin", Location: p.where,
				StartsAt: p.start, EndsAt: end, TimeZone: "Europe/Berlin", UnpaidBreakMinutes: &breakMinutes,
				Pay: market.Money{Amount: 1550, Currency: "EUR"}, PayUnit: shift.PayUnitHOUR,
				Slots: len(p.workers), RequiredSkillIDs: []string{skill.ID},
			})
			if err != nil {
				return err
			}
			p.id = created.Shift.ID
			if _, err := m.PublishShift(owner, p.id); err != nil {
				return err
			}
			for _, w := range p.workers {
				hired, err := hireAndSign(m, w, owner, p.id)
				if err != nil {
					return err
				}
				p.hires = append(p.hires, hired.ID)
			}
			return nil
		})
		if p.ending == startingSoon {
			continue
		}
		if p.ending == noShow {
			tl.at(p.start.Add(45*time.Minute), func(ctx context.Context, m *market.Market) error {
				_, err := m.MarkNoShow(owner, p.hires[0])
				return err
			})
			tl.at(p.start.Add(26*time.Hour), func(ctx context.Context, m *market.Market) error {
				w := p.workers[0]
				report, err := m.CreditReport(w, viewer.FromContext(w).WorkerID)
				if err != nil {
					return err
				}
				for _, f := range report.Factors {
					for _, ev := range f.Events {
						if ev.Kind == creditevent.KindNO_SHOW {
							d, err := m.DisputeCreditEvent(w, market.DisputeInput{EventID: ev.ID,
								Reason: "My tram broke down; I called the shift lead at 8:10 and she said not to come."})
							if err == nil {
								p.dispute = d.Dispute.ID
							}
							return err
						}
					}
				}
				return fmt.Errorf("no no-show in the credit report")
			})
			tl.at(p.start.Add(50*time.Hour), func(ctx context.Context, m *market.Market) error {
				_, err := m.AnswerCreditDispute(owner, market.AnswerDisputeInput{DisputeID: p.dispute,
					Response: "No call reached the shift lead's phone that morning; we waited until 8:45."})
				return err
			})
			continue
		}
		tl.at(p.start, func(ctx context.Context, m *market.Market) error {
			for i, w := range p.workers {
				if _, err := m.CheckIn(w, market.PresenceInput{AssignmentID: p.hires[i], Location: p.where}); err != nil {
					return err
				}
			}
			return nil
		})
		tl.at(end, func(ctx context.Context, m *market.Market) error {
			for i, w := range p.workers {
				out, err := m.CheckOut(w, market.PresenceInput{AssignmentID: p.hires[i], Location: p.where})
				if err != nil {
					return err
				}
				p.timesheets = append(p.timesheets, out.Timesheet.ID)
			}
			return nil
		})
		if p.ending == awaitingApproval {
			continue
		}
		tl.at(end.Add(3*time.Hour), func(ctx context.Context, m *market.Market) error {
			p.released = map[string]bool{}
			for _, t := range p.timesheets {
				out, err := m.ApproveTimesheet(owner, market.ApproveInput{TimesheetID: t})
				if err != nil {
					return err
				}
				p.released[t] = out.Timesheet.PaymentStatus == timesheet.PaymentStatusRELEASED
			}
			return nil
		})
		tl.at(end.Add(2*24*time.Hour), func(ctx context.Context, m *market.Market) error {
			for i, t := range p.timesheets {
				if p.released[t] {
					continue
				}
				if _, err := m.MarkPaid(owner, t, fmt.Sprintf("SEPA-%s-%d", p.start.Format("0102"), i+1)); err != nil {
					return err
				}
			}
			return nil
		})
		tl.at(end.Add(3*24*time.Hour), func(ctx context.Context, m *market.Market) error {
			for i, w := range p.workers {
				if !p.released[p.timesheets[i]] {
					if _, err := m.ConfirmPayment(w, p.timesheets[i]); err != nil {
						return err
					}
				}
				warm := "Well organised, and the team helped me find my way."
				if _, err := m.SubmitReview(w, market.SubmitReviewInput{AssignmentID: p.hires[i], Rating: 4 + i%2,
					Tags: []string{"PAID_ON_TIME", "WELL_ORGANISED"}, Comment: &warm}); err != nil {
					return err
				}
				thanks := "Punctual and careful; welcome back any time."
				if _, err := m.SubmitReview(owner, market.SubmitReviewInput{AssignmentID: p.hires[i], Rating: 5 - i%2,
					Tags: []string{"PUNCTUAL", "RELIABLE"}, Comment: &thanks}); err != nil {
					return err
				}
			}
			return nil
		})
	}
	tl.now = now
	return tl.run(ctx, m)
}

// planPast lays out the past: for each employer two shifts on days of
// their own over the last three weeks, staffed by workers who have the
// skill; worker1 works three of them, and keeps a clean record; the fourth
// shift's first worker did not come; yesterday's shift at Café Linde, worked
// by worker1, waits for approval.
func planPast(now time.Time, workers []context.Context, skillsOf map[string][]string, skills map[string]*ent.Skill) []*pastShift {
	day := now.Truncate(24*time.Hour).AddDate(0, 0, -19)
	var past []*pastShift
	next := 1 // workers other than worker1 take turns
	for round := 0; round < 2; round++ {
		for i := range employers {
			p := &pastShift{employer: i, start: day.Add(7 * time.Hour), hours: 6}
			day = day.AddDate(0, 0, 1)
			slug := employers[i].skills[0]
			if n := len(past); n%4 == 0 && hasSkill(skillsOf, workers[0], slug, skills) {
				p.workers = append(p.workers, workers[0])
			}
			for len(p.workers) < 2 && next < len(workers) {
				w := workers[next]
				next++
				if hasSkill(skillsOf, w, slug, skills) {
					p.workers = append(p.workers, w)
				}
			}
			past = append(past, p)
		}
	}
	past[3].ending = noShow
	if len(past[3].workers) > 0 && past[3].workers[0] == workers[0] {
		past[3].workers = past[3].workers[1:] // worker1 keeps a clean record
	}
	yesterday := &pastShift{employer: 0, start: now.Truncate(24*time.Hour).AddDate(0, 0, -1).Add(7 * time.Hour), hours: 6,
		workers: []context.Context{workers[0]}, ending: awaitingApproval}
	past = append(past, yesterday)
	return slices.DeleteFunc(past, func(p *pastShift) bool { return len(p.workers) == 0 })
}

// hasSkill says whether the worker was given the skill; skillsOf holds
// each demo worker's skill IDs by user.
func hasSkill(skillsOf map[string][]string, w context.Context, slug string, skills map[string]*ent.Skill) bool {
	return slices.Contains(skillsOf[viewer.FromContext(w).UserID], skills[slug].ID)
}

// engagementsFor is what a demo worker accepts: most take any form of
// work; every third only employment and platform gigs.
func engagementsFor(i int) []enum.EngagementType {
	if i%3 == 0 {
		return []enum.EngagementType{enum.PartTime, enum.PlatformGig}
	}
	return enum.EngagementTypes
}
