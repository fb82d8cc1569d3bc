package money_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"entgo.io/ent/privacy"

	"flexwork/ent"
	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/moneyaccount"
	"flexwork/money"
)

var sys = privacy.DecisionContext(context.Background(), privacy.Allow)

func eur(k money.Kind, owner string) money.Account {
	return money.Account{Kind: k, Owner: owner, Currency: "EUR"}
}

// post posts t in a transaction of its own, as market does.
func post(db *entdb.DB, t money.Transaction) (*ent.MoneyTransaction, error) {
	var out *ent.MoneyTransaction
	err := entdb.InTx(sys, db.Client, func(ctx context.Context, c *ent.Client) error {
		var err error
		out, _, err = money.Post(ctx, c, t)
		return err
	})
	return out, err
}

func move(key, kind string, amount int64, from, to money.Account) money.Transaction {
	return money.Transaction{Key: key, Kind: kind, Currency: "EUR", Postings: []money.Posting{
		{Account: from, Amount: -amount}, {Account: to, Amount: amount}}}
}

// TestRandomMovesKeepTheBooks: a random run of fundings, reservations,
// releases, refunds, payouts and settlements between two employers, three
// assignments and two workers, each in its own transaction, leaves every
// balance where a plain model of the rules puts it — a move that would take
// an employer's funds, an escrow or a worker's balance below zero is
// refused and changes nothing — and Verify finds nothing wrong. Posting an
// old key again changes nothing; another transaction under it is refused.
func TestRandomMovesKeepTheBooks(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		r := rand.New(rand.NewPCG(7, 16))
		bank := eur(money.Bank, "")
		employers := []money.Account{eur(money.EmployerFunds, "emp_a"), eur(money.EmployerFunds, "emp_b")}
		escrows := []money.Account{eur(money.Escrow, "asg_1"), eur(money.Escrow, "asg_2"), eur(money.Escrow, "asg_3")}
		workers := []money.Account{eur(money.WorkerBalance, "wkr_1"), eur(money.WorkerBalance, "wkr_2")}
		transit := eur(money.PayoutsInTransit, "")
		model := map[money.Account]int64{}
		var posted []money.Transaction
		pick := func(as []money.Account) money.Account { return as[r.IntN(len(as))] }
		for i := range 300 {
			amount := int64(1 + r.IntN(5000))
			var t0 money.Transaction
			key := fmt.Sprintf("op-%d", i)
			switch r.IntN(6) {
			case 0:
				t0 = move(key, "FUNDING", amount, bank, pick(employers))
			case 1:
				t0 = move(key, "RESERVE", amount, pick(employers), pick(escrows))
			case 2:
				t0 = move(key, "RELEASE", amount, pick(escrows), pick(workers))
			case 3:
				t0 = move(key, "REFUND", amount, pick(escrows), pick(employers))
			case 4:
				t0 = move(key, "PAYOUT", amount, pick(workers), transit)
			case 5:
				t0 = move(key, "SETTLED", amount, transit, bank)
			}
			from := t0.Postings[0].Account
			_, err := post(db, t0)
			if short := model[from]-amount < 0 && !money.MayGoNegative(from.Kind); short != errors.Is(err, money.ErrInsufficient) {
				t.Fatalf("op %d (%s %d from %s holding %d): %v", i, t0.Kind, amount, from, model[from], err)
			} else if short {
				continue
			}
			if err != nil {
				t.Fatalf("op %d: %v", i, err)
			}
			model[from] -= amount
			model[t0.Postings[1].Account] += amount
			posted = append(posted, t0)
		}
		for a, want := range model {
			if got, err := money.Balance(sys, db.Client, a); err != nil || got != want {
				t.Fatalf("%s: balance %d, want %d (%v)", a, got, want, err)
			}
		}
		again := posted[len(posted)/2]
		first, err := post(db, again)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := post(db, again); err != nil {
			t.Fatal(err)
		}
		changed := again
		changed.Postings = []money.Posting{{Account: again.Postings[0].Account, Amount: again.Postings[0].Amount - 1},
			{Account: again.Postings[1].Account, Amount: again.Postings[1].Amount + 1}}
		if _, err := post(db, changed); !errors.Is(err, money.ErrKeyReused) {
			t.Fatalf("another transaction under key %s: %v", again.Key, err)
		}
		if n := db.MoneyTransaction.Query().CountX(sys); n != len(posted) || first.Key != again.Key {
			t.Fatalf("%d transactions stored, want %d", n, len(posted))
		}
		rep, err := money.Verify(sys, db.Client)
		if err != nil || len(rep.Problems) != 0 || rep.Transactions != len(posted) {
			t.Fatalf("verify: %+v %v", rep, err)
		}
	})
}

