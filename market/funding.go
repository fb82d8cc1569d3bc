package market

import (
	"context"
	"errors"
	"sort"
	"strings"

	"flexwork/ent"
	"flexwork/ent/employer"
	"flexwork/ent/moneyaccount"
	"flexwork/ent/rule"
	"flexwork/money"
)

// LedgerMoney records a money transaction on the tamper-evident ledger: its
// key, kind and digest (money.Transaction.Digest), so that the books can be
// checked against a record nobody can rewrite.
const LedgerMoney = "MONEY"

// postMoney posts t in the caller's transaction and, when it is new, puts
// its digest on the ledger.
func (m *Market) postMoney(ctx context.Context, c *ent.Client, t money.Transaction, subjectID string) (*ent.MoneyTransaction, error) {
	tx, fresh, err := money.Post(ctx, c, t)
	if err != nil || !fresh {
		return tx, err
	}
	_, err = m.appendLedger(ctx, c, LedgerMoney, subjectID, actor(ctx), map[string]any{
		"transaction": tx.ID, "key": t.Key, "kind": t.Kind, "currency": t.Currency, "digest": tx.Digest,
	})
	return tx, err
}

// FundingInput is a deposit staff found on the bank statement.
type FundingInput struct {
	EmployerID string `json:"employerID" validate:"required"`
	Amount     Money  `json:"amount"`
	Reference  string `json:"reference" validate:"required,max=140"`
}

// ConfirmFunding credits an employer's funds with a bank transfer staff
// matched on the statement: once per reference, however often confirmed
// (the reference is the transaction's key). A payment provider's webhook
// will post the same transaction with its own reference.
func (m *Market) ConfirmFunding(ctx context.Context, in FundingInput) (*Changed, error) {
	if _, err := staff(ctx, "confirm funding"); err != nil {
		return nil, err
	}
	in.Reference = strings.TrimSpace(in.Reference)
	if err := Validate(in); err != nil {
		return nil, err
	}
	if in.Amount.Amount <= 0 {
		return nil, BadInput("amount.amount", "must be more than 0")
	}
	var out *Changed
	err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		sys := rule.System(ctx)
		if ok, err := c.Employer.Query().Where(employer.ID(in.EmployerID)).Exist(sys); err != nil {
			return err
		} else if !ok {
			return NotFound("employer")
		}
		t := money.Transaction{Key: "funding:bank:" + in.Reference, Kind: "FUNDING", Currency: in.Amount.Currency,
			Memo: in.Reference, Postings: []money.Posting{
				{Account: money.Account{Kind: money.Bank, Currency: in.Amount.Currency}, Amount: -in.Amount.Amount},
				{Account: money.Account{Kind: money.EmployerFunds, Owner: in.EmployerID, Currency: in.Amount.Currency}, Amount: in.Amount.Amount},
			}}
		if _, err := m.postMoney(ctx, c, t, in.EmployerID); err != nil {
			if errors.Is(err, money.ErrKeyReused) {
				return BadInput("reference", "this reference was confirmed with another amount or employer")
			}
			return err
		}
		out = &Changed{Employer: &ent.Employer{ID: in.EmployerID}}
		return out.reload(ctx, c)
	})
	return out, err
}

// EmployerFunds is what an employer holds to hire with, per currency, for
// its members and staff; nil for anyone else.
func (m *Market) EmployerFunds(ctx context.Context, e *ent.Employer) ([]*Money, error) {
	v, err := signedIn(ctx)
	if err != nil || !seesEmployer(v, e.ID) {
		return []*Money{}, nil
	}
	accounts, err := m.client(ctx).MoneyAccount.Query().Where(moneyaccount.Kind(string(money.EmployerFunds)),
		moneyaccount.OwnerID(e.ID)).All(rule.System(ctx))
	if err != nil {
		return nil, err
	}
	out := make([]*Money, len(accounts))
	for i, a := range accounts {
		out[i] = &Money{Amount: a.Balance, Currency: a.Currency}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Currency < out[j].Currency })
	return out, nil
}
