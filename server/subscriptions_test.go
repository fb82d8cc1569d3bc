package server_test

import (
	"encoding/json"
	"testing"
	"time"

	"go.uber.org/goleak"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/server/servertest"
)

// next reads the next data message of a subscription and decodes it.
func next(t *testing.T, ws *servertest.WS, id string, v any) {
	t.Helper()
	m := ws.Read(10 * time.Second)
	if m.Type != "next" || m.ID != id {
		t.Fatalf("got %s for %q: %s; want next for %q", m.Type, m.ID, m.Payload, id)
	}
	var p struct {
		Data   json.RawMessage
		Errors []servertest.Error
	}
	if err := json.Unmarshal(m.Payload, &p); err != nil || len(p.Errors) > 0 {
		t.Fatalf("payload %s: %v", m.Payload, err)
	}
	if err := json.Unmarshal(p.Data, v); err != nil {
		t.Fatal(err)
	}
}

// quiet checks nothing arrives for a while.
func quiet(t *testing.T, ws *servertest.WS) {
	t.Helper()
	if m, err := ws.TryRead(300 * time.Millisecond); err == nil {
		t.Fatalf("unexpected message: %s %s", m.Type, m.Payload)
	}
}

// refused reads the error a subscription was refused with.
func refused(t *testing.T, ws *servertest.WS, id string) string {
	t.Helper()
	m := ws.Read(10 * time.Second)
	var errs []servertest.Error
	if m.ID != id { // a late message of an earlier subscription on this socket
		t.Logf("skipping %s for %s", m.Type, m.ID)
		return refused(t, ws, id)
	}
	if m.Type != "error" { // graphql-transport-ws: a refused operation is an error message, not a null event
		t.Fatalf("got %s for %s (%s), want an error", m.Type, m.ID, m.Payload)
	}
	_ = json.Unmarshal(m.Payload, &errs)
	if len(errs) == 0 {
		t.Fatalf("subscription %s was not refused: %s", id, m.Payload)
	}
	code, _ := errs[0].Extensions["code"].(string)
	return code
}