// TestReservationsRaceForTheFunds: eight reservations of 300 race for an
// employer's 1,000: three go through, five are refused, the funds hold 100
// and the books verify, on both databases.
func TestReservationsRaceForTheFunds(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		funds := eur(money.EmployerFunds, "emp_a")
		if _, err := post(db, move("fund", "FUNDING", 1000, eur(money.Bank, ""), funds)); err != nil {
			t.Fatal(err)
		}
		var (
			wg      sync.WaitGroup
			mu      sync.Mutex
			ok, low int
		)
		for i := range 8 {
			wg.Go(func() {
				_, err := post(db, move(fmt.Sprintf("reserve-%d", i), "RESERVE", 300, funds, eur(money.Escrow, fmt.Sprintf("asg_%d", i))))
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					ok++
				case errors.Is(err, money.ErrInsufficient):
					low++
				default:
					t.Errorf("reservation %d: %v", i, err)
				}
			})
		}
		wg.Wait()
		if got, _ := money.Balance(sys, db.Client, funds); ok != 3 || low != 5 || got != 100 {
			t.Fatalf("%d reserved, %d refused, funds %d; want 3, 5, 100", ok, low, got)
		}
		if rep, err := money.Verify(sys, db.Client); err != nil || len(rep.Problems) != 0 {
			t.Fatalf("verify: %+v %v", rep, err)
		}
	})
}

// TestVerifyFindsAStoredBalanceThatLies: a balance edited behind the
// ledger's back, and a posting changed after the fact, are both reported.
func TestVerifyFindsAStoredBalanceThatLies(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		funds := eur(money.EmployerFunds, "emp_a")
		if _, err := post(db, move("fund", "FUNDING", 1000, eur(money.Bank, ""), funds)); err != nil {
			t.Fatal(err)
		}
		db.MoneyAccount.Update().Where(moneyaccount.Kind(string(money.EmployerFunds))).AddBalance(500).ExecX(sys)
		rep, err := money.Verify(sys, db.Client)
		if err != nil || len(rep.Problems) != 1 {
			t.Fatalf("a balance raised by 500: %+v %v", rep, err)
		}
		db.MoneyAccount.Update().Where(moneyaccount.Kind(string(money.EmployerFunds))).AddBalance(-500).ExecX(sys)
		p := db.MoneyPosting.Query().FirstX(sys)
		// Postings are immutable through ent: rewrite one underneath.
		if _, err := db.SQL.ExecContext(sys, "UPDATE money_postings SET amount = amount + 1 WHERE id = $1", p.ID); err != nil {
			t.Fatal(err)
		}
		rep, err = money.Verify(sys, db.Client)
		if err != nil || len(rep.Problems) < 2 { // unbalanced, digest, and the account's sum
			t.Fatalf("a posting rewritten: %+v %v", rep, err)
		}
	})
}

// TestAnUnbalancedTransactionIsRefused before it touches the database.
func TestAnUnbalancedTransactionIsRefused(t *testing.T) {
	bad := money.Transaction{Key: "k", Kind: "FUNDING", Currency: "EUR", Postings: []money.Posting{
		{Account: eur(money.Bank, ""), Amount: -100}, {Account: eur(money.EmployerFunds, "e"), Amount: 99}}}
	if err := bad.Validate(); !errors.Is(err, money.ErrUnbalanced) {
		t.Fatalf("unbalanced: %v", err)
	}
	bad.Postings[1].Amount = 100
	bad.Postings[1].Account.Currency = "CNY"
	if err := bad.Validate(); err == nil {
		t.Fatal("two currencies in one transaction passed")
	}
}
