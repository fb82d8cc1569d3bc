package server_test

import (
	"slices"
	"strings"
	"sync"
	"testing"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
)

const (
	setBank     = `mutation($in: SetBankAccountInput!) { setBankAccount(input: $in) { workerProfile { payoutMethod bankAccount { holderName bankName last4 } } } }`
	requestAll  = `mutation { requestPayout(input: {currency: "EUR"}) { payout { id status provider } } }`
	batchEUR    = `mutation { batchPayouts(input: {currency: "EUR"}) { batch { id count total { amount currency } file settledAt } } }`
	settleBatch = `mutation($in: SettlePayoutBatchInput!) { settlePayoutBatch(input: $in) { batch { id settledAt payouts { id status providerRef } } } }`
)

type batchSeen struct {
	BatchPayouts struct {
		Batch *struct {
			ID    string
			Count int
			Total struct{ Amount int64 }
			File  string
		}
	}
}

// TestBankPayoutsGoOutInOneBatchFile: on a server with no payment
// provider, Ana and Ben set bank accounts (a mistyped IBAN is refused, by
// field) and withdraw their wages. Two staff batching at once make one
// file of both transfers, with the full account numbers and the payouts
// as references; the other gets no batch. A worker may not batch. Staff
// settle from the statement: Ben's transfer came back, so his wage is in
// his balance again; Ana's is paid, the batch its reference. A batch
// settles once, and a payout named that is not in it leaves everything as
// it was. The books verify. Both databases.
func TestBankPayoutsGoOutInOneBatchFile(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env, sam, ana, ben := paidWorkers(t, db)
		bad := map[string]any{"holderName": "Ana Lima", "bankName": "Sparkasse", "accountNumber": "DE88 3704 0044 0532 0130 00"}
		if r := env.Do(ana.Token, setBank, map[string]any{"in": bad}); r.Code() != "BAD_USER_INPUT" || !slices.Contains(r.Fields(), "accountNumber") {
			t.Fatalf("a mistyped IBAN: %+v", r.Errors)
		}
		var set struct {
			SetBankAccount struct {
				WorkerProfile struct {
					PayoutMethod string
					BankAccount  struct{ HolderName, BankName, Last4 string }
				}
			}
		}
		env.Must(ana.Token, setBank, map[string]any{"in": map[string]any{"holderName": "Ana Lima", "bankName": "Sparkasse",
			"accountNumber": "de89 3704 0044 0532 0130 00"}}, &set)
		if p := set.SetBankAccount.WorkerProfile; p.PayoutMethod != "BANK_TRANSFER" || p.BankAccount.Last4 != "3000" {
			t.Fatalf("Ana's payout method: %+v", p)
		}
		env.Must(ben.Token, setBank, map[string]any{"in": map[string]any{"holderName": "Ben Wu", "bankName": "Commerzbank",
			"accountNumber": "FR14 2004 1010 0505 0001 3M02 606"}}, &set)
		var asked struct {
			RequestPayout struct {
				Payout struct{ ID, Status, Provider string }
			}
		}
		env.Must(ana.Token, requestAll, nil, &asked)
		anaPayout := asked.RequestPayout.Payout
		env.Must(ben.Token, requestAll, nil, &asked)
		benPayout := asked.RequestPayout.Payout
		if anaPayout.Status != "PENDING" || anaPayout.Provider != "bank" {
			t.Fatalf("a bank payout asked for: %+v", anaPayout)
		}
		if r := env.Do(ana.Token, batchEUR, nil); r.Code() != "FORBIDDEN" {
			t.Fatalf("a worker batching payouts: %+v", r.Errors)
		}

		eva := makeStaff(t, env, db, "eva@example.com")
		batches := make([]batchSeen, 2)
		var wg sync.WaitGroup
		for i, who := range []string{sam.Token, eva.Token} {
			wg.Go(func() { env.Must(who, batchEUR, nil, &batches[i]) })
		}
		wg.Wait()
		a, b := batches[0].BatchPayouts.Batch, batches[1].BatchPayouts.Batch
		if (a == nil) == (b == nil) {
			t.Fatalf("two staff batching at once: %+v, %+v", a, b)
		}
		if a == nil {
			a = b
		}
		if a.Count != 2 || a.Total.Amount != 2*shiftWage {
			t.Fatalf("the batch: %+v", a)
		}
		lines := strings.Split(strings.TrimSpace(a.File), "\n")
		if len(lines) != 3 || lines[0] != "batch_id,reference,holder_name,bank_name,account_number,amount,currency" ||
			!strings.Contains(a.File, a.ID+","+anaPayout.ID+",Ana Lima,Sparkasse,DE89370400440532013000,112.50,EUR") ||
			!strings.Contains(a.File, benPayout.ID+",Ben Wu,Commerzbank,FR1420041010050500013M02606,112.50,EUR") {
			t.Fatalf("the batch file:\n%s", a.File)
		}
		var again batchSeen
		env.Must(sam.Token, batchEUR, nil, &again)
		if again.BatchPayouts.Batch != nil {
			t.Fatalf("a second batch of payouts already batched: %+v", again.BatchPayouts.Batch)
		}

		returned := func(id string) map[string]any {
			return map[string]any{"in": map[string]any{"batchID": a.ID, "returned": []map[string]any{{"payoutID": id, "reason": "account closed"}}}}
		}
		if r := env.Do(sam.Token, settleBatch, returned("pay_not_in_it")); r.Code() != "BAD_USER_INPUT" || !slices.Contains(r.Fields(), "returned[0].payoutID") {
			t.Fatalf("settling with a payout not in the batch: %+v", r.Errors)
		}
		if r := env.Do(ben.Token, settleBatch, returned(benPayout.ID)); r.Code() != "FORBIDDEN" {
			t.Fatalf("a worker settling a batch: %+v", r.Errors)
		}
		var before payoutsSeen
		env.Must(ana.Token, payoutsQ, nil, &before)
		if p := before.Viewer.WorkerProfile.Earnings.Payouts; len(p) != 1 || p[0].Status != "PENDING" {
			t.Fatalf("Ana's payout after refused settlements: %+v", p)
		}
		var settled struct {
			SettlePayoutBatch struct {
				Batch struct {
					SettledAt *string
					Payouts   []struct{ ID, Status, ProviderRef string }
				}
			}
		}
		env.Must(sam.Token, settleBatch, returned(benPayout.ID), &settled)
		for _, p := range settled.SettlePayoutBatch.Batch.Payouts {
			want := map[string]string{anaPayout.ID: "PAID " + a.ID, benPayout.ID: "RETURNED "}[p.ID]
			if p.Status+" "+p.ProviderRef != want {
				t.Fatalf("payout %s settled as %s %q, want %s", p.ID, p.Status, p.ProviderRef, want)
			}
		}
		if r := env.Do(eva.Token, settleBatch, map[string]any{"in": map[string]any{"batchID": a.ID}}); r.Code() != "BATCH_SETTLED" {
			t.Fatalf("settling a batch twice: %+v", r.Errors)
		}
		seen := waitPayouts(t, env, ben)
		if b := seen.Viewer.WorkerProfile.Earnings.Balance; len(b) != 1 || b[0].Amount != shiftWage {
			t.Fatalf("Ben's balance after his transfer came back: %+v", b)
		}
		booksBalance(t, db)
	})
}
