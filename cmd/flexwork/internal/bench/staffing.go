package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"flexwork/ent"
	"flexwork/ent/application"
	"flexwork/ent/assignment"
	"flexwork/ent/offer"
	"flexwork/ent/rule"
	"flexwork/ent/schema/enum"
	"flexwork/ent/schema/pulid"
	"flexwork/ent/shift"
	"flexwork/ent/viewer"
	"flexwork/market"
)

// suggest: employers ask what to pay for a draft near one of their open
// shifts, with its skill, some days ahead.
func (l *lab) suggest(c *client, r *rand.Rand) func(ctx context.Context, g, n int) (Outcome, error) {
	src := &locked{r: rand.New(rand.NewPCG(r.Uint64(), 5))}
	return func(ctx context.Context, g, n int) (Outcome, error) {
		s := l.shifts[src.intN(len(l.shifts))]
		start := l.now.Add(72*time.Hour + time.Duration(src.intN(96))*time.Hour).Truncate(time.Hour)
		draft := map[string]any{
			"employerID": s.employerID, "title": "Picker", "engagementType": "PART_TIME", "address": "Bench",
			"location": map[string]any{"lat": s.place.Lat, "lng": s.place.Lng},
			"startsAt": start.Format(time.RFC3339), "endsAt": start.Add(6 * time.Hour).Format(time.RFC3339),
			"timeZone": "Europe/Berlin", "pay": map[string]any{"amount": 1500, "currency": "EUR"}, "payUnit": "HOUR",
			"slots": 1 + src.intN(5), "requiredSkillIDs": []string{s.skill},
		}
		o, err := c.op(ctx, l.owners[s.employerID], "PaySuggestion", map[string]any{"input": draft})
		return o, err
	}
}

// backfill times the cascade of a cancelled hire in process, over the
// seeded city, round after round until the duration is up: a full one-slot
// shift with ten workers on standby loses its hire (the cancellation runs
// the standby step, screening the ten, and the roster step), then, the
// standby offers lapsed, the sweep takes the best-matched step (screening
// everyone in reach, as the push fan-out does). Each round's shift is
// stopped after it, so the next step measured is only the next round's.
func (l *lab) backfill(ctx context.Context, o Options) error {
	sys := rule.System(ctx)
	var cancels, matched []time.Duration
	asked, reach := 0, 0
	began := time.Now()
	for round := 0; time.Since(began) < o.Duration; round++ {
		s := l.shifts[round%len(l.shifts)]
		owner := l.ownerUsers[s.employerID]
		boss := viewer.NewContext(ctx, &viewer.Viewer{UserID: owner, Roles: map[string]viewer.Role{s.employerID: viewer.RoleOwner}})
		start := time.Now().Add(60 * 24 * time.Hour).Truncate(time.Hour).Add(time.Duration(round) * 7 * time.Hour)
		shiftID, asg, err := l.fullShift(sys, s, owner, start, round)
		if err != nil {
			return err
		}
		m := market.New(l.db)
		t := time.Now()
		if _, err := m.CancelAssignment(boss, asg, "the order was cut"); err != nil {
			return err
		}
		cancels = append(cancels, time.Since(t))
		later := m.At(func() time.Time { return time.Now().Add(31 * time.Minute) })
		if _, err := later.ExpireOffers(ctx); err != nil {
			return err
		}
		sh, err := l.db.Shift.Get(sys, shiftID)
		if err != nil {
			return err
		}
		// Sweep until the cascade takes its best-matched step (after the
		// roster's, when standby asked someone); time that sweep.
		for step := 0; step < 3 && (sh.Backfill == nil || *sh.Backfill != shift.BackfillMATCHED); step++ {
			t = time.Now()
			if _, err := later.AdvanceBackfills(ctx); err != nil {
				return err
			}
			took := time.Since(t)
			if sh, err = l.db.Shift.Get(sys, sh.ID); err != nil {
				return err
			}
			if sh.Backfill != nil && *sh.Backfill == shift.BackfillMATCHED {
				matched = append(matched, took)
			}
		}
		n, err := l.db.Offer.Query().Where(offer.ShiftID(sh.ID), offer.StatusEQ(offer.StatusPENDING)).Count(sys)
		if err != nil {
			return err
		}
		if sh.Backfill != nil && *sh.Backfill == shift.BackfillMATCHED {
			asked += n
		}
		if rs, err := m.Recipients(ctx, sh.ID); err == nil {
			reach += len(rs)
		}
		if _, err := m.StopBackfill(boss, sh.ID); err != nil {
			return err
		}
	}
	var c, b Stats
	c.latencies(cancels)
	b.latencies(matched)
	rounds := len(matched)
	fmt.Fprintf(o.Out, "backfill: %d rounds; cancellation with 10 on standby (standby + roster steps): p50 %.1f ms  p95 %.1f ms  max %.1f ms\n",
		len(cancels), ms(c.P50), ms(c.P95), ms(c.Max))
	fmt.Fprintf(o.Out, "          best-matched step (sweep): p50 %.1f ms  p95 %.1f ms  max %.1f ms; %.1f asked per step of %.0f eligible in reach\n",
		ms(b.P50), ms(b.P95), ms(b.Max), float64(asked)/float64(max(rounds, 1)), float64(reach)/float64(max(rounds, 1)))
	if asked == 0 {
		return fmt.Errorf("backfill: the best-matched step asked nobody in %d rounds", rounds)
	}
	return nil
}

// fullShift writes a published one-slot shift at s's place, with s's
// skill, already filled by one worker, with ten more on standby; it
// returns the shift and the hire.
func (l *lab) fullShift(ctx context.Context, s labShift, owner string, start time.Time, round int) (string, string, error) {
	sh, err := l.db.Shift.Create().SetEmployerID(s.employerID).SetCreatedByID(owner).SetTitle("Backfill shift").
		SetEngagementType(enum.PartTime).SetStatus(shift.StatusFILLED).SetAddress("Bench").SetLat(s.place.Lat).SetLng(s.place.Lng).
		SetStartsAt(start).SetEndsAt(start.Add(4 * time.Hour)).SetTimeZone("Europe/Berlin").SetPayRate(1500).SetCurrency("EUR").
		SetPayUnit(shift.PayUnitHOUR).SetHourlyRate(1500).SetSlots(1).SetFilled(1).
		SetRequiredSkillIds([]string{s.skill}).AddRequiredSkillIDs(s.skill).Save(ctx)
	if err != nil {
		return "", "", err
	}
	var apps []*ent.ApplicationCreate
	for k := range 11 {
		w := l.workers[(round*11+k)%len(l.workers)]
		status := application.StatusSTANDBY
		if k == 0 {
			status = application.StatusHIRED
		}
		apps = append(apps, l.db.Application.Create().SetID(pulid.New("apl")).SetShiftID(sh.ID).SetWorkerID(w.id).
			SetEmployerID(s.employerID).SetStatus(status).SetStandby(k > 0))
	}
	if err := l.db.Application.CreateBulk(apps...).Exec(ctx); err != nil {
		return "", "", err
	}
	a, err := l.db.Assignment.Create().SetShiftID(sh.ID).SetWorkerID(l.workers[(round*11)%len(l.workers)].id).
		SetEmployerID(s.employerID).SetStatus(assignment.StatusSCHEDULED).SetStartsAt(start).SetEndsAt(start.Add(4 * time.Hour)).Save(ctx)
	if err != nil {
		return "", "", err
	}
	return sh.ID, a.ID, nil
}
