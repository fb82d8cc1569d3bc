package money

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"entgo.io/ent/privacy"

	"flexwork/ent"
	"flexwork/ent/moneyaccount"
	"flexwork/ent/moneyposting"
	"flexwork/ent/moneytransaction"
)

// Post writes t in the caller's transaction (c is its client): the
// accounts it names are made on first use, their balances moved by
// conditional updates (an account that may not go negative refuses with
// ErrInsufficient, and the caller's transaction must roll back), the
// postings and the transaction stored. Under a key already posted it
// answers with that transaction and false when it is the same one, and
// ErrKeyReused when it is not. The key is claimed first: a second poster
// of it waits for the first and then fails on the key's unique index.
func Post(ctx context.Context, c *ent.Client, t Transaction) (*ent.MoneyTransaction, bool, error) {
	ctx = privacy.DecisionContext(ctx, privacy.Allow)
	if err := t.Validate(); err != nil {
		return nil, false, err
	}
	digest := t.Digest()
	if prev, err := c.MoneyTransaction.Query().Where(moneytransaction.Key(t.Key)).Only(ctx); err == nil {
		if prev.Digest != digest {
			return nil, false, fmt.Errorf("%w: %q", ErrKeyReused, t.Key)
		}
		return prev, false, nil
	} else if !ent.IsNotFound(err) {
		return nil, false, err
	}
	tx, err := c.MoneyTransaction.Create().SetKey(t.Key).SetKind(t.Kind).SetCurrency(t.Currency).SetMemo(t.Memo).
		SetDigest(digest).Save(ctx)
	if err != nil {
		return nil, false, err
	}
	type leg struct {
		id     string
		kind   Kind
		amount int64
	}
	legs := make([]leg, len(t.Postings))
	for i, p := range t.Postings {
		id, err := account(ctx, c, p.Account)
		if err != nil {
			return nil, false, err
		}
		legs[i] = leg{id, p.Account.Kind, p.Amount}
	}
	// Accounts are moved in ID order, so that two transactions over the
	// same accounts take their row locks in the same order.
	slices.SortFunc(legs, func(a, b leg) int { return strings.Compare(a.id, b.id) })
	postings := make([]*ent.MoneyPostingCreate, len(legs))
	for i, l := range legs {
		up := c.MoneyAccount.Update().Where(moneyaccount.ID(l.id)).AddBalance(l.amount)
		if !MayGoNegative(l.kind) && l.amount < 0 {
			up.Where(moneyaccount.BalanceGTE(-l.amount))
		}
		n, err := up.Save(ctx)
		if err != nil {
			return nil, false, err
		}
		if n == 0 {
			return nil, false, fmt.Errorf("%w: %s", ErrInsufficient, l.kind)
		}
		postings[i] = c.MoneyPosting.Create().SetTransactionID(tx.ID).SetAccountID(l.id).SetAmount(l.amount)
	}
	if err := c.MoneyPosting.CreateBulk(postings...).Exec(ctx); err != nil {
		return nil, false, err
	}
	return tx, true, nil
}

// account finds or makes the account a names and returns its ID.
func account(ctx context.Context, c *ent.Client, a Account) (string, error) {
	find := func() (string, error) {
		return c.MoneyAccount.Query().Where(moneyaccount.Kind(string(a.Kind)), moneyaccount.OwnerID(a.Owner),
			moneyaccount.Currency(a.Currency)).OnlyID(ctx)
	}
	id, err := find()
	if !ent.IsNotFound(err) {
		return id, err
	}
	if err := c.MoneyAccount.Create().SetKind(string(a.Kind)).SetOwnerID(a.Owner).SetCurrency(a.Currency).
		OnConflictColumns(moneyaccount.FieldKind, moneyaccount.FieldOwnerID, moneyaccount.FieldCurrency).Ignore().
		Exec(ctx); err != nil {
		return "", err
	}
	return find()
}

// Balance is an account's balance; 0 for an account never used.
func Balance(ctx context.Context, c *ent.Client, a Account) (int64, error) {
	ctx = privacy.DecisionContext(ctx, privacy.Allow)
	acc, err := c.MoneyAccount.Query().Where(moneyaccount.Kind(string(a.Kind)), moneyaccount.OwnerID(a.Owner),
		moneyaccount.Currency(a.Currency)).Only(ctx)
	if ent.IsNotFound(err) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return acc.Balance, nil
}

