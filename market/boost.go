package market

import (
	"context"
	"time"

	"flexwork/ent"
	"flexwork/ent/rule"
	"flexwork/ent/shift"
)

// A boost raises the pay of a shift still unfilled near its start: it is
// added, in the shift's pay unit, to the pay of every hire made while it
// is on, and frozen on the hire (Assignment.boost): the contract states the
// boosted pay, the wage and a late cancellation's fee are computed at it,
// and the hire's ledger entry names it. Hires made before keep the pay they
// signed for. A boost only rises, to at most the shift's own pay (a
// doubling). The employer boosts by hand (boostShift), or pre-authorises a
// cap (preauthoriseBoost) that the sweep climbs in thirds as the start
// nears unfilled: a third from 12 hours before, two thirds from 6, all of
// it from 2. Every boost is on the ledger, the employer hears of the ones
// the sweep makes, and the shift is announced again.
const (
	// LedgerShiftBoosted records a boost: its amount, the one before, and
	// whether the sweep made it under a pre-authorised cap.
	LedgerShiftBoosted = "SHIFT_BOOSTED"
	// LedgerBoostAuthorised records a pre-authorised cap.
	LedgerBoostAuthorised = "BOOST_AUTHORISED"
)

// autoBoostSteps are the sweep's boosts: from this long before the start,
// this many thirds of the cap.
var autoBoostSteps = []struct {
	before time.Duration
	thirds int64
}{{2 * time.Hour, 3}, {6 * time.Hour, 2}, {12 * time.Hour, 1}}

// termsOf is the shift as a hire agreed to it: its pay with the boost the
// hire was made under.
func termsOf(s *ent.Shift, a *ent.Assignment) *ent.Shift {
	if a == nil || a.Boost == 0 {
		return s
	}
	cp := *s
	cp.PayRate += a.Boost
	return &cp
}

// boostedRate is a shift's hourly equivalent with a boost: what the feed
// filters and orders by, and pricing reads as the rate it filled at.
func boostedRate(in CreateShiftInput, boost int64) int64 {
	in.Pay.Amount += boost
	return hourlyRate(in)
}

// BoostInput sets a shift's boost, or its pre-authorised cap.
type BoostInput struct {
	ShiftID string `json:"shiftID" validate:"required"`
	Amount  Money  `json:"amount"`
}

// BoostShift raises a shift's boost to in.Amount now.
func (m *Market) BoostShift(ctx context.Context, in BoostInput) (*Changed, error) {
	return m.boosting(ctx, in, func(ctx context.Context, c *ent.Client, s *ent.Shift) error {
		if err := m.boostable(s, in.Amount); err != nil {
			return err
		}
		if in.Amount.Amount <= s.Boost {
			return BadInput("amount.amount", "a boost only rises: above the current "+FormatMoney(s.Boost, s.Currency))
		}
		return m.boost(ctx, c, s, in.Amount.Amount, false)
	})
}

// PreauthoriseBoost lets the sweep boost the shift up to in.Amount as its
// start nears unfilled; an amount of 0 withdraws the authority.
func (m *Market) PreauthoriseBoost(ctx context.Context, in BoostInput) (*Changed, error) {
	return m.boosting(ctx, in, func(ctx context.Context, c *ent.Client, s *ent.Shift) error {
		up := c.Shift.UpdateOneID(s.ID)
		if in.Amount.Amount == 0 {
			up.ClearBoostCap()
		} else {
			if err := m.boostable(s, in.Amount); err != nil {
				return err
			}
			up.SetBoostCap(in.Amount.Amount)
		}
		if err := up.Exec(rule.System(ctx)); err != nil {
			return err
		}
		_, err := m.appendLedger(ctx, c, LedgerBoostAuthorised, s.ID, actor(ctx), map[string]any{
			"employer": s.EmployerID, "cap": in.Amount.Amount, "currency": s.Currency,
		})
		return err
	})
}

