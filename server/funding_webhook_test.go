package server_test

import (
	"net/http"
	"testing"
	"time"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/money/stripefake"
	"flexwork/money/stripepay"
	"flexwork/server"
	"flexwork/server/servertest"
)

// TestAnEmployerFundsByCardOnce: Olga begins a payment of 500.00 EUR into
// Spree's funds through Stripe's SDK; nothing is credited until Stripe's
// signed webhook says the money arrived, and Stripe sending it three
// times credits it once. A webhook with a forged signature credits
// nothing; a stranger may not start a payment for Spree; a server
// without a provider says to fund by transfer. The books verify. Both
// databases.
func TestAnEmployerFundsByCardOnce(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		fake := stripefake.Start()
		defer fake.Close()
		const secret = "whsec_flexwork_test"
		env, _, olga, emp := prefundedEmployer(t, db, servertest.WithDeps(func(d *server.Deps) {
			d.Funding = stripepay.New("sk_test_flexwork", fake.URL, nil).WithWebhookSecret(secret)
		}))
		const start = `mutation($in: StartFundingInput!) { startFunding(input: $in) { payment { provider paymentID clientSecret amount { amount currency } } } }`
		in := map[string]any{"in": map[string]any{"employerID": emp, "amount": map[string]any{"amount": 50000, "currency": "EUR"}}}
		eve := env.SignUp("eve@example.com", "Eve")
		if r := env.Do(eve.Token, start, in); r.Code() != "NOT_FOUND" {
			t.Fatalf("a stranger paying into Spree's funds: %+v", r.Errors)
		}
		var began struct {
			StartFunding struct {
				Payment struct{ Provider, PaymentID, ClientSecret string }
			}
		}
		env.Must(olga.Token, start, in, &began)
		p := began.StartFunding.Payment
		intent, ok := fake.Intent(p.PaymentID)
		if p.Provider != "stripe" || !ok || p.ClientSecret != intent.ClientSecret || intent.Amount != 50000 ||
			intent.Currency != "eur" || intent.Metadata["employer_id"] != emp {
			t.Fatalf("the payment begun %+v, at Stripe %+v", p, intent)
		}
		if funds, _ := employerMoney(t, env, olga, emp); funds != 0 {
			t.Fatalf("funds before the money arrived: %d", funds)
		}

		hook := env.HTTP.URL + "/webhooks/funding"
		if code, err := fake.Pay(p.PaymentID, hook, "whsec_someone_else"); err != nil || code != http.StatusBadRequest {
			t.Fatalf("a webhook with a forged signature: %d %v", code, err)
		}
		if funds, _ := employerMoney(t, env, olga, emp); funds != 0 {
			t.Fatalf("funds after a forged webhook: %d", funds)
		}
		for range 3 {
			if code, err := fake.Pay(p.PaymentID, hook, secret); err != nil || code != http.StatusNoContent {
				t.Fatalf("Stripe's webhook: %d %v", code, err)
			}
		}
		if funds, _ := employerMoney(t, env, olga, emp); funds != 50000 {
			t.Fatalf("funds after the payment arrived three times: %d", funds)
		}
		// Another event type is acknowledged and moves nothing.
		if code, err := stripefake.Deliver(hook, secret, []byte(`{"id":"evt_x","object":"event","type":"charge.refunded","data":{"object":{}}}`), time.Now()); err != nil || code != http.StatusNoContent {
			t.Fatalf("another event: %d %v", code, err)
		}
		booksBalance(t, db)
	})
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env, _, olga, emp := prefundedEmployer(t, db)
		r := env.Do(olga.Token, `mutation($in: StartFundingInput!) { startFunding(input: $in) { payment { paymentID } } }`,
			map[string]any{"in": map[string]any{"employerID": emp, "amount": map[string]any{"amount": 50000, "currency": "EUR"}}})
		if r.Code() != "FUNDING_UNAVAILABLE" {
			t.Fatalf("card funding on a server without a provider: %+v", r.Errors)
		}
	})
}