// Report is what Verify found.
type Report struct {
	Transactions, Postings, Accounts int
	// Problems names every transaction that does not balance or whose
	// digest does not match it, and every account whose stored balance
	// is not the sum of its postings or is below zero where it may not be.
	Problems []string
}

// Verify checks the whole ledger, a thousand transactions at a time.
func Verify(ctx context.Context, c *ent.Client) (*Report, error) {
	ctx = privacy.DecisionContext(ctx, privacy.Allow)
	accounts, err := c.MoneyAccount.Query().All(ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*ent.MoneyAccount, len(accounts))
	for _, a := range accounts {
		byID[a.ID] = a
	}
	r := &Report{Accounts: len(accounts)}
	sums := map[string]int64{}
	after := ""
	for {
		page, err := c.MoneyTransaction.Query().Where(moneytransaction.IDGT(after)).Order(ent.Asc(moneytransaction.FieldID)).
			Limit(1000).WithPostings().All(ctx)
		if err != nil {
			return nil, err
		}
		for _, tx := range page {
			t := Transaction{Key: tx.Key, Kind: tx.Kind, Currency: tx.Currency, Memo: tx.Memo}
			var sum int64
			for _, p := range tx.Edges.Postings {
				a := byID[p.AccountID]
				if a == nil {
					r.Problems = append(r.Problems, fmt.Sprintf("transaction %s posts to a missing account %s", tx.ID, p.AccountID))
					continue
				}
				t.Postings = append(t.Postings, Posting{Account: Account{Kind(a.Kind), a.OwnerID, a.Currency}, Amount: p.Amount})
				sum += p.Amount
				sums[p.AccountID] += p.Amount
				r.Postings++
			}
			if sum != 0 {
				r.Problems = append(r.Problems, fmt.Sprintf("transaction %s (%s) does not balance: %+d", tx.ID, tx.Key, sum))
			}
			if t.Digest() != tx.Digest {
				r.Problems = append(r.Problems, fmt.Sprintf("transaction %s (%s) does not match its digest", tx.ID, tx.Key))
			}
			after = tx.ID
		}
		r.Transactions += len(page)
		if len(page) < 1000 {
			break
		}
	}
	// Postings are counted once more by account, apart from their
	// transactions, so that a posting whose transaction is gone counts too.
	var rows []struct {
		AccountID string `json:"account_id"`
		Sum       int64  `json:"sum"`
	}
	if err := c.MoneyPosting.Query().GroupBy(moneyposting.FieldAccountID).Aggregate(ent.Sum(moneyposting.FieldAmount)).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	for _, row := range rows {
		if row.Sum != sums[row.AccountID] {
			r.Problems = append(r.Problems, fmt.Sprintf("account %s has postings outside any transaction", row.AccountID))
		}
	}
	for _, a := range accounts {
		if a.Balance != sums[a.ID] {
			r.Problems = append(r.Problems, fmt.Sprintf("account %s (%s %s %s) stores %d, its postings add up to %d",
				a.ID, a.Kind, a.OwnerID, a.Currency, a.Balance, sums[a.ID]))
		}
		if a.Balance < 0 && !MayGoNegative(Kind(a.Kind)) {
			r.Problems = append(r.Problems, fmt.Sprintf("account %s (%s %s) is below zero: %d", a.ID, a.Kind, a.OwnerID, a.Balance))
		}
	}
	return r, nil
}

// Lock takes the row lock of the account a names until the caller's
// transaction ends, and returns its balance (0, and nothing locked, for an
// account never used): read after Lock, a balance stays true until commit.
func Lock(ctx context.Context, c *ent.Client, a Account) (int64, error) {
	ctx = privacy.DecisionContext(ctx, privacy.Allow)
	if _, err := c.MoneyAccount.Update().Where(moneyaccount.Kind(string(a.Kind)), moneyaccount.OwnerID(a.Owner),
		moneyaccount.Currency(a.Currency)).AddBalance(0).Save(ctx); err != nil {
		return 0, err
	}
	return Balance(ctx, c, a)
}