// boosting runs change on a shift the viewer manages, in a transaction,
// and answers with the shift as it then stands.
func (m *Market) boosting(ctx context.Context, in BoostInput, change func(context.Context, *ent.Client, *ent.Shift) error) (*Changed, error) {
	if err := Validate(in); err != nil {
		return nil, err
	}
	var out *Changed
	err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		s, err := m.managedShift(ctx, c, in.ShiftID, "boost shifts")
		if err != nil {
			return err
		}
		if err := change(ctx, c, s); err != nil {
			return err
		}
		out = &Changed{Shift: s}
		return out.reload(ctx, c)
	})
	return out, err
}

// boostable refuses a boost the shift cannot take.
func (m *Market) boostable(s *ent.Shift, amount Money) error {
	switch {
	case s.Status != shift.StatusPUBLISHED && s.Status != shift.StatusFILLED && s.Status != shift.StatusDRAFT:
		return State(CodeShiftLocked, "a shift that is %s cannot be boosted", humanStatus(s.Status.String()))
	case !s.StartsAt.After(m.Now()):
		return State(CodeShiftStarted, "the shift has started")
	case amount.Currency != s.Currency:
		return BadInput("amount.currency", "must be the shift's currency, "+s.Currency)
	case amount.Amount <= 0:
		return BadInput("amount.amount", "must be more than 0")
	case amount.Amount > s.PayRate:
		return BadInput("amount.amount", "at most the shift's own pay, "+FormatMoney(s.PayRate, s.Currency))
	}
	return nil
}

// boost sets the shift's boost to amount, on the ledger, and announces the
// shift again; the sweep's (auto) boosts are told to the employer.
func (m *Market) boost(ctx context.Context, c *ent.Client, s *ent.Shift, amount int64, auto bool) error {
	sys := rule.System(ctx)
	n, err := c.Shift.Update().Where(shift.ID(s.ID), shift.BoostLT(amount)).
		SetBoost(amount).SetHourlyRate(boostedRate(asInput(s), amount)).Save(sys)
	if err != nil || n == 0 {
		return err // 0: raised as far meanwhile
	}
	if _, err := m.appendLedger(ctx, c, LedgerShiftBoosted, s.ID, actor(ctx), map[string]any{
		"employer": s.EmployerID, "boost": amount, "previous": s.Boost, "currency": s.Currency, "auto": auto,
	}); err != nil {
		return err
	}
	if s.Status != shift.StatusPUBLISHED {
		return nil
	}
	return m.emit(ctx, c, Event{Kind: ShiftBoosted, ID: s.ID, ShiftID: s.ID, EmployerID: s.EmployerID,
		Title: s.Title, When: s.StartsAt, Detail: map[bool]string{true: "auto", false: "manual"}[auto]})
}

// AutoBoosts climbs the pre-authorised boosts of unfilled shifts near
// their start; the sweep runs it.
func (m *Market) AutoBoosts(ctx context.Context) (int, error) {
	ctx, now := rule.System(ctx), m.Now()
	due, err := m.client(ctx).Shift.Query().Where(shift.StatusEQ(shift.StatusPUBLISHED), shift.BoostCapNotNil(),
		shift.StartsAtGT(now), shift.StartsAtLTE(now.Add(autoBoostSteps[len(autoBoostSteps)-1].before))).All(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, s := range due {
		var target int64
		for _, step := range autoBoostSteps {
			if s.StartsAt.Sub(now) <= step.before {
				target = *s.BoostCap * step.thirds / 3
				break
			}
		}
		if target <= s.Boost || s.Filled >= s.Slots {
			continue
		}
		if err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
			return m.boost(ctx, c, s, target, true)
		}); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// ShiftBoost is a shift's boost as money; nil when there is none.
func (m *Market) ShiftBoost(s *ent.Shift) *Money {
	if s.Boost == 0 {
		return nil
	}
	return &Money{Amount: s.Boost, Currency: s.Currency}
}

// BoostCap is a shift's pre-authorised cap, for its employer's managers.
func (m *Market) BoostCap(ctx context.Context, s *ent.Shift) *Money {
	if s.BoostCap == nil {
		return nil
	}
	if _, err := manager(ctx, s.EmployerID, "see the boost cap"); err != nil {
		return nil
	}
	return &Money{Amount: *s.BoostCap, Currency: s.Currency}
}
