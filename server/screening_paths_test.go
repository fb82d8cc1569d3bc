package server_test

import (
	"net/http"
	"strings"
	"testing"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/server/servertest"
)

const (
	sendOfferQ  = `mutation($in: SendOfferInput!) { sendOffer(input: $in) { offer { id status } } }`
	acceptQ     = `mutation($id: ID!) { acceptOffer(input: {offerID: $id}) { assignment { id } } }`
	setRosterQ  = `mutation($in: SetRosterEntryInput!) { setRosterEntry(input: $in) { rosterEntry { id } revokedOffers { id status } } }`
	offerStateQ = `query($id: ID!) { node(id: $id) { ... on Offer { status } } }`
)

// failedRules are the rule names of a SCREENING_FAILED refusal.
func failedRules(t *testing.T, r servertest.Response) string {
	t.Helper()
	return refusedRules(t, r, "SCREENING_FAILED")
}

// refusedRules are the rule names in extensions.failedRules of a refusal
// with code.
func refusedRules(t *testing.T, r servertest.Response, code string) string {
	t.Helper()
	if r.Code() != code {
		t.Fatalf("got %+v, want %s", r.Errors, code)
	}
	var names []string
	for _, f := range r.Errors[0].Extensions["failedRules"].([]any) {
		names = append(names, f.(map[string]any)["rule"].(string))
	}
	return strings.Join(names, ",")
}

// TestEveryPathToAHireScreens: a direct invitation screens like an
// application, acceptance screens again, and a block withdraws the offers
// already out.
func TestEveryPathToAHireScreens(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env := servertest.Start(t, db)
		picking, forklift := skillID(t, db, "order-picking"), skillID(t, db, "forklift")
		olga := env.SignUp("olga@example.com", "Olga")
		emp := createEmployer(t, env, olga, "Spree Logistics")
		staff := makeStaff(t, env, db, "sam@example.com")
		ana := newWorker(t, env, "ana@example.com", "Ana", picking)
		ben := newWorker(t, env, "ben@example.com", "Ben", picking, forklift)
		anaID, benID := workerOf(t, env, ana), workerOf(t, env, ben)

		// A favourite with a provisional 600 and no licence, invited to a
		// shift that needs 700 and a verified forklift licence: refused,
		// with the employer told why, and nothing written.
		strict := postShift(t, env, olga, emp, map[string]any{"minCreditScore": 700, "requiredCertificationIDs": []string{forklift}})
		env.Must(olga.Token, setRosterQ, map[string]any{"in": map[string]any{"employerID": emp, "workerID": anaID, "kind": "FAVOURITE"}}, &struct{}{})
		before := env.Fingerprint(t)
		r := env.Do(olga.Token, sendOfferQ, map[string]any{"in": map[string]any{"shiftID": strict, "workerID": anaID}})
		if got := failedRules(t, r); got != "CREDIT_MINIMUM,REQUIRED_CERTIFICATES" {
			t.Fatalf("failed rules of the invitation = %s", got)
		}
		if msg := r.Errors[0].Message; !strings.Contains(msg, "this worker does not meet") || !strings.Contains(msg, "Credit score 600 is below the minimum of 700") {
			t.Fatalf("the employer reads %q", msg)
		}
		// The same refusal to an employer whose app asks for Chinese.
		zh := env.DoWith(olga.Token, sendOfferQ, map[string]any{"in": map[string]any{"shiftID": strict, "workerID": anaID}},
			http.Header{"Accept-Language": {"zh-CN"}})
		if msg := zh.Errors[0].Message; zh.Code() != "SCREENING_FAILED" || !strings.Contains(msg, "该劳动者不符合本班次的要求") ||
			!strings.Contains(msg, "信用分 600 低于最低要求 700") {
			t.Fatalf("in Chinese the employer reads %q", msg)
		}
		if env.Fingerprint(t) != before {
			t.Fatal("a refused invitation changed the database")
		}

		// Ben qualifies, applies and is offered the shift; then staff revoke
		// his licence. Accepting is refused, and the offer stays as it was.
		licence := uploaded(t, env, ben, forklift)
		env.MustOp(staff.Token, "ReviewCertification", input(map[string]any{"certificationID": licence, "decision": "VERIFY"}), &struct{}{})
		licensed := postShift(t, env, olga, emp, map[string]any{"requiredCertificationIDs": []string{forklift}})
		app := apply(env, ben, licensed)
		var offer struct {
			SendOffer struct{ Offer struct{ ID string } }
		}
		env.Must(olga.Token, sendOfferQ, map[string]any{"in": map[string]any{"applicationID": app}}, &offer)
		licensedOffer := offer.SendOffer.Offer.ID
		env.MustOp(staff.Token, "RevokeCertification", input(map[string]any{"certificationID": licence, "reason": "forged stamp"}), &struct{}{})
		before = env.Fingerprint(t)
		r = env.Do(ben.Token, acceptQ, map[string]any{"id": offer.SendOffer.Offer.ID})
		if got := failedRules(t, r); got != "REQUIRED_CERTIFICATES" {
			t.Fatalf("failed rules at acceptance = %s", got)
		}
		if env.Fingerprint(t) != before {
			t.Fatal("a refused acceptance changed the database")
		}

		// An offer out to Ben for a shift he qualifies for; Olga blocks him:
		// the offer is revoked, and accepting it fails.
		plain := postShift(t, env, olga, emp, nil)
		app = apply(env, ben, plain)
		env.Must(olga.Token, sendOfferQ, map[string]any{"in": map[string]any{"applicationID": app}}, &offer)
		var blocked struct {
			SetRosterEntry struct{ RevokedOffers []struct{ ID, Status string } }
		}
		env.Must(olga.Token, setRosterQ, map[string]any{"in": map[string]any{"employerID": emp, "workerID": benID, "kind": "BLOCKED"}}, &blocked)
		revoked := map[string]string{}
		for _, o := range blocked.SetRosterEntry.RevokedOffers {
			revoked[o.ID] = o.Status
		}
		if len(revoked) != 2 || revoked[offer.SendOffer.Offer.ID] != "REVOKED" || revoked[licensedOffer] != "REVOKED" {
			t.Fatalf("blocking answered with revoked offers %v, want both of Ben's pending offers", revoked)
		}
		var state struct{ Node struct{ Status string } }
		env.Must(ben.Token, offerStateQ, map[string]any{"id": offer.SendOffer.Offer.ID}, &state)
		if state.Node.Status != "REVOKED" {
			t.Fatalf("Ben's offer after the block is %s, want REVOKED", state.Node.Status)
		}
		if r := env.Do(ben.Token, acceptQ, map[string]any{"id": offer.SendOffer.Offer.ID}); r.Code() == "" {
			t.Fatal("a blocked worker accepted a revoked offer")
		}
		// A direct invitation of a blocked worker is refused by screening.
		env.Must(olga.Token, setRosterQ, map[string]any{"in": map[string]any{"employerID": emp, "workerID": benID, "kind": "FAVOURITE"}}, &struct{}{})
		second := postShift(t, env, olga, emp, nil)
		env.Must(olga.Token, sendOfferQ, map[string]any{"in": map[string]any{"shiftID": second, "workerID": benID}}, &offer)
		env.Must(olga.Token, setRosterQ, map[string]any{"in": map[string]any{"employerID": emp, "workerID": benID, "kind": "BLOCKED"}}, &struct{}{})
		env.Must(ben.Token, offerStateQ, map[string]any{"id": offer.SendOffer.Offer.ID}, &state)
		if state.Node.Status != "REVOKED" {
			t.Fatalf("an invitation after the block is %s, want REVOKED", state.Node.Status)
		}
	})
}

