// Package money is flexwork's double-entry money ledger. Every amount that
// moves is a Transaction of postings, in integer minor units of one
// currency, that add up to zero: money leaves one account exactly as it
// enters others. Accounts are kept per kind, owner and currency, and an
// account's stored balance is always the sum of its postings; Verify
// proves both over the whole ledger. A transaction is posted once per key:
// posting it again answers with the first, posting something else under
// the same key is refused. Market decides what moves and when; this
// package keeps the books.
package money

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Kind is what an account holds.
type Kind string

// The kinds of account. Balances are what the account holds: a deposit
// raises the employer's funds and lowers the bank's (the bank account
// stands for money outside flexwork, so it goes below zero as money comes
// in).
const (
	Bank             Kind = "BANK"               // money outside: banks and payment providers (platform)
	EmployerFunds    Kind = "EMPLOYER_FUNDS"     // an employer's money held for it, to hire with
	Escrow           Kind = "ESCROW"             // the wage reserved for one assignment
	WorkerBalance    Kind = "WORKER_BALANCE"     // a worker's earned money, to withdraw
	PayoutsInTransit Kind = "PAYOUTS_IN_TRANSIT" // withdrawals sent, not yet confirmed (platform)
	PlatformFees     Kind = "PLATFORM_FEES"      // the platform's fees (platform)
	GuaranteeFund    Kind = "GUARANTEE_FUND"     // pays workers on the deadline when an employer does not (platform)
	EmployerDebt     Kind = "EMPLOYER_DEBT"      // what an employer owes the guarantee fund
	TaxWithheld      Kind = "TAX_WITHHELD"       // tax withheld from workers' pay for a payer, to be remitted
)

// Kinds are every kind, in the order above.
var Kinds = []Kind{Bank, EmployerFunds, Escrow, WorkerBalance, PayoutsInTransit, PlatformFees, GuaranteeFund, EmployerDebt, TaxWithheld}

// MayGoNegative says whether an account of kind may hold less than
// nothing: the bank (money came in), an employer's debt (owed to the
// fund), and the guarantee fund (the platform stands behind it). Every
// other account holds someone's money and never goes below zero.
func MayGoNegative(k Kind) bool { return k == Bank || k == EmployerDebt || k == GuaranteeFund }

// Account names an account: its kind, owner ("" for the platform's) and
// currency.
type Account struct {
	Kind     Kind
	Owner    string
	Currency string
}

func (a Account) String() string { return string(a.Kind) + ":" + a.Owner + ":" + a.Currency }

// Posting is an amount into (positive) or out of (negative) an account.
type Posting struct {
	Account Account
	Amount  int64
}

// Transaction is one balanced movement of money.
type Transaction struct {
	Key      string // posting it again under this key changes nothing
	Kind     string // what it is: FUNDING, RESERVE, RELEASE, REFUND, PAYOUT, …
	Currency string
	Memo     string
	Postings []Posting
}

// Errors.
var (
	ErrUnbalanced   = errors.New("money: postings do not add up to zero")
	ErrInsufficient = errors.New("money: not enough in the account")
	ErrKeyReused    = errors.New("money: the key names another transaction")
)

// maxAmount bounds a posting, so that sums stay far inside int64.
const maxAmount = 1_000_000_000_000

// Validate checks t is well formed and balanced.
func (t Transaction) Validate() error {
	switch {
	case t.Key == "" || len(t.Key) > 200:
		return errors.New("money: a transaction needs a key of at most 200 characters")
	case t.Kind == "":
		return errors.New("money: a transaction needs a kind")
	case len(t.Currency) != 3:
		return fmt.Errorf("money: %q is not a currency", t.Currency)
	case len(t.Postings) < 2:
		return errors.New("money: a transaction has two postings at least")
	}
	var sum int64
	seen := map[Account]bool{}
	for _, p := range t.Postings {
		switch {
		case p.Amount == 0 || p.Amount > maxAmount || p.Amount < -maxAmount:
			return fmt.Errorf("money: posting of %d to %s", p.Amount, p.Account)
		case p.Account.Currency != t.Currency:
			return fmt.Errorf("money: %s in a %s transaction", p.Account, t.Currency)
		case !slices.Contains(Kinds, p.Account.Kind):
			return fmt.Errorf("money: no account kind %q", p.Account.Kind)
		case seen[p.Account]:
			return fmt.Errorf("money: %s posted twice in one transaction", p.Account)
		}
		seen[p.Account] = true
		sum += p.Amount
	}
	if sum != 0 {
		return fmt.Errorf("%w (%+d)", ErrUnbalanced, sum)
	}
	return nil
}

// Canonical is the transaction as the text its digest is taken over:
// every field, the postings in account order, one per line.
func (t Transaction) Canonical() string {
	ps := slices.Clone(t.Postings)
	slices.SortFunc(ps, func(a, b Posting) int { return strings.Compare(a.Account.String(), b.Account.String()) })
	var b strings.Builder
	b.WriteString("flexwork-money/v1\n")
	for _, f := range []string{t.Key, t.Kind, t.Currency, t.Memo} {
		b.WriteString(strconv.Quote(f))
		b.WriteByte('\n')
	}
	for _, p := range ps {
		b.WriteString(strconv.Quote(p.Account.String()))
		b.WriteByte(' ')
		b.WriteString(strconv.FormatInt(p.Amount, 10))
		b.WriteByte('\n')
	}
	return b.String()
}

// Digest is the SHA-256 of Canonical, in hex.
func (t Transaction) Digest() string {
	sum := sha256.Sum256([]byte(t.Canonical()))
	return hex.EncodeToString(sum[:])
}
