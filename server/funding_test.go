package server_test

import (
	"context"
	"sync"
	"testing"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/ledgerentry"
	"flexwork/ent/rule"
	"flexwork/market"
	"flexwork/money"
	"flexwork/server/servertest"
)

// TestStaffCreditAnEmployersFundsOnce: staff confirm a bank transfer for
// Olga's employer; confirming it again credits nothing more, the same
// reference with another amount is refused by field, an employer may not
// credit itself, and only its members see its funds. The books verify and
// the transaction's digest is on the tamper-evident ledger. Both databases.
func TestStaffCreditAnEmployersFundsOnce(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env := servertest.Start(t, db)
		sam := makeStaff(t, env, db, "sam@example.com")
		olga := env.SignUp("olga@example.com", "Olga")
		emp := createEmployer(t, env, olga, "Spree Logistics")
		ben := env.SignUp("ben@example.com", "Ben")
		const confirm = `mutation($in: ConfirmFundingInput!) { confirmFunding(input: $in) { employer { id funds { amount currency } } } }`
		in := func(cents int) map[string]any {
			return map[string]any{"in": map[string]any{"employerID": emp, "reference": "SEPA 2026-12-01 SPREE 0001",
				"amount": map[string]any{"amount": cents, "currency": "EUR"}}}
		}
		for range 2 {
			var out struct {
				ConfirmFunding struct {
					Employer struct{ Funds []market.Money }
				}
			}
			env.Must(sam.Token, confirm, in(250000), &out)
			if f := out.ConfirmFunding.Employer.Funds; len(f) != 1 || f[0].Amount != 250000 {
				t.Fatalf("funds after confirming: %+v", f)
			}
		}
		// The same transfer confirmed twice at once (a double tap): credited
		// once; the second answers with the funds, or CONFLICT to retry.
		other := map[string]any{"in": map[string]any{"employerID": emp, "reference": "SEPA 2026-12-01 SPREE 0002",
			"amount": map[string]any{"amount": 1000, "currency": "EUR"}}}
		var wg sync.WaitGroup
		codes := make([]string, 2)
		for i := range codes {
			wg.Go(func() { codes[i] = env.Do(sam.Token, confirm, other).Code() })
		}
		wg.Wait()
		for _, c := range codes {
			if c != "" && c != "CONFLICT" {
				t.Fatalf("confirming at once: %v", codes)
			}
		}
		if r := env.Do(sam.Token, confirm, in(990000)); r.Code() != "BAD_USER_INPUT" {
			t.Fatalf("the same reference with another amount: %+v", r.Errors)
		}
		if r := env.Do(olga.Token, confirm, in(100)); r.Code() != "FORBIDDEN" {
			t.Fatalf("an employer crediting itself: %+v", r.Errors)
		}
		const funds = `query($id: ID!) { node(id: $id) { ... on Employer { funds { amount currency } } } }`
		for who, want := range map[string]int{olga.Token: 1, ben.Token: 0} {
			var out struct {
				Node struct{ Funds []market.Money }
			}
			env.Must(who, funds, map[string]any{"id": emp}, &out)
			if len(out.Node.Funds) != want || (want == 1 && out.Node.Funds[0].Amount != 251000) {
				t.Fatalf("funds seen: %+v, want %d", out.Node.Funds, want)
			}
		}
		sys := rule.System(context.Background())
		if r, err := money.Verify(sys, db.Client); err != nil || r.Transactions != 2 || len(r.Problems) != 0 {
			t.Fatalf("money verify: %+v %v", r, err)
		}
		for _, tx := range db.MoneyTransaction.Query().AllX(sys) {
			e := db.LedgerEntry.Query().Where(ledgerentry.Kind(market.LedgerMoney), ledgerentry.PayloadContains(tx.Digest)).OnlyX(sys)
			if e.SubjectID != emp {
				t.Fatalf("ledger entry %+v names %s, not the employer", e, e.SubjectID)
			}
		}
	})
}
