package demo

import (
	"context"
	"time"

	"flexwork/ent"
	"flexwork/ent/insurancecover"
	"flexwork/ent/schema/enum"
	"flexwork/ent/shift"
	"flexwork/market"
)

// Shanghai's past three weeks, so that the auditor's report for the city
// (README) has something to show, good and bad: the restaurant, on credit
// terms (cnOrg.onCredit), paid one wage on time and one late after a dispute it settled,
// and never insured its latest hire, who was turned away at check-in; the
// delivery partner's gig, insured by flexwork, was paid from escrow on
// approval.

// cnPastShift is one shift of Shanghai's past: who posted it, when, who
// worked it, and how it went.
type cnPastShift struct {
	org      string
	daysAgo  int
	workers  []int // indexes into the Shanghai workers
	insured  bool  // the cover the law asks was recorded
	payLate  bool  // marked paid three days after the deadline, after a dispute the employer settled
	turnAway bool  // not worked: check-in refused for the missing cover
}

var cnPast = []cnPastShift{
	{org: "laonongtang", daysAgo: 18, workers: []int{4, 5}, insured: true},
	{org: "laonongtang", daysAgo: 12, workers: []int{6}, insured: true, payLate: true},
	{org: "shansong", daysAgo: 6, workers: []int{8}, insured: true},
	{org: "laonongtang", daysAgo: 3, workers: []int{7}, turnAway: true},
}

// seedShanghaiPast plays cnPast through market on a clock that steps
// through it, as seedHistory does for Berlin.
func seedShanghaiPast(ctx context.Context, m *market.Market, orgs map[string]*ent.Employer, owners map[string]context.Context,
	workers []context.Context, bySlug map[string]*ent.Skill, staff context.Context) error {
	tl := &timeline{}
	today := m.Now().Truncate(24 * time.Hour)
	for _, p := range cnPast {
		e, owner := orgs[p.org], owners[p.org]
		engagement, skill := enum.PartTime, bySlug["waiter"]
		if p.org == "shansong" {
			engagement, skill = enum.PlatformGig, bySlug["food-delivery"]
		}
		where := market.GeoPoint{Lat: *e.Lat, Lng: *e.Lng}
		start := today.AddDate(0, 0, -p.daysAgo).Add(2 * time.Hour) // 10:00 in Shanghai
		end := start.Add(4 * time.Hour)
		var hires []string
		sheets := map[string]string{}
		tl.at(start.Add(-3*24*time.Hour), func(ctx context.Context, m *market.Market) error {
			created, err := m.CreateShift(owner, market.CreateShiftInput{EmployerID: e.ID, Title: skill.Name, EngagementType: engagement,
				Address: "上海市 " + e.Name, Location: where, StartsAt: start, EndsAt: end, TimeZone: "Asia/Shanghai",
				Pay: market.Money{Amount: 3000, Currency: "CNY"}, PayUnit: shift.PayUnitHOUR, Slots: len(p.workers)})
			if err != nil {
				return err
			}
			if _, err := m.PublishShift(owner, created.Shift.ID); err != nil {
				return err
			}
			for _, i := range p.workers {
				hired, err := hireAndSign(m, workers[i], owner, created.Shift.ID)
				if err != nil {
					return err
				}
				hires = append(hires, hired.ID)
				if !p.insured {
					continue
				}
				// The restaurant enrols its part-timers in work-injury
				// insurance; flexwork covers its platform gig workers.
				by, kind, insurer := owner, insurancecover.KindOCCUPATIONAL_INJURY, "中国人民财产保险"
				if p.org == "shansong" {
					by = staff
				}
				if _, err := m.RecordCover(by, market.CoverInput{AssignmentID: hired.ID, Kind: kind, Insurer: insurer,
					PolicyNumber: "PICC-SH-" + hired.ID, CoversFrom: start, CoversTo: end}); err != nil {
					return err
				}
			}
			return nil
		})
		if p.turnAway {
			continue // check-in is refused: COVER_MISSING
		}
		tl.at(start, func(ctx context.Context, m *market.Market) error {
			for n, i := range p.workers {
				if _, err := m.CheckIn(workers[i], market.PresenceInput{AssignmentID: hires[n], Location: where}); err != nil {
					return err
				}
			}
			return nil
		})
		tl.at(end, func(ctx context.Context, m *market.Market) error {
			for n, i := range p.workers {
				out, err := m.CheckOut(workers[i], market.PresenceInput{AssignmentID: hires[n], Location: where})
				if err != nil {
					return err
				}
				sheets[hires[n]] = out.Timesheet.ID
				if _, err := m.ApproveTimesheet(owner, market.ApproveInput{TimesheetID: out.Timesheet.ID}); err != nil {
					return err
				}
			}
			return nil
		})
		if p.org == "shansong" {
			continue // prefunded: paid from escrow on approval
		}
		paidAt := end.Add(24 * time.Hour)
		if p.payLate {
			// The worker says a half hour is missing; the restaurant agrees.
			tl.at(end.Add(2*time.Hour), func(ctx context.Context, m *market.Market) error {
				id := sheets[hires[0]]
				if _, err := m.DisputeTimesheet(workers[p.workers[0]], id, "收尾多做了半小时"); err != nil {
					return err
				}
				minutes, reason := 270, "确认多做了半小时"
				_, err := m.ApproveTimesheet(owner, market.ApproveInput{TimesheetID: id, ApprovedMinutes: &minutes, Reason: &reason})
				return err
			})
			paidAt = end.Add(10 * 24 * time.Hour)
		}
		tl.at(paidAt, func(ctx context.Context, m *market.Market) error {
			for n, i := range p.workers {
				id := sheets[hires[n]]
				if _, err := m.MarkPaid(owner, id, "工资转账 "+id); err != nil {
					return err
				}
				if _, err := m.ConfirmPayment(workers[i], id); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return tl.run(ctx, m)
}

// hireAndSign has the worker apply, the employer offer, the worker accept,
// and both sign the contract.
func hireAndSign(m *market.Market, worker, owner context.Context, shiftID string) (*ent.Assignment, error) {
	applied, err := m.ApplyToShift(worker, market.ApplyInput{ShiftID: shiftID})
	if err != nil {
		return nil, err
	}
	o, err := m.SendOffer(owner, market.SendOfferInput{ApplicationID: &applied.Application.ID})
	if err != nil {
		return nil, err
	}
	hired, err := m.AcceptOffer(worker, o.Offer.ID)
	if err != nil {
		return nil, err
	}
	for _, who := range []context.Context{worker, owner} {
		if _, err := m.SignContract(who, hired.Contract.ID); err != nil {
			return nil, err
		}
	}
	return hired.Assignment, nil
}
