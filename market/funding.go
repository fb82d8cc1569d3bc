package market

import (
	"context"
	"errors"
	"sort"
	"strings"

	"entgo.io/ent/dialect/sql"

	"flexwork/ent"
	"flexwork/ent/assignment"
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
// credits the same way (CreditDeposit).
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
		if err := m.creditFunds(ctx, c, "bank", money.Deposit{Reference: in.Reference, EmployerID: in.EmployerID,
			Amount: in.Amount.Amount, Currency: in.Amount.Currency}); err != nil {
			return err
		}
		out = &Changed{Employer: &ent.Employer{ID: in.EmployerID}}
		return out.reload(ctx, c)
	})
	return out, err
}

// creditFunds posts a deposit that came in through source ("bank",
// "stripe") to the employer's funds, once per source and reference, puts
// its digest on the ledger and repays the employer's debt to the fund
// first. The same reference with another amount or employer is
// BAD_USER_INPUT on the reference.
func (m *Market) creditFunds(ctx context.Context, c *ent.Client, source string, d money.Deposit) error {
	if ok, err := c.Employer.Query().Where(employer.ID(d.EmployerID)).Exist(rule.System(ctx)); err != nil {
		return err
	} else if !ok {
		return NotFound("employer")
	}
	t := money.Transaction{Key: "funding:" + source + ":" + d.Reference, Kind: "FUNDING", Currency: d.Currency,
		Memo: d.Reference, Postings: []money.Posting{
			{Account: money.Account{Kind: money.Bank, Currency: d.Currency}, Amount: -d.Amount},
			{Account: money.Account{Kind: money.EmployerFunds, Owner: d.EmployerID, Currency: d.Currency}, Amount: d.Amount},
		}}
	tx, err := m.postMoney(ctx, c, t, d.EmployerID)
	if errors.Is(err, money.ErrKeyReused) {
		return BadInput("reference", "this reference was confirmed with another amount or employer")
	}
	if err != nil {
		return err
	}
	return m.repayDebt(ctx, c, d.EmployerID, d.Currency, tx.ID)
}

// EmployerFunds is what an employer holds to hire with, per currency, for
// its members and staff; empty for anyone else.
func (m *Market) EmployerFunds(ctx context.Context, e *ent.Employer) ([]*Money, error) {
	return m.employerAccounts(ctx, e, money.EmployerFunds, false)
}

