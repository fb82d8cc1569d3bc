package server_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/rule"
	"flexwork/money/stripefake"
	"flexwork/money/stripepay"
	"flexwork/server"
	"flexwork/server/servertest"
)

const payoutsQ = `{ viewer { workerProfile { earnings { balance { amount currency } payouts { id status amount providerRef } } } } }`

type payoutsSeen struct {
	Viewer struct {
		WorkerProfile struct {
			Earnings struct {
				Balance []struct{ Amount int64 }
				Payouts []struct {
					ID, Status, ProviderRef string
					Amount                  int64
				}
			}
		}
	}
}

// throughStripe pays out through Stripe's SDK to the fake.
func throughStripe(fake *stripefake.Server) servertest.Option {
	return servertest.WithDeps(func(d *server.Deps) { d.Payouts = stripepay.New("sk_test_flexwork", fake.URL, nil) })
}

// paidWorkers starts a server with job workers (and opts) and has Ana and
// Ben work a prefunded shift and be paid for it (one shift each): each
// holds the wage in their balance. Sam is staff.
func paidWorkers(t *testing.T, db *entdb.DB, opts ...servertest.Option) (env *servertest.Env, sam, ana, ben servertest.Account) {
	t.Helper()
	env, sam, olga, emp := prefundedEmployer(t, db, append(opts, servertest.WithJobs())...)
	fund(env, sam, emp, "SEPA SPREE 0001", 2*shiftWage)
	ana, ben = newWorker(t, env, "ana@example.com", "Ana"), newWorker(t, env, "ben@example.com", "Ben")
	for _, who := range []servertest.Account{ana, ben} {
		newChain(t, env, olga, who, apply(env, who, postShift(t, env, olga, emp, nil))).workAndApprove()
	}
	return env, sam, ana, ben
}

// waitPayouts waits until who's payouts are all settled, and returns them.
func waitPayouts(t *testing.T, env *servertest.Env, who servertest.Account) payoutsSeen {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		var seen payoutsSeen
		env.Must(who.Token, payoutsQ, nil, &seen)
		pending := false
		for _, p := range seen.Viewer.WorkerProfile.Earnings.Payouts {
			pending = pending || p.Status == "PENDING"
		}
		if !pending {
			// The fields resolve one after the other, outside one
			// snapshot: the balance may have been read just before the
			// settlement committed. Read both again, after it.
			var settled payoutsSeen
			env.Must(who.Token, payoutsQ, nil, &settled)
			return settled
		}
		if time.Now().After(deadline) {
			t.Fatalf("payouts still pending after 30s: %+v", seen.Viewer.WorkerProfile.Earnings.Payouts)
		}
	}
}

