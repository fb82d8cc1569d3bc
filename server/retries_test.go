package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/server/servertest"
)

const createShiftQ = `mutation($in: CreateShiftInput!) { createShift(input: $in) { shift { id title } } }`

func shiftInput(env *servertest.Env, emp, title string) map[string]any {
	start := env.Clock.Now().Add(48 * time.Hour)
	return map[string]any{"in": map[string]any{"employerID": emp, "title": title, "engagementType": "PART_TIME",
		"address": "Lager 1", "location": place, "startsAt": start.Format(time.RFC3339), "endsAt": start.Add(6 * time.Hour).Format(time.RFC3339),
		"timeZone": "Europe/Berlin", "pay": map[string]any{"amount": 1500, "currency": "EUR"}, "payUnit": "HOUR", "slots": 2}}
}

func withKey(k string) http.Header { return http.Header{"Idempotency-Key": {k}} }

// shiftCount is how many shifts an employer has.
func shiftCount(t *testing.T, env *servertest.Env, who servertest.Account, emp string) int {
	var out struct {
		Node struct{ Shifts struct{ TotalCount int } }
	}
	env.Must(who.Token, `query($id: ID!) { node(id: $id) { ... on Employer { shifts(first: 1) { totalCount } } } }`, map[string]any{"id": emp}, &out)
	return out.Node.Shifts.TotalCount
}

// TestRetriedMutationsHappenOnce: a phone that retries a mutation with its
// idempotency key gets the first answer again and changes nothing more —
// one after another, at once, over HTTP and over WebSocket; the same key
// with another request is refused; a failed mutation is not remembered.
func TestRetriedMutationsHappenOnce(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env := servertest.Start(t, db)
		olga := env.SignUp("olga@example.com", "Olga")
		emp := createEmployer(t, env, olga, "Spree Logistics")
		in := shiftInput(env, emp, "Picker")

		first := env.DoWith(olga.Token, createShiftQ, in, withKey("2f1c-retry-1"))
		again := env.DoWith(olga.Token, createShiftQ, in, withKey("2f1c-retry-1"))
		if len(first.Errors) > 0 || string(first.Data) != string(again.Data) {
			t.Fatalf("a retry answered %s, the first %s (%+v)", again.Data, first.Data, first.Errors)
		}
		if replayed, _ := again.Extensions["idempotency"].(map[string]any); replayed["replayed"] != true {
			t.Fatalf("the retry is not marked as a replay: %+v", again.Extensions)
		}
		if n := shiftCount(t, env, olga, emp); n != 1 {
			t.Fatalf("%d shifts after a retried creation, want 1", n)
		}
		// The same key with another request is a client bug, said plainly.
		if r := env.DoWith(olga.Token, createShiftQ, shiftInput(env, emp, "Packer"), withKey("2f1c-retry-1")); r.Code() != "IDEMPOTENCY_KEY_REUSED" {
			t.Fatalf("a reused key: %+v", r.Errors)
		}
		// Ten retries at once: one shift, ten times the same answer.
		answers := make([]string, 10)
		var wg sync.WaitGroup
		for i := range answers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := env.DoWith(olga.Token, createShiftQ, shiftInput(env, emp, "Racer"), withKey("race-key"))
				answers[i] = string(r.Data)
				if len(r.Errors) > 0 {
					answers[i] = r.Errors[0].Message
				}
			}()
		}
		wg.Wait()
		for _, a := range answers[1:] {
			if a != answers[0] {
				t.Fatalf("racing retries answered differently: %v", answers)
			}
		}
		if n := shiftCount(t, env, olga, emp); n != 2 {
			t.Fatalf("%d shifts after racing retries, want 2", n)
		}
		// A refused mutation is not remembered: fixed, it goes through.
		bad := shiftInput(env, emp, "x")
		if r := env.DoWith(olga.Token, createShiftQ, bad, withKey("fix-me")); r.Code() != "BAD_USER_INPUT" {
			t.Fatalf("a bad title: %+v", r.Errors)
		}
		if r := env.DoWith(olga.Token, createShiftQ, bad, withKey("fix-me")); r.Code() != "BAD_USER_INPUT" {
			t.Fatalf("the bad title again: %+v", r.Errors)
		}
		// Over WebSocket, the key travels in the request's extensions.
		ws := env.ConnectWS(olga.Token)
		wsIn := shiftInput(env, emp, "Socket picker")
		for _, id := range []string{"m1", "m2"} {
			ws.Send(id, "subscribe", map[string]any{"query": createShiftQ, "variables": wsIn, "extensions": map[string]any{"idempotencyKey": "ws-key"}})
		}
		var ids []string
		for len(ids) < 2 {
			m := ws.Read(5 * time.Second)
			if m.Type != "next" {
				continue
			}
			var p struct {
				Data struct {
					CreateShift struct{ Shift struct{ ID string } }
				}
			}
			_ = json.Unmarshal(m.Payload, &p)
			ids = append(ids, p.Data.CreateShift.Shift.ID)
		}
		if ids[0] == "" || ids[0] != ids[1] {
			t.Fatalf("over WebSocket the retry made %v", ids)
		}
		if n := shiftCount(t, env, olga, emp); n != 3 {
			t.Fatalf("%d shifts, want 3", n)
		}
		// A day later the key is free again.
		env.Clock.Advance(25 * time.Hour)
		if r := env.DoWith(olga.Token, createShiftQ, shiftInput(env, emp, "Packer"), withKey("2f1c-retry-1")); len(r.Errors) > 0 {
			t.Fatalf("a key after 25 hours: %+v", r.Errors)
		}
		if r := env.DoWith(olga.Token, createShiftQ, in, withKey("bad key with spaces")); r.Code() != "BAD_USER_INPUT" {
			t.Fatalf("a key with spaces: %+v", r.Errors)
		}
	})
}