func TestSubscriptionsReachTheRightViewer(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env := servertest.Start(t, db)
		picking := skillID(t, db, "order-picking")
		olga, eve := env.SignUp("olga@example.com", "Olga"), env.SignUp("eve@example.com", "Eve")
		emp := createEmployer(t, env, olga, "Spree Logistics")
		createEmployer(t, env, eve, "Elsewhere")
		ana := newWorker(t, env, "ana@example.com", "Ana", picking)
		ben := newWorker(t, env, "ben@example.com", "Ben", picking)
		cem := newWorker(t, env, "cem@example.com", "Cem") // no skills

		// Workers watch for new shifts near home.
		const shiftsSub = `subscription($near: GeoPointInput!) { shiftPublished(near: $near, radiusKm: 10) { id title employer { name } } }`
		anaWS, cemWS := env.ConnectWS(ana.Token), env.ConnectWS(cem.Token)
		anaWS.Subscribe("shifts", shiftsSub, map[string]any{"near": home})
		cemWS.Subscribe("shifts", shiftsSub, map[string]any{"near": home})
		env.WaitSubscribers(2)
		shiftID := postShift(t, env, olga, emp, map[string]any{"requiredSkillIDs": []string{picking}})
		var published struct {
			ShiftPublished struct {
				ID, Title string
				Employer  struct{ Name string }
			}
		}
		next(t, anaWS, "shifts", &published)
		if published.ShiftPublished.ID != shiftID || published.ShiftPublished.Employer.Name != "Spree Logistics" {
			t.Fatalf("Ana heard of %+v", published)
		}
		quiet(t, cemWS) // Cem lacks the skill: not eligible, not told
		far := postShift(t, env, olga, emp, map[string]any{"location": map[string]any{"lat": 48.14, "lng": 11.58}})
		_ = far
		quiet(t, anaWS) // Munich is not near Berlin

		// Offers reach only the worker they are for.
		anaWS.Subscribe("offers", `subscription { offerEvents { kind offer { id shift { id } } } }`, nil)
		benWS := env.ConnectWS(ben.Token)
		benWS.Subscribe("offers", `subscription { offerEvents { kind offer { id } } }`, nil)
		// The employer watches applicants and hires.
		olgaWS := env.ConnectWS(olga.Token)
		olgaWS.Subscribe("apps", `subscription($s: ID!) { applicationEvents(shiftID: $s) { kind application { id worker { headline } } } }`, map[string]any{"s": shiftID})
		olgaWS.Subscribe("hires", `subscription($s: ID!) { assignmentEvents(shiftID: $s) { kind assignment { id status } } }`, map[string]any{"s": shiftID})
		env.WaitSubscribers(6)

		app := apply(env, ana, shiftID)
		var applied struct {
			ApplicationEvents struct {
				Kind        string
				Application struct{ ID string }
			}
		}
		next(t, olgaWS, "apps", &applied)
		if applied.ApplicationEvents.Kind != "CREATED" || applied.ApplicationEvents.Application.ID != app {
			t.Fatalf("employer heard %+v", applied)
		}

		offer := offer(env, olga, app)
		var offered struct {
			OfferEvents struct {
				Kind  string
				Offer struct {
					ID    string
					Shift struct{ ID string }
				}
			}
		}
		next(t, anaWS, "offers", &offered)
		if offered.OfferEvents.Kind != "CREATED" || offered.OfferEvents.Offer.ID != offer || offered.OfferEvents.Offer.Shift.ID != shiftID {
			t.Fatalf("Ana heard %+v", offered)
		}
		quiet(t, benWS)

		env.MustOp(ana.Token, "AcceptOffer", input(map[string]any{"offerID": offer}), &struct{}{})
		var hired struct {
			AssignmentEvents struct {
				Kind       string
				Assignment struct{ ID, Status string }
			}
		}
		next(t, olgaWS, "hires", &hired)
		if hired.AssignmentEvents.Kind != "CREATED" || hired.AssignmentEvents.Assignment.Status != "SCHEDULED" {
			t.Fatalf("employer heard %+v", hired)
		}
		next(t, anaWS, "offers", &offered)
		if offered.OfferEvents.Kind != "ACCEPTED" {
			t.Fatalf("Ana's second offer event: %+v", offered)
		}

		// Strangers are refused, each with a reason.
		eveWS := env.ConnectWS(eve.Token)
		eveWS.Subscribe("spy", `subscription($s: ID!) { applicationEvents(shiftID: $s) { kind } }`, map[string]any{"s": shiftID})
		if code := refused(t, eveWS, "spy"); code != "NOT_FOUND" {
			t.Fatalf("another employer subscribing: %s", code)
		}
		eveWS.Subscribe("mine", `subscription { offerEvents { kind } }`, nil)
		if code := refused(t, eveWS, "mine"); code != "FORBIDDEN" {
			t.Fatalf("offer events without a worker profile: %s", code)
		}
		anon := env.ConnectWS("")
		anon.Subscribe("x", `subscription { offerEvents { kind } }`, nil)
		if code := refused(t, anon, "x"); code != "UNAUTHENTICATED" {
			t.Fatalf("anonymous subscription: %s", code)
		}
	})
}

func TestKilledSubscriberLeavesNothingBehind(t *testing.T) {
	env := servertest.Start(t, entdbtest.Open(t, "sqlite3"))
	ana := newWorker(t, env, "ana@example.com", "Ana")
	before := goleak.IgnoreCurrent()
	ws := env.ConnectWS(ana.Token)
	ws.Subscribe("offers", `subscription { offerEvents { kind } }`, nil)
	ws.Subscribe("shifts", `subscription($near: GeoPointInput!) { shiftPublished(near: $near, radiusKm: 5) { id } }`, map[string]any{"near": home})
	env.WaitSubscribers(2)
	ws.Conn.CloseNow() // the phone loses its connection
	env.WaitSubscribers(0)
	goleak.VerifyNone(t, before)
}