// TestAPayoutGoesOutOnceThroughStripe: Ana, paid for a shift, withdraws
// her balance from two phones at once: one payout goes out, as one Stripe
// transfer of the whole wage, and the other phone is told the balance is
// spent. Ben's account is closed at Stripe: his payout comes back to his
// balance. Nobody but Ana sees her payout, and the books verify. Both
// databases.
func TestAPayoutGoesOutOnceThroughStripe(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		fake := stripefake.Start()
		defer fake.Close()
		env, _, ana, ben := paidWorkers(t, db, throughStripe(fake))
		const request = `mutation($in: RequestPayoutInput!) { requestPayout(input: $in) { payout { id status amount } } }`
		const setAccount = `mutation($in: SetPayoutAccountInput!) { setPayoutAccount(input: $in) { workerProfile { payoutAccount } } }`
		eur := map[string]any{"in": map[string]any{"currency": "EUR"}}
		if r := env.Do(ana.Token, request, eur); r.Code() != "PAYOUT_ACCOUNT_MISSING" {
			t.Fatalf("a payout with nowhere to go: %+v", r.Errors)
		}
		if r := env.Do(ana.Token, setAccount, map[string]any{"in": map[string]any{"account": "my bank"}}); r.Code() != "BAD_USER_INPUT" {
			t.Fatalf("a payout account that is none: %+v", r.Errors)
		}
		env.Must(ana.Token, setAccount, map[string]any{"in": map[string]any{"account": "acct_ana1"}}, &struct{}{})
		// Someone with no worker profile has no balance to take out; a bad
		// amount or currency is refused by field.
		eve := env.SignUp("eve@example.com", "Eve")
		if r := env.Do(eve.Token, setAccount, map[string]any{"in": map[string]any{"account": "acct_eve1"}}); r.Code() != "FORBIDDEN" {
			t.Fatalf("a stranger setting a payout account: %+v", r.Errors)
		}
		if r := env.Do(eve.Token, request, eur); r.Code() != "FORBIDDEN" {
			t.Fatalf("a stranger asking for a payout: %+v", r.Errors)
		}
		for _, bad := range []map[string]any{{"currency": "EUR", "amount": -5}, {"currency": "XXX"}} {
			if r := env.Do(ana.Token, request, map[string]any{"in": bad}); r.Code() != "BAD_USER_INPUT" {
				t.Fatalf("a payout of %v: %+v", bad, r.Errors)
			}
		}

		codes := make([]string, 2)
		var wg sync.WaitGroup
		for i := range codes {
			wg.Go(func() { codes[i] = env.Do(ana.Token, request, eur).Code() })
		}
		wg.Wait()
		if !(codes[0] == "" && codes[1] == "BALANCE_INSUFFICIENT") && !(codes[1] == "" && codes[0] == "BALANCE_INSUFFICIENT") {
			t.Fatalf("two phones withdrawing at once: %v", codes)
		}
		seen := waitPayouts(t, env, ana)
		payouts := seen.Viewer.WorkerProfile.Earnings.Payouts
		transfers := fake.Transfers("acct_ana1")
		if len(payouts) != 1 || payouts[0].Status != "PAID" || payouts[0].Amount != shiftWage ||
			len(transfers) != 1 || transfers[0].Amount != shiftWage || payouts[0].ProviderRef != transfers[0].ID {
			t.Fatalf("Ana's payouts %+v, Stripe's transfers %+v", payouts, transfers)
		}
		if b := seen.Viewer.WorkerProfile.Earnings.Balance; len(b) != 1 || b[0].Amount != 0 {
			t.Fatalf("Ana's balance after the payout: %+v", b)
		}
		if r := env.Do(ben.Token, `query($id: ID!) { node(id: $id) { ... on Payout { id amount } } }`, map[string]any{"id": payouts[0].ID}); r.Code() != "NOT_FOUND" {
			t.Fatalf("Ben reading Ana's payout: %+v", r.Errors)
		}

		fake.CloseAccount("acct_benclosed")
		env.Must(ben.Token, setAccount, map[string]any{"in": map[string]any{"account": "acct_benclosed"}}, &struct{}{})
		env.Must(ben.Token, request, eur, &struct{}{})
		seen = waitPayouts(t, env, ben)
		if p := seen.Viewer.WorkerProfile.Earnings.Payouts; len(p) != 1 || p[0].Status != "RETURNED" ||
			seen.Viewer.WorkerProfile.Earnings.Balance[0].Amount != shiftWage {
			t.Fatalf("Ben's payout to a closed account: %+v, balance %+v", p, seen.Viewer.WorkerProfile.Earnings.Balance)
		}
		// An account whose balance holds money is not erased with it.
		if r := env.Op(ben.Token, "DeleteMyAccount", input(map[string]any{"password": "correct horse battery"})); r.Code() != "ACCOUNT_IN_USE" {
			t.Fatalf("erasing an account that holds money: %+v", r.Errors)
		}
		booksBalance(t, db)
	})
}

// TestAKilledPayoutIsNeitherLostNorPaidTwice: Stripe is slow to answer;
// the job workers are killed while Ana's transfer is made but before its
// answer arrives, and started again. The payout is settled with the
// transfer Stripe made — found by its key, not made again — and the books
// verify. Both databases.
func TestAKilledPayoutIsNeitherLostNorPaidTwice(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		fake := stripefake.Start()
		defer fake.Close()
		env, _, ana, _ := paidWorkers(t, db, throughStripe(fake))
		env.Must(ana.Token, `mutation { setPayoutAccount(input: {account: "acct_ana1"}) { workerProfile { id } } }`, nil, &struct{}{})
		fake.Delay(3 * time.Second)
		env.Must(ana.Token, `mutation { requestPayout(input: {currency: "EUR"}) { payout { id } } }`, nil, &struct{}{})
		for deadline := time.Now().Add(20 * time.Second); len(fake.Transfers("acct_ana1")) == 0; time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the payout never reached Stripe")
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := env.Server.Notifications.Kill(ctx); err != nil {
			t.Fatal(err)
		}
		fake.Delay(0)
		if err := env.Server.Notifications.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		seen := waitPayouts(t, env, ana)
		payouts, transfers := seen.Viewer.WorkerProfile.Earnings.Payouts, fake.Transfers("acct_ana1")
		if len(payouts) != 1 || payouts[0].Status != "PAID" || len(transfers) != 1 || payouts[0].ProviderRef != transfers[0].ID {
			t.Fatalf("after the kill: payouts %+v, transfers %+v", payouts, transfers)
		}
		// Sent twice: the kill cut the first attempt short.
		if p := db.Payout.GetX(rule.System(context.Background()), payouts[0].ID); p.Attempts < 2 {
			t.Fatalf("the payout was sent %d times; the kill missed it", p.Attempts)
		}
		booksBalance(t, db)
	})
}