// TestARepeatedTransitionAnswersWithTheCurrentState: a phone that lost the
// answer and asks again — publish, offer, accept, sign, check in — gets the
// state it asked for, not CONFLICT, and nothing happens twice.
func TestARepeatedTransitionAnswersWithTheCurrentState(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env := servertest.Start(t, db)
		olga := env.SignUp("olga@example.com", "Olga")
		emp := createEmployer(t, env, olga, "Spree Logistics")
		ana := newWorker(t, env, "ana@example.com", "Ana")
		shift := postShift(t, env, olga, emp, nil)
		twice := func(who servertest.Account, query string, vars map[string]any) string {
			t.Helper()
			a, b := env.Do(who.Token, query, vars), env.Do(who.Token, query, vars)
			if len(a.Errors) > 0 || len(b.Errors) > 0 || string(a.Data) != string(b.Data) {
				t.Fatalf("%s twice: %s %+v / %s %+v", query, a.Data, a.Errors, b.Data, b.Errors)
			}
			return string(a.Data)
		}
		twice(olga, `mutation($id: ID!) { publishShift(input: {shiftID: $id}) { shift { id status } } }`, map[string]any{"id": shift})
		var app struct {
			ApplyToShift struct{ Application struct{ ID string } }
		}
		json.Unmarshal([]byte(twice(ana, `mutation($id: ID!) { applyToShift(input: {shiftID: $id}) { application { id status } } }`, map[string]any{"id": shift})), &app)
		var offer struct {
			SendOffer struct{ Offer struct{ ID string } }
		}
		json.Unmarshal([]byte(twice(olga, `mutation($a: ID!) { sendOffer(input: {applicationID: $a}) { offer { id status } } }`,
			map[string]any{"a": app.ApplyToShift.Application.ID})), &offer)
		var hired struct {
			AcceptOffer struct {
				Assignment struct{ ID string }
				Contract   struct{ ID string }
			}
		}
		json.Unmarshal([]byte(twice(ana, `mutation($id: ID!) { acceptOffer(input: {offerID: $id}) { assignment { id status } contract { id } } }`,
			map[string]any{"id": offer.SendOffer.Offer.ID})), &hired)
		for _, who := range []servertest.Account{ana, olga} {
			twice(who, `mutation($id: ID!) { signContract(input: {contractID: $id}) { contract { id } } }`, map[string]any{"id": hired.AcceptOffer.Contract.ID})
		}
		var s struct{ Node struct{ Filled int } }
		env.Must(olga.Token, `query($id: ID!) { node(id: $id) { ... on Shift { filled } } }`, map[string]any{"id": shift}, &s)
		if s.Node.Filled != 1 {
			t.Fatalf("a repeated acceptance filled %d slots", s.Node.Filled)
		}
		env.Clock.Advance(2 * time.Hour)
		twice(ana, `mutation($a: ID!, $at: GeoPointInput!) { checkIn(input: {assignmentID: $a, location: $at}) { assignment { id status } } }`,
			map[string]any{"a": hired.AcceptOffer.Assignment.ID, "at": place})
		// Declining an offer already accepted is refused.
		if r := env.Op(ana.Token, "DeclineOffer", input(map[string]any{"offerID": offer.SendOffer.Offer.ID})); r.Code() != "OFFER_NOT_PENDING" {
			t.Fatalf("declining an accepted offer: %+v", r.Errors)
		}
	})
}

