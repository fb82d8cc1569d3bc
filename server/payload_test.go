package server_test

import (
	"fmt"
	"testing"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/server/servertest"
)

// TestAMutationAnswersWithEverythingItTouched: a hire answered with its
// shift, contract, worker and offer, each resolved by its own resolver in
// the mutation's transaction. gqlgen resolves them side by side, and on
// PostgreSQL the transaction's one connection refused the second statement
// ("conn busy"), failing one hire in two.
func TestAMutationAnswersWithEverythingItTouched(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env := servertest.Start(t, db)
		olga := env.SignUp("olga@example.com", "Olga")
		emp := createEmployer(t, env, olga, "Spree Logistics")
		for i := range 15 {
			shift := postShift(t, env, olga, emp, map[string]any{"slots": 1})
			w := newWorker(t, env, fmt.Sprintf("w%d@example.com", i), "W")
			var app struct{ ApplyToShift struct{ ID string } }
			env.Must(w.Token, `mutation($id: ID!) { applyToShift(input: {shiftID: $id}) { id } }`, map[string]any{"id": shift}, &app)
			var offer struct{ SendOffer struct{ ID string } }
			env.Must(olga.Token, `mutation($a: ID!) { sendOffer(input: {applicationID: $a}) { id } }`, map[string]any{"a": app.ApplyToShift.ID}, &offer)
			var hired struct {
				AcceptOffer struct {
					Shift    struct{ Employer struct{ ID string } }
					Contract struct{ ID string }
					Offer    struct{ Application struct{ ID string } }
				}
			}
			env.Must(w.Token, `mutation($id: ID!) { acceptOffer(id: $id) { id shift { id employer { id } } contract { id }
				worker { id } offer { id application { id } } } }`, map[string]any{"id": offer.SendOffer.ID}, &hired)
			if h := hired.AcceptOffer; h.Shift.Employer.ID != emp || h.Contract.ID == "" || h.Offer.Application.ID != app.ApplyToShift.ID {
				t.Fatalf("round %d: %+v", i, h)
			}
		}
	})
}
