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
			app := apply(env, w, shift)
			offer := offer(env, olga, app)
			var hired struct {
				AcceptOffer struct {
					Assignment struct {
						Shift    struct{ Employer struct{ ID string } }
						Contract struct{ ID string }
						Offer    struct{ Application struct{ ID string } }
					}
					Shift       struct{ Filled int }
					Contract    struct{ ID string }
					Application struct{ ID, Status string }
				}
			}
			env.Must(w.Token, `mutation($id: ID!) { acceptOffer(input: {offerID: $id}) {
				assignment { id shift { id employer { id } } contract { id } worker { id } offer { id application { id } } }
				shift { id filled } contract { id } application { id status } } }`, map[string]any{"id": offer}, &hired)
			h := hired.AcceptOffer
			if a := h.Assignment; a.Shift.Employer.ID != emp || a.Contract.ID == "" || a.Offer.Application.ID != app {
				t.Fatalf("round %d: %+v", i, h)
			}
			if h.Contract.ID != h.Assignment.Contract.ID || h.Shift.Filled != 1 || h.Application.ID != app || h.Application.Status != "HIRED" {
				t.Fatalf("round %d: the payload's own objects disagree with the hire: %+v", i, h)
			}
		}
	})
}

// TestOptionalTextIsNullWhenNotGiven: text an entity may lack is null, not
// "", and is what was given when it was.
func TestOptionalTextIsNullWhenNotGiven(t *testing.T) {
	env := servertest.Start(t, entdbtest.Open(t, "sqlite3"))
	olga := env.SignUp("olga@example.com", "Olga")
	emp := createEmployer(t, env, olga, "Spree Logistics")
	shift := postShift(t, env, olga, emp, map[string]any{"description": "Bring safety shoes."})
	var out struct {
		Node struct {
			Description, Website *string
			Shifts               struct {
				Edges []struct {
					Node struct{ Description, CancelReason *string }
				}
			}
		}
	}
	env.Must(olga.Token, `query($id: ID!) { node(id: $id) { ... on Employer { description website
		shifts(first: 1) { edges { node { description cancelReason } } } } } }`, map[string]any{"id": emp}, &out)
	s := out.Node.Shifts.Edges[0].Node
	if out.Node.Description != nil || out.Node.Website != nil || s.CancelReason != nil || s.Description == nil || *s.Description != "Bring safety shoes." {
		t.Fatalf("employer %+v, shift %s %+v", out.Node, shift, s)
	}
}

// TestEmptyListsAreEmpty: a list the schema says is never null is [] when
// there is nothing in it, whatever the database holds.
func TestEmptyListsAreEmpty(t *testing.T) {
	env := servertest.Start(t, entdbtest.Open(t, "sqlite3"))
	ana := env.SignUp("ana@example.com", "Ana")
	env.Must(ana.Token, `mutation { updateWorkerProfile(input: {headline: "New here"}) { workerProfile { id } } }`, nil, &struct{}{})
	r := env.Do(ana.Token, `{ viewer { memberships { id } workerProfile { skills { id } workerSkills { id } engagementTypes
		offers(first: 5) { edges { node { id } } } } } }`, nil)
	if r.Code() != "" {
		t.Fatal(r.Errors)
	}
	want := `{"viewer":{"memberships":[],"workerProfile":{"skills":[],"workerSkills":[],"engagementTypes":[],"offers":{"edges":[]}}}}`
	if string(r.Data) != want {
		t.Fatalf("got %s\nwant %s", r.Data, want)
	}
}
