package server_test

import (
	"sync"
	"testing"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/server/servertest"
)

// candidateCard is what the tablet's Candidates screen shows of each
// applicant.
type candidateCard struct {
	Rank int
	Node struct {
		ID, Status string
		Worker     struct {
			Headline string
			User     struct{ DisplayName string }
		}
	}
}

// TestCandidatesShowAnApplicantAsTheyNowAre: a kept ranking keeps what the
// tablet shows of each applicant, and answers a page with no statement but
// the viewer's; an applicant's new name and headline, and an application
// shortlisted, show in the very next page, and a client asking for more of
// each applicant sees the same.
func TestCandidatesShowAnApplicantAsTheyNowAre(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env := servertest.Start(t, db)
		olga := env.SignUp("olga@example.com", "Olga")
		emp := createEmployer(t, env, olga, "Spree Logistics")
		open := postShift(t, env, olga, emp, map[string]any{"slots": 3})
		ana := newWorker(t, env, "ana@example.com", "Ana")
		ben := newWorker(t, env, "ben@example.com", "Ben")
		apply(env, ana, open)
		benApp := apply(env, ben, open)

		page := func() map[string]candidateCard {
			t.Helper()
			var out struct {
				Candidates struct{ Edges []candidateCard }
			}
			env.MustOp(olga.Token, "Candidates", map[string]any{"shiftID": open, "first": 50}, &out)
			cards := map[string]candidateCard{}
			for _, e := range out.Candidates.Edges {
				cards[e.Node.Worker.User.DisplayName] = e
			}
			return cards
		}
		if got := page(); len(got) != 2 || got["Ana"].Node.Worker.Headline != "Picker" || got["Ben"].Node.Status != "APPLIED" {
			t.Fatalf("first page: %+v", got)
		}
		before := db.Statements()
		page()
		if n := db.Statements() - before; n != 1 {
			t.Fatalf("a page of a kept ranking read %d statements, want 1 (the viewer)", n)
		}
		// Tablets reading at once share the kept rows (under -race).
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				if r := env.Op(olga.Token, "Candidates", map[string]any{"shiftID": open, "first": 50}); len(r.Errors) > 0 {
					t.Errorf("a tablet reading with others: %+v", r.Errors)
				}
			})
		}
		wg.Wait()

		env.MustOp(ana.Token, "UpdateAccount", input(map[string]any{"displayName": "Ana Lima"}), &struct{}{})
		if got := page(); got["Ana Lima"].Node.Worker.Headline != "Picker" || len(got) != 2 {
			t.Fatalf("after Ana renamed herself: %+v", got)
		}
		env.MustOp(ana.Token, "UpdateWorkerProfile", input(map[string]any{"headline": "Forklift driver"}), &struct{}{})
		if got := page(); got["Ana Lima"].Node.Worker.Headline != "Forklift driver" {
			t.Fatalf("after Ana changed her headline: %+v", got)
		}
		env.MustOp(olga.Token, "ShortlistApplication", input(map[string]any{"applicationID": benApp}), &struct{}{})
		got := page()
		if got["Ben"].Node.Status != "SHORTLISTED" {
			t.Fatalf("after Olga shortlisted Ben: %+v", got)
		}

		// Asking for the shift and the applicant's certifications too
		// reads the page's rows afresh: the same applicants, as they are.
		const more = `query($id: ID!) { candidates(shiftID: $id, first: 50) { edges { rank node {
			id status shift { id } worker { headline certifications(first: 5) { totalCount } user { displayName } } } } } }`
		var wide struct {
			Candidates struct {
				Edges []struct {
					Rank int
					Node struct {
						ID, Status string
						Shift      struct{ ID string }
						Worker     struct {
							Headline string
							User     struct{ DisplayName string }
						}
					}
				}
			}
		}
		env.Must(olga.Token, more, map[string]any{"id": open}, &wide)
		if len(wide.Candidates.Edges) != len(got) {
			t.Fatalf("%d candidates asking for more, %d asking for the card", len(wide.Candidates.Edges), len(got))
		}
		for _, e := range wide.Candidates.Edges {
			card := got[e.Node.Worker.User.DisplayName]
			if e.Node.ID != card.Node.ID || e.Node.Status != card.Node.Status || e.Node.Worker != card.Node.Worker ||
				e.Rank != card.Rank || e.Node.Shift.ID != open {
				t.Fatalf("asking for more: %+v, the card: %+v", e, card)
			}
		}
	})
}