// EmployerCreditLimit is the limit of an employer on credit terms, for its
// members and staff; nil without one, or for anyone else.
func (m *Market) EmployerCreditLimit(ctx context.Context, e *ent.Employer) (*Money, error) {
	v, err := signedIn(ctx)
	if err != nil || !seesEmployer(v, e.ID) || e.CreditLimit == nil || e.FundingTerms != employer.FundingTermsCREDIT {
		return nil, nil
	}
	pack, err := m.packOf(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	return &Money{Amount: *e.CreditLimit, Currency: pack.Currency}, nil
}

// EmployerOwed is what an employer owes the guarantee fund, per currency,
// for its members and staff; empty for anyone else.
func (m *Market) EmployerOwed(ctx context.Context, e *ent.Employer) ([]*Money, error) {
	return m.employerAccounts(ctx, e, money.EmployerDebt, true)
}

// employerAccounts lists the balances of an employer's accounts of a kind,
// for those who see its figures. A debt is shown as the amount owed, and
// only while something is.
func (m *Market) employerAccounts(ctx context.Context, e *ent.Employer, kind money.Kind, debt bool) ([]*Money, error) {
	v, err := signedIn(ctx)
	if err != nil || !seesEmployer(v, e.ID) {
		return []*Money{}, nil
	}
	q := m.client(ctx).MoneyAccount.Query().Where(moneyaccount.Kind(string(kind)), moneyaccount.OwnerID(e.ID))
	if debt {
		q.Where(moneyaccount.BalanceLT(0))
	}
	accounts, err := q.All(rule.System(ctx))
	if err != nil {
		return nil, err
	}
	out := make([]*Money, len(accounts))
	for i, a := range accounts {
		out[i] = &Money{Amount: a.Balance, Currency: a.Currency}
		if debt {
			out[i].Amount = -a.Balance
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Currency < out[j].Currency })
	return out, nil
}

// repayDebt pays what an employer owes the guarantee fund from its funds,
// as far as they go, when money arrives (the arrival's transaction names
// the repayment).
func (m *Market) repayDebt(ctx context.Context, c *ent.Client, org, currency, arrival string) error {
	debt := money.Account{Kind: money.EmployerDebt, Owner: org, Currency: currency}
	owed, err := money.Lock(ctx, c, debt)
	if err != nil || owed >= 0 {
		return err
	}
	held, err := money.Lock(ctx, c, fundsOf(org, currency))
	if pay := min(held, -owed); err != nil || pay <= 0 {
		return err
	}
	_, err = m.postMoney(ctx, c, money.Transaction{Key: "repay:" + arrival, Kind: "REPAY", Currency: currency,
		Memo: "owed to the guarantee fund", Postings: []money.Posting{
			{Account: fundsOf(org, currency), Amount: -min(held, -owed)},
			{Account: debt, Amount: min(held, -owed)},
		}}, org)
	return err
}

// WithNewEmployerTerms sets the funding terms employers are founded on
// (PREFUNDED unless told otherwise; tests of flows that are not about
// money found them on credit).
func WithNewEmployerTerms(t employer.FundingTerms) Option {
	return func(m *Market) { m.newEmployerTerms = t }
}

// FundingTermsInput is staff setting how an employer pays wages.
type FundingTermsInput struct {
	EmployerID string                `json:"employerID" validate:"required"`
	Terms      employer.FundingTerms `json:"terms" validate:"required,oneof=PREFUNDED CREDIT"`
	// CreditLimit bounds what an employer on credit terms may owe at once;
	// nil: no limit.
	CreditLimit *Money `json:"creditLimit"`
}

// SetFundingTerms is staff granting an employer credit terms, or putting it
// back on prefunded ones. It changes how the next hires and approvals pay;
// wages already in escrow stay there.
func (m *Market) SetFundingTerms(ctx context.Context, in FundingTermsInput) (*Changed, error) {
	v, err := staff(ctx, "set funding terms")
	if err != nil {
		return nil, err
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	var out *Changed
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		sys := rule.System(ctx)
		pack, err := m.packOf(ctx, in.EmployerID)
		if err != nil {
			return err
		}
		up := c.Employer.UpdateOneID(in.EmployerID).SetFundingTerms(in.Terms).ClearCreditLimit()
		record := map[string]any{"terms": in.Terms}
		if l := in.CreditLimit; l != nil {
			switch {
			case in.Terms != employer.FundingTermsCREDIT:
				return BadInput("creditLimit", "only credit terms have a limit")
			case l.Currency != pack.Currency:
				return BadInput("creditLimit.currency", "the employer pays in "+pack.Currency)
			}
			up.SetCreditLimit(l.Amount)
			record["creditLimit"] = l.Amount
		}
		if err := up.Exec(sys); err != nil {
			return err
		}
		if _, err := m.appendLedger(ctx, c, LedgerFundingTerms, in.EmployerID, v.UserID, record); err != nil {
			return err
		}
		out = &Changed{Employer: &ent.Employer{ID: in.EmployerID}}
		return out.reload(ctx, c)
	})
	return out, err
}

// LedgerFundingTerms records staff changing an employer's funding terms.
const LedgerFundingTerms = "FUNDING_TERMS_SET"

// EmployerReserved is what an employer's hires hold in escrow, per
// currency, for its members and staff; empty for anyone else.
func (m *Market) EmployerReserved(ctx context.Context, e *ent.Employer) ([]*Money, error) {
	v, err := signedIn(ctx)
	if err != nil || !seesEmployer(v, e.ID) {
		return []*Money{}, nil
	}
	return m.escrowHeld(ctx, func(s *sql.Selector) {
		t := sql.Table(assignment.Table)
		s.Where(sql.In(s.C(moneyaccount.FieldOwnerID), sql.Select(t.C(assignment.FieldID)).From(t).Where(
			sql.Or(sql.EQ(t.C(assignment.FieldEmployerID), e.ID), sql.EQ(t.C(assignment.FieldAgencyID), e.ID)))))
	})
}

// escrowHeld adds up, per currency, the escrow accounts owned by the
// assignments which picks.
func (m *Market) escrowHeld(ctx context.Context, picks func(*sql.Selector)) ([]*Money, error) {
	var rows []struct {
		Currency string `json:"currency"`
		Sum      int64  `json:"sum"`
	}
	err := m.client(ctx).MoneyAccount.Query().Where(moneyaccount.Kind(string(money.Escrow)), moneyaccount.BalanceNEQ(0), picks).
		GroupBy(moneyaccount.FieldCurrency).Aggregate(ent.Sum(moneyaccount.FieldBalance)).Scan(rule.System(ctx), &rows)
	if err != nil {
		return nil, err
	}
	out := make([]*Money, len(rows))
	for i, r := range rows {
		out[i] = &Money{Amount: r.Sum, Currency: r.Currency}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Currency < out[j].Currency })
	return out, nil
}