// TestAnEmployerCannotFarmPaidOnTime: the loop an employer could run from
// the tablet — mark paid, the worker disputes, approve again, mark paid
// again — puts one payment on its record, and only once the worker
// confirms; the worker's "not received" sends it back.
func TestAnEmployerCannotFarmPaidOnTime(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env := servertest.Start(t, db)
		olga := env.SignUp("olga@example.com", "Olga")
		emp := createEmployer(t, env, olga, "Spree Logistics")
		ana := newWorker(t, env, "ana@example.com", "Ana")
		shift := postShift(t, env, olga, emp, nil)
		app := apply(env, ana, shift)
		c := newChain(t, env, olga, ana, app)
		c.workAndApprove()
		ts := func(more map[string]any) map[string]any {
			in := map[string]any{"timesheetID": c.timesheet}
			for k, v := range more {
				in[k] = v
			}
			return input(in)
		}
		paidEvents := func() int {
			var r creditReport
			env.Must(olga.Token, creditQ, map[string]any{"id": emp}, &r)
			n := 0
			for _, f := range r.CreditReport.Factors {
				for _, e := range f.Events {
					if e.Kind == "WAGE_PAID_ON_TIME" || e.Kind == "WAGE_PAID_LATE" {
						n++
					}
				}
			}
			return n
		}
		for i := range 3 {
			env.MustOp(olga.Token, "MarkPaid", ts(map[string]any{"reference": fmt.Sprintf("SEPA-%d", i)}), &struct{}{})
			env.MustOp(ana.Token, "DisputeTimesheet", ts(map[string]any{"reason": "I stayed longer"}), &struct{}{})
			env.MustOp(olga.Token, "ApproveTimesheet", ts(map[string]any{"approvedMinutes": 420 + i, "reason": "checked the log"}), &struct{}{})
		}
		if n := paidEvents(); n != 0 {
			t.Fatalf("%d payment credits on the employer's word alone", n)
		}
		env.MustOp(olga.Token, "MarkPaid", ts(map[string]any{"reference": "SEPA-9"}), &struct{}{})
		var answer struct {
			ReportPaymentNotReceived struct {
				Timesheet struct{ PaymentStatus string }
			}
		}
		env.MustOp(ana.Token, "ReportPaymentNotReceived", ts(map[string]any{"note": "nothing arrived"}), &answer)
		if answer.ReportPaymentNotReceived.Timesheet.PaymentStatus != "NOT_RECEIVED" {
			t.Fatalf("after not received: %+v", answer)
		}
		env.MustOp(olga.Token, "MarkPaid", ts(map[string]any{"reference": "SEPA-10"}), &struct{}{})
		env.MustOp(ana.Token, "ConfirmPayment", ts(nil), &struct{}{})
		if n := paidEvents(); n != 1 {
			t.Fatalf("%d payment credits after the worker confirmed, want 1", n)
		}
		if r := env.Op(ana.Token, "DisputeTimesheet", ts(map[string]any{"reason": "more"})); r.Code() != "PAYMENT_FINAL" {
			t.Fatalf("disputing a confirmed payment: %+v", r.Errors)
		}
	})
}
