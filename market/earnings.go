package market

import (
	"context"
	"sort"

	"entgo.io/ent/dialect/sql"

	"flexwork/ent"
	"flexwork/ent/assignment"
	"flexwork/ent/moneyaccount"
	"flexwork/ent/rule"
	"flexwork/money"
)

// Earnings is what a worker has earned through flexwork, per currency:
// Balance is theirs now (released wages); Held is the wage of their hires
// not yet approved, held in escrow by prefunded employers.
type Earnings struct {
	Balance []*Money      `json:"balance"`
	Held    []*Money      `json:"held"`
	Payouts []*ent.Payout `json:"payouts"`
}

// WorkerEarnings is a worker's earnings, for them and staff; nil for
// anyone else.
func (m *Market) WorkerEarnings(ctx context.Context, p *ent.WorkerProfile) (*Earnings, error) {
	if private(ctx, p.UserID, p) == nil {
		return nil, nil
	}
	accounts, err := m.client(ctx).MoneyAccount.Query().Where(moneyaccount.Kind(string(money.WorkerBalance)),
		moneyaccount.OwnerID(p.ID)).All(rule.System(ctx))
	if err != nil {
		return nil, err
	}
	out := &Earnings{Balance: make([]*Money, len(accounts))}
	for i, a := range accounts {
		out.Balance[i] = &Money{Amount: a.Balance, Currency: a.Currency}
	}
	sort.Slice(out.Balance, func(i, j int) bool { return out.Balance[i].Currency < out.Balance[j].Currency })
	out.Held, err = m.escrowHeld(ctx, func(s *sql.Selector) {
		t := sql.Table(assignment.Table)
		s.Where(sql.In(s.C(moneyaccount.FieldOwnerID), sql.Select(t.C(assignment.FieldID)).From(t).Where(
			sql.EQ(t.C(assignment.FieldWorkerID), p.ID))))
	})
	if err != nil {
		return nil, err
	}
	out.Payouts, err = m.WorkerPayouts(ctx, p.ID, 20)
	return out, err
}
