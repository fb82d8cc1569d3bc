package stripepay_test

import (
	"context"
	"errors"
	"testing"

	"flexwork/money"
	"flexwork/money/stripefake"
	"flexwork/money/stripepay"
)

// TestStripeTransfersOncePerKey drives Stripe's SDK against the fake API:
// a payout sent twice under its key transfers once; a transfer whose
// answer was lost is found by its key and replayed, not made again; Find finds a transfer by its key and nothing for an unknown one; a
// closed account is a final refusal.
func TestStripeTransfersOncePerKey(t *testing.T) {
	fake := stripefake.Start()
	defer fake.Close()
	p := stripepay.New("sk_test_flexwork", fake.URL, nil)
	ctx := context.Background()
	order := money.PayoutOrder{Key: "pay_1", Destination: "acct_ana", Amount: 11250, Currency: "EUR"}
	first, err := p.Send(ctx, order)
	if err != nil {
		t.Fatal(err)
	}
	again, err := p.Send(ctx, order)
	if err != nil || again != first || len(fake.Transfers("acct_ana")) != 1 {
		t.Fatalf("sent twice: %q then %q (%v), %d transfers", first, again, err, len(fake.Transfers("acct_ana")))
	}
	if tr := fake.Transfers("acct_ana")[0]; tr.Amount != 11250 || tr.Currency != "eur" || tr.TransferGroup != "pay_1" {
		t.Fatalf("the transfer: %+v", tr)
	}
	// A transfer made whose answer is lost: an error worth retrying; the
	// transfer is found by its key, and sending it again replays it.
	fake.LoseAnswers(1)
	lost := money.PayoutOrder{Key: "pay_2", Destination: "acct_ana", Amount: 500, Currency: "EUR"}
	if _, err := p.Send(ctx, lost); err == nil || errors.Is(err, money.ErrPayoutRefused) {
		t.Fatalf("an answer lost: %v, want an error to retry", err)
	}
	found, err := p.Find(ctx, "pay_2")
	if err != nil || found == "" {
		t.Fatalf("finding the transfer whose answer was lost: %q %v", found, err)
	}
	if ref, err := p.Send(ctx, lost); err != nil || ref != found || len(fake.Transfers("acct_ana")) != 2 {
		t.Fatalf("sending it again: %q %v, %d transfers", ref, err, len(fake.Transfers("acct_ana")))
	}
	if ref, err := p.Find(ctx, "pay_1"); err != nil || ref != first {
		t.Fatalf("find pay_1: %q %v", ref, err)
	}
	if ref, err := p.Find(ctx, "pay_never"); err != nil || ref != "" {
		t.Fatalf("find a payout never sent: %q %v", ref, err)
	}
	fake.CloseAccount("acct_gone")
	if _, err := p.Send(ctx, money.PayoutOrder{Key: "pay_3", Destination: "acct_gone", Amount: 500, Currency: "EUR"}); !errors.Is(err, money.ErrPayoutRefused) {
		t.Fatalf("a closed account: %v", err)
	}
}