// TestEmployersSeeNoMoreThanTheyNeed: the candidates view gives distance to
// the half kilometre, in the edge, the application and the match detail, and
// screening messages say nothing of the worker's other bookings.
func TestEmployersSeeNoMoreThanTheyNeed(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env := servertest.Start(t, db)
		olga, eve := env.SignUp("olga@example.com", "Olga"), env.SignUp("eve@example.com", "Eve")
		emp, other := createEmployer(t, env, olga, "Spree Logistics"), createEmployer(t, env, eve, "Elsewhere")
		ana := newWorker(t, env, "ana@example.com", "Ana")
		// 3.27 km from the shift's place.
		env.MustOp(ana.Token, "UpdateWorkerProfile", map[string]any{"input": map[string]any{
			"homeLocation": map[string]any{"lat": 52.5494, "lng": 13.4050}}}, &struct{}{})
		shift := postShift(t, env, olga, emp, nil)
		apply(env, ana, shift)
		// Ana is then hired elsewhere at the same time.
		elsewhere := postShift(t, env, eve, other, nil)
		app2 := apply(env, ana, elsewhere)
		newChain(t, env, eve, ana, app2).hire()

		var out struct {
			Candidates struct {
				Edges []struct {
					DistanceKm  float64
					Factors     []struct{ Name, Detail string }
					Node        struct{ DistanceKm float64 }
					Eligibility struct {
						Rules []struct {
							Rule, Message string
							Passed        bool
						}
					}
				}
			}
		}
		env.Must(olga.Token, `query($id: ID!) { candidates(shiftID: $id, first: 5) { edges { distanceKm factors { name detail }
			node { distanceKm } eligibility { rules { rule passed message } } } } }`, map[string]any{"id": shift}, &out)
		if len(out.Candidates.Edges) != 1 {
			t.Fatalf("%d candidates", len(out.Candidates.Edges))
		}
		e := out.Candidates.Edges[0]
		if e.DistanceKm != 3.5 || e.Node.DistanceKm != 3.5 {
			t.Fatalf("the employer sees Ana %v / %v km away, want 3.5 (3.27 to the half kilometre)", e.DistanceKm, e.Node.DistanceKm)
		}
		for _, f := range e.Factors {
			if f.Name == "distance" && f.Detail != "about 3.5 km from home" {
				t.Fatalf("distance factor: %q", f.Detail)
			}
		}
		for _, r := range e.Eligibility.Rules {
			if r.Rule == "NO_OVERLAP" && (r.Passed || r.Message != "Already booked at that time") {
				t.Fatalf("the employer reads of Ana's other booking: %+v", r)
			}
		}
	})
}
