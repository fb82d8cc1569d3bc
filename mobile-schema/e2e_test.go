package mobileschema_test

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/rule"
	"flexwork/ledger"
	"flexwork/market/jurisdiction"
	mobileschema "flexwork/mobile-schema"
	"flexwork/money/stripefake"
	"flexwork/money/stripepay"
	"flexwork/server"
	"flexwork/server/servertest"
	"flexwork/storage"
	"flexwork/storage/storagetest"
)

// script runs the apps' operations by manifest id against a server that
// accepts nothing else, and remembers which ran.
type script struct {
	t      *testing.T
	env    *servertest.Env
	ran    map[string]bool
	stripe *stripefake.Server // pays out, takes payments and sends its webhooks
}

// stripeWebhookSecret signs the fake Stripe's webhooks to the server.
const stripeWebhookSecret = "whsec_flexwork_e2e"

// op runs an operation that must succeed and returns its data.
func (s *script) op(token, name string, vars map[string]any) data {
	s.t.Helper()
	r := s.env.Op(token, name, vars)
	if len(r.Errors) > 0 {
		s.t.Fatalf("%s: %+v", name, r.Errors)
	}
	s.ran[name] = true
	var d map[string]any
	if err := json.Unmarshal(r.Data, &d); err != nil {
		s.t.Fatalf("%s: %v", name, err)
	}
	return data{s.t, name, d}
}

// subscribe starts a subscription and waits until the server holds it.
func (s *script) subscribe(ws *servertest.WS, id, name string, vars map[string]any, total int) {
	s.t.Helper()
	ws.SubscribeOp(id, name, vars)
	s.env.WaitSubscribers(total)
	s.ran[name] = true
}

// next is the next event of a subscription.
func (s *script) next(ws *servertest.WS, id string) data {
	s.t.Helper()
	for {
		m := ws.Read(5 * time.Second)
		if m.ID != id {
			continue
		}
		var r struct {
			Data   map[string]any
			Errors []any
		}
		if err := json.Unmarshal(m.Payload, &r); err != nil || m.Type != "next" || len(r.Errors) > 0 {
			s.t.Fatalf("subscription %s: %s %s", id, m.Type, m.Payload)
		}
		return data{s.t, id, r.Data}
	}
}

// data is an operation's result, read by dotted paths ("edges.0.node.id").
type data struct {
	t    *testing.T
	name string
	v    any
}

func (d data) get(path string) any {
	d.t.Helper()
	v := d.v
	for _, k := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[k]
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i >= len(x) {
				d.t.Fatalf("%s: no %s in %v", d.name, path, d.v)
			}
			v = x[i]
		default:
			d.t.Fatalf("%s: no %s in %v", d.name, path, d.v)
		}
	}
	return v
}

func (d data) str(path string) string {
	d.t.Helper()
	s, ok := d.get(path).(string)
	if !ok {
		d.t.Fatalf("%s: %s is %v, not a string", d.name, path, d.get(path))
	}
	return s
}

func (d data) list(path string) []any {
	d.t.Helper()
	l, _ := d.get(path).([]any)
	return l
}

// TestEveryAppOperationRuns walks a shift from sign-up to paid, reviewed and
// disputed with the apps' own operations only — the server enforces trusted
// documents — and fails if any operation in the manifest was never run.
func TestEveryAppOperationRuns(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		stripe := stripefake.Start()
		defer stripe.Close()
		env := servertest.Start(t, db, servertest.WithEnv(map[string]string{"TRUSTED_DOCUMENTS": "enforce"}),
			servertest.WithDeps(func(d *server.Deps) {
				p := stripepay.New("sk_test_flexwork", stripe.URL, nil).WithWebhookSecret(stripeWebhookSecret)
				d.Payouts, d.Funding = p, p
			}))
		s := &script{t: t, env: env, ran: map[string]bool{}, stripe: stripe}
		walkTheMarketplace(t, s, db)

		m, err := mobileschema.Embedded()
		if err != nil {
			t.Fatal(err)
		}
		var missing []string
		for _, op := range m.Operations {
			if !s.ran[op.Name] {
				missing = append(missing, op.Name)
			}
		}
		sort.Strings(missing)
		if len(missing) > 0 {
			t.Fatalf("operations in the manifest no test runs: %s", strings.Join(missing, ", "))
		}
	})
}

// createEmployerAs founds an employer and returns its ID.
func createEmployerAs(s *script, token, name string) string {
	return s.op(token, "CreateEmployer", map[string]any{"input": map[string]any{"name": name}}).str("createEmployer.employer.id")
}

func walkTheMarketplace(t *testing.T, s *script, db *entdb.DB) {
	env := s.env
	berlin := map[string]any{"lat": 52.52, "lng": 13.405}
	tok := func(email, name string) (string, string) {
		s.op("", "SignUp", map[string]any{"input": map[string]any{"email": email, "password": "correct horse battery", "displayName": name}})
		d := s.op("", "VerifyEmail", map[string]any{"input": map[string]any{"email": email, "code": env.MailedCode(email)}})
		return d.str("verifyEmail.accessToken"), d.str("verifyEmail.user.id")
	}

	// --- Accounts -----------------------------------------------------------
	ana, _ := tok("ana@example.com", "Ana")
	ben, _ := tok("ben@example.com", "Ben")
	cai, _ := tok("cai@example.com", "Cai")
	dan, _ := tok("dan@example.com", "Dan")
	olga, _ := tok("olga@example.com", "Olga")
	mia, _ := tok("mia@example.com", "Mia")
	sam, samID := tok("sam@example.com", "Sam")
	db.User.UpdateOneID(samID).SetIsStaff(true).ExecX(rule.System(context.Background()))

	in := s.op("", "SignIn", map[string]any{"input": map[string]any{"email": "ana@example.com", "password": "correct horse battery"}})
	refreshed := s.op("", "RefreshSession", map[string]any{"input": map[string]any{"refreshToken": in.str("signIn.refreshToken")}})
	s.op(refreshed.str("refreshToken.accessToken"), "SignOut", map[string]any{"input": map[string]any{"refreshToken": refreshed.str("refreshToken.refreshToken")}})
	if me := s.op(ana, "Me", nil); me.str("viewer.displayName") != "Ana" {
		t.Fatalf("Me: %v", me.v)
	}
	if u := s.op(ana, "UpdateAccount", map[string]any{"input": map[string]any{"phone": "+8613812345678", "locale": "zh-CN"}}); u.str("updateAccount.user.locale") != "zh-CN" {
		t.Fatalf("UpdateAccount: %v", u.v)
	}
	// Ana forgets her password, resets it by mail, changes it, and signs out
	// everywhere; her access token lives on for its 15 minutes.
	s.op("", "RequestPasswordReset", map[string]any{"input": map[string]any{"email": "ana@example.com"}})
	reset := s.op("", "ResetPassword", map[string]any{"input": map[string]any{"email": "ana@example.com",
		"code": env.MailedCode("ana@example.com"), "newPassword": "violet harbour kettle 42"}})
	s.op(reset.str("resetPassword.accessToken"), "ChangePassword", map[string]any{"input": map[string]any{
		"currentPassword": "violet harbour kettle 42", "newPassword": "quiet copper lantern 17"}})
	// The change signed every other device out: one session is left, and
	// she signs it out from the list.
	sessions := s.op(ana, "MySessions", nil)
	if l := sessions.list("sessions"); len(l) != 1 {
		t.Fatalf("MySessions: %v", l)
	}
	if r := s.op(ana, "SignOutSession", map[string]any{"input": map[string]any{"sessionID": sessions.str("sessions.0.id")}}); r.get("signOutSession.revoked") != true {
		t.Fatalf("SignOutSession: %v", r.v)
	}
	s.op(ana, "SignOutEverywhere", nil)

	skills := map[string]string{}
	for _, e := range s.op(ana, "Skills", map[string]any{"first": 100}).list("skills.edges") {
		n := e.(map[string]any)["node"].(map[string]any)
		skills[n["slug"].(string)] = n["id"].(string)
	}
	picking, forklift := skills["order-picking"], skills["forklift"]
	workerIDs := map[string]string{}
	for who, token := range map[string]string{"ana": ana, "ben": ben, "cai": cai, "dan": dan} {
		d := s.op(token, "UpdateWorkerProfile", map[string]any{"input": map[string]any{"headline": "Picker", "homeLocation": berlin,
			"travelRadiusKm": 30, "skills": []any{map[string]any{"skillID": picking, "years": 2}, map[string]any{"skillID": forklift, "years": 1}}}})
		workerIDs[who] = d.str("updateWorkerProfile.workerProfile.id")
	}
	if p := s.op(ana, "MyProfile", nil); len(p.list("viewer.workerProfile.workerSkills")) != 2 {
		t.Fatalf("MyProfile: %v", p.v)
	}

	// --- The employer sets up -----------------------------------------------
	emp := s.op(olga, "CreateEmployer", map[string]any{"input": map[string]any{"name": "Spree Logistics", "location": berlin}}).str("createEmployer.employer.id")
	if u := s.op(olga, "UpdateEmployer", map[string]any{"input": map[string]any{"employerID": emp, "description": "Parcel hub by the river"}}); u.str("updateEmployer.employer.description") != "Parcel hub by the river" {
		t.Fatalf("UpdateEmployer: %v", u.v)
	}
	if e := s.op(olga, "MyEmployers", nil); e.str("viewer.memberships.0.employer.id") != emp {
		t.Fatalf("MyEmployers: %v", e.v)
	}
	s.op(olga, "AddEmployerMember", map[string]any{"input": map[string]any{"employerID": emp, "email": "mia@example.com", "role": "MANAGER"}})
	stale := s.op(olga, "AddEmployerMember", map[string]any{"input": map[string]any{"employerID": emp, "email": "nobody@example.com", "role": "VIEWER"}})
	s.op(olga, "RevokeEmployerInvitation", map[string]any{"input": map[string]any{"invitationID": stale.str("addEmployerMember.invitation.id")}})
	if l := s.op(olga, "EmployerInvitations", map[string]any{"employerID": emp, "first": 10}); len(l.list("node.invitations.edges")) != 2 {
		t.Fatalf("EmployerInvitations: %v", l.v)
	}
	invitations := s.op(mia, "MyInvitations", nil).list("viewer.employerInvitations")
	if len(invitations) != 1 {
		t.Fatalf("MyInvitations: %v", invitations)
	}
	s.op(mia, "AcceptEmployerInvitation", map[string]any{"input": map[string]any{"invitationID": invitations[0].(map[string]any)["id"]}})
	other := createEmployerAs(s, ana, "Ana's Café")
	declined := s.op(ana, "AddEmployerMember", map[string]any{"input": map[string]any{"employerID": other, "email": "mia@example.com", "role": "VIEWER"}})
	s.op(mia, "DeclineEmployerInvitation", map[string]any{"input": map[string]any{"invitationID": declined.str("addEmployerMember.invitation.id")}})
	members := s.op(olga, "EmployerMembers", map[string]any{"employerID": emp}).list("node.memberships")
	if len(members) != 2 {
		t.Fatalf("EmployerMembers: %v", members)
	}
	// Olga makes Mia an owner beside her; Mia then leaves. Ana has Dan
	// join her café, then removes him.
	for _, ms := range members {
		if m := ms.(map[string]any); m["role"] == "MANAGER" {
			s.op(olga, "ChangeMemberRole", map[string]any{"input": map[string]any{"membershipID": m["id"], "role": "OWNER"}})
		}
	}
	s.op(mia, "LeaveEmployer", map[string]any{"input": map[string]any{"employerID": emp}})
	dansInvitation := s.op(ana, "AddEmployerMember", map[string]any{"input": map[string]any{"employerID": other, "email": "dan@example.com", "role": "VIEWER"}})
	joined := s.op(dan, "AcceptEmployerInvitation", map[string]any{"input": map[string]any{"invitationID": dansInvitation.str("addEmployerMember.invitation.id")}})
	if r := s.op(ana, "RemoveMember", map[string]any{"input": map[string]any{"membershipID": joined.str("acceptEmployerInvitation.membership.id")}}); len(r.list("removeMember.employer.memberships")) != 1 {
		t.Fatalf("RemoveMember: %v", r.v)
	}
	s.op(olga, "SetRosterEntry", map[string]any{"input": map[string]any{"employerID": emp, "workerID": workerIDs["ben"], "kind": "FAVOURITE"}})
	if r := s.op(olga, "Roster", map[string]any{"employerID": emp, "first": 10}); len(r.list("node.roster.edges")) != 1 {
		t.Fatalf("Roster: %v", r.v)
	}

	// Ana's phone listens for new shifts near her.
	anaWS := env.ConnectWS(ana)
	s.subscribe(anaWS, "feed", "ShiftPublished", map[string]any{"near": berlin, "radiusKm": 20}, 1)

	start := env.Clock.Now().Add(2 * time.Hour).Truncate(time.Minute)
	draft := func(title string, slots int, start time.Time) map[string]any {
		return map[string]any{
			"employerID": emp, "title": title, "engagementType": "PART_TIME", "address": "Lagerstraße 1, Berlin",
			"location": berlin, "startsAt": start.Format(time.RFC3339), "endsAt": start.Add(8 * time.Hour).Format(time.RFC3339),
			"timeZone": "Europe/Berlin", "unpaidBreakMinutes": 30, "pay": map[string]any{"amount": 1500, "currency": "EUR"},
			"payUnit": "HOUR", "slots": slots, "requiredSkillIDs": []string{picking}}
	}
	shift := func(title string, slots int, start time.Time) string {
		d := s.op(olga, "CreateShift", map[string]any{"input": draft(title, slots, start)})
		id := d.str("createShift.shift.id")
		s.op(olga, "PublishShift", map[string]any{"input": map[string]any{"shiftID": id}})
		return id
	}
	main := shift("Warehouse picker", 4, start)
	if got := s.next(anaWS, "feed"); got.str("shiftPublished.id") != main {
		t.Fatalf("ShiftPublished: %v", got.v)
	}
	// The spare shift is the next day: Ben, hired for the main one, is
	// offered it too.
	spare := shift("Weekend picker", 1, start.Add(24*time.Hour))
	if u := s.op(olga, "UpdateShift", map[string]any{"input": map[string]any{"shiftID": spare, "title": "Saturday picker",
		"pay": map[string]any{"amount": 1650, "currency": "EUR"}}}); u.str("updateShift.shift.title") != "Saturday picker" {
		t.Fatalf("UpdateShift: %v", u.v)
	}
	cancelled := shift("Cancelled picker", 1, start)
	s.op(olga, "CancelShift", map[string]any{"input": map[string]any{"shiftID": cancelled, "reason": "the order fell through"}})
	again := s.op(olga, "DuplicateShift", map[string]any{"input": map[string]any{"shiftID": cancelled,
		"startsAt": start.AddDate(0, 0, 7).Format(time.RFC3339)}})
	if again.str("duplicateShift.shift.status") != "DRAFT" {
		t.Fatalf("DuplicateShift: %v", again.v)
	}
	if l := s.op(olga, "EmployerShifts", map[string]any{"employerID": emp, "first": 10}); len(l.list("node.shifts.edges")) != 4 {
		t.Fatalf("EmployerShifts: %v", l.v)
	}
	// What to pay for them: a rate, and steps that add up to it.
	price := s.op(olga, "PaySuggestion", map[string]any{"input": draft("Weekend picker", 2, start.AddDate(0, 0, 28))})
	if price.get("paySuggestion.hourlyRate.amount").(float64) <= 0 || len(price.list("paySuggestion.factors")) < 2 {
		t.Fatalf("PaySuggestion: %v", price.v)
	}
	// Next month's weekends as one series, and two stocktakes in one batch:
	// drafts, to publish when the plan is firm.
	weekends := s.op(olga, "CreateShiftSeries", map[string]any{"input": map[string]any{
		"shift": draft("Weekend picker", 2, start.AddDate(0, 0, 28)), "recurrence": "FREQ=WEEKLY;BYDAY=SA,SU;COUNT=4"}})
	if l := weekends.list("createShiftSeries.shifts"); len(l) != 4 || weekends.str("createShiftSeries.shifts.3.seriesID") == "" ||
		weekends.str("createShiftSeries.shifts.3.status") != "DRAFT" {
		t.Fatalf("CreateShiftSeries: %v", weekends.v)
	}
	// The last three weekends start an hour later.
	third := weekends.str("createShiftSeries.shifts.1.id")
	later, _ := time.Parse(time.RFC3339, weekends.str("createShiftSeries.shifts.1.startsAt"))
	moved := s.op(olga, "UpdateShiftSeries", map[string]any{"input": map[string]any{"shiftID": third,
		"startsAt": later.Add(time.Hour).Format(time.RFC3339), "endsAt": later.Add(9 * time.Hour).Format(time.RFC3339)}})
	if l := moved.list("updateShiftSeries.shifts"); len(l) != 3 {
		t.Fatalf("UpdateShiftSeries: %v", moved.v)
	}
	stocktakes := s.op(olga, "CreateShifts", map[string]any{"input": map[string]any{"shifts": []any{
		draft("Stocktake, hall A", 3, start.AddDate(0, 0, 30)), draft("Stocktake, hall B", 3, start.AddDate(0, 0, 30))}}})
	if l := stocktakes.list("createShifts.shifts"); len(l) != 2 {
		t.Fatalf("CreateShifts: %v", stocktakes.v)
	}
	// The cancelled picker's shift, kept as a template and posted on another day.
	tpl := s.op(olga, "SaveShiftTemplate", map[string]any{"input": map[string]any{"shiftID": cancelled, "name": "Picker, one"}})
	if tpl.str("saveShiftTemplate.template.title") != "Cancelled picker" {
		t.Fatalf("SaveShiftTemplate: %v", tpl.v)
	}
	tplID := tpl.str("saveShiftTemplate.template.id")
	if l := s.op(olga, "ShiftTemplates", map[string]any{"employerID": emp, "first": 10}); l.str("node.shiftTemplates.edges.0.node.id") != tplID {
		t.Fatalf("ShiftTemplates: %v", l.v)
	}
	if p := s.op(olga, "PostFromTemplate", map[string]any{"input": map[string]any{"templateID": tplID,
		"date": start.AddDate(0, 0, 35).Format(time.DateOnly), "slots": 2}}); p.str("postFromTemplate.shift.status") != "DRAFT" {
		t.Fatalf("PostFromTemplate: %v", p.v)
	}
	if d := s.op(olga, "DeleteShiftTemplate", map[string]any{"input": map[string]any{"templateID": tplID}}); d.str("deleteShiftTemplate.removedTemplateID") != tplID {
		t.Fatalf("DeleteShiftTemplate: %v", d.v)
	}

	// --- Workers find and apply; the employer watches live --------------------
	olgaWS := env.ConnectWS(olga)
	s.subscribe(olgaWS, "applicants", "ApplicantEvents", map[string]any{"shiftID": main}, 2)
	feed := s.op(ana, "ShiftFeed", map[string]any{"near": berlin, "radiusKm": 10, "first": 20})
	if len(feed.list("shiftFeed.edges")) != 2 || feed.get("shiftFeed.edges.0.eligibility.eligible") != true {
		t.Fatalf("ShiftFeed: %v", feed.v)
	}
	if d := s.op(ana, "ShiftDetail", map[string]any{"id": main}); d.get("eligibility.eligible") != true {
		t.Fatalf("ShiftDetail: %v", d.v)
	}
	anaApp := s.op(ana, "ApplyToShift", map[string]any{"input": map[string]any{"shiftID": main}}).str("applyToShift.application.id")
	if ev := s.next(olgaWS, "applicants"); ev.str("applicationEvents.application.id") != anaApp {
		t.Fatalf("ApplicantEvents: %v", ev.v)
	}
	caiApp := s.op(cai, "ApplyToShift", map[string]any{"input": map[string]any{"shiftID": main}}).str("applyToShift.application.id")
	danApp := s.op(dan, "ApplyToShift", map[string]any{"input": map[string]any{"shiftID": main}}).str("applyToShift.application.id")
	spareApp := s.op(ana, "ApplyToShift", map[string]any{"input": map[string]any{"shiftID": spare}}).str("applyToShift.application.id")
	s.op(ana, "WithdrawApplication", map[string]any{"input": map[string]any{"applicationID": spareApp}})
	if a := s.op(ana, "MyApplications", map[string]any{"first": 10}); len(a.list("viewer.workerProfile.applications.edges")) != 2 {
		t.Fatalf("MyApplications: %v", a.v)
	}
	benSpare := s.op(ben, "ApplyToShift", map[string]any{"input": map[string]any{"shiftID": spare}}).str("applyToShift.application.id")
	caiSpare := s.op(cai, "ApplyToShift", map[string]any{"input": map[string]any{"shiftID": spare}}).str("applyToShift.application.id")

	// --- The employer chooses ------------------------------------------------
	if c := s.op(olga, "Candidates", map[string]any{"shiftID": main, "first": 50}); len(c.list("candidates.edges")) != 3 {
		t.Fatalf("Candidates: %v", c.v)
	}
	if w := s.op(olga, "WorkerCard", map[string]any{"workerID": workerIDs["ana"]}); w.str("node.user.displayName") != "Ana" {
		t.Fatalf("WorkerCard: %v", w.v)
	}
	s.op(olga, "ShortlistApplication", map[string]any{"input": map[string]any{"applicationID": anaApp}})
	s.op(olga, "RejectApplication", map[string]any{"input": map[string]any{"applicationID": caiSpare, "reason": "we need someone with a forklift licence"}})

	s.subscribe(anaWS, "offers", "OfferEvents", nil, 3)
	offer := s.op(olga, "SendOffer", map[string]any{"input": map[string]any{"applicationID": anaApp}}).str("sendOffer.offer.id")
	if ev := s.next(anaWS, "offers"); ev.str("offerEvents.offer.id") != offer {
		t.Fatalf("OfferEvents: %v", ev.v)
	}
	if o := s.op(ana, "MyOffers", map[string]any{"first": 10}); o.str("viewer.workerProfile.offers.edges.0.node.id") != offer {
		t.Fatalf("MyOffers: %v", o.v)
	}
	hire := s.op(ana, "AcceptOffer", map[string]any{"input": map[string]any{"offerID": offer}})
	anaAssignment, contract := hire.str("acceptOffer.assignment.id"), hire.str("acceptOffer.contract.id")
	if c := s.op(ana, "ContractDetail", map[string]any{"id": contract}); c.str("node.sha256") == "" {
		t.Fatalf("ContractDetail: %v", c.v)
	}
	s.op(ana, "SignContract", map[string]any{"input": map[string]any{"contractID": contract}})
	s.op(olga, "SignContract", map[string]any{"input": map[string]any{"contractID": contract}})
	// The signatures go on the log under a checkpoint; Ana keeps her
	// receipt, which verifies against the log's public key alone.
	first := s.op(ana, "LedgerCheckpoint", nil)
	if _, err := env.Server.Market.Checkpoint(context.Background()); err != nil {
		t.Fatal(err)
	}
	cp := s.op(ana, "LedgerCheckpoint", nil)
	receipt := s.op(ana, "ContractReceipt", map[string]any{"id": contract})
	var kept ledger.Receipt
	if err := json.Unmarshal([]byte(receipt.str("node.receipt.json")), &kept); err != nil {
		t.Fatalf("ContractReceipt: %v", err)
	}
	logKey, err := note.NewVerifier(cp.str("ledgerCheckpoint.publicKey"))
	if err != nil {
		t.Fatal(err)
	}
	if c, err := kept.Verify(logKey); err != nil || !strings.Contains(kept.Payload, receipt.str("node.sha256")) || kept.Leaf.Kind != "CONTRACT_SIGNED" {
		t.Fatalf("Ana's receipt: %v (checkpoint %+v, payload %s)", err, c, kept.Payload)
	}
	to := int(cp.get("ledgerCheckpoint.size").(float64))
	from := to
	if first.get("ledgerCheckpoint") != nil {
		from = int(first.get("ledgerCheckpoint.size").(float64))
	}
	s.op(ana, "LedgerConsistency", map[string]any{"from": from, "to": to})

	direct := s.op(olga, "SendOffer", map[string]any{"input": map[string]any{"shiftID": main, "workerID": workerIDs["ben"]}}).str("sendOffer.offer.id")
	s.op(olga, "RevokeOffer", map[string]any{"input": map[string]any{"offerID": direct}})
	sendOffer := func(in map[string]any) string {
		return s.op(olga, "SendOffer", map[string]any{"input": in}).str("sendOffer.offer.id")
	}
	accept := func(who, offer string) data {
		return s.op(who, "AcceptOffer", map[string]any{"input": map[string]any{"offerID": offer}})
	}
	benHire := accept(ben, sendOffer(map[string]any{"shiftID": main, "workerID": workerIDs["ben"]})).str("acceptOffer.assignment.id")
	caiHire := accept(cai, sendOffer(map[string]any{"applicationID": caiApp})).str("acceptOffer.assignment.id")
	danAccepted := accept(dan, sendOffer(map[string]any{"applicationID": danApp}))
	danHire := danAccepted.str("acceptOffer.assignment.id")
	for _, who := range []string{dan, olga} {
		s.op(who, "SignContract", map[string]any{"input": map[string]any{"contractID": danAccepted.str("acceptOffer.contract.id")}})
	}
	// A one-slot night shift fills at once; Dan, free that night, waits on
	// standby for it.
	night := shift("Night picker", 1, start.Add(36*time.Hour))
	benNight := accept(ben, sendOffer(map[string]any{"shiftID": night, "workerID": workerIDs["ben"]})).str("acceptOffer.assignment.id")
	if j := s.op(dan, "JoinStandby", map[string]any{"input": map[string]any{"shiftID": night}}); j.str("joinStandby.application.status") != "STANDBY" {
		t.Fatalf("JoinStandby: %v", j.v)
	}
	// Olga cancels Ben's night hire: the slot goes to Dan on standby, and
	// Olga, who sees the backfill (Dan does not), stops it there.
	s.op(olga, "CancelAssignment", map[string]any{"input": map[string]any{"assignmentID": benNight, "reason": "the night run was cancelled"}})
	if b := s.op(olga, "ShiftBackfill", map[string]any{"shiftID": night}); b.str("node.backfill.step") != "STANDBY" || b.get("node.backfill.pendingOffers") != 1.0 {
		t.Fatalf("ShiftBackfill: %v", b.v)
	}
	if b := s.op(dan, "ShiftBackfill", map[string]any{"shiftID": night}); b.get("node.backfill") != nil || b.str("node.id") != night {
		t.Fatalf("ShiftBackfill read by a worker: %v", b.v)
	}
	if b := s.op(olga, "StopBackfill", map[string]any{"input": map[string]any{"shiftID": night}}); b.str("stopBackfill.shift.backfill.step") != "STOPPED" {
		t.Fatalf("StopBackfill: %v", b.v)
	}
	// The night slot is still open: Olga raises its pay for whoever takes
	// it, and lets the platform go further as the night nears.
	eur := func(cents int) map[string]any { return map[string]any{"amount": cents, "currency": "EUR"} }
	if b := s.op(olga, "BoostShift", map[string]any{"input": map[string]any{"shiftID": night, "amount": eur(200)}}); b.get("boostShift.shift.boost.amount") != 200.0 {
		t.Fatalf("BoostShift: %v", b.v)
	}
	if b := s.op(olga, "PreauthoriseBoost", map[string]any{"input": map[string]any{"shiftID": night, "amount": eur(500)}}); b.get("preauthoriseBoost.shift.boostCap.amount") != 500.0 {
		t.Fatalf("PreauthoriseBoost: %v", b.v)
	}
	s.op(ben, "DeclineOffer", map[string]any{"input": map[string]any{"offerID": sendOffer(map[string]any{"applicationID": benSpare})}})
	s.op(olga, "RemoveRosterEntry", map[string]any{"input": map[string]any{"employerID": emp, "workerID": workerIDs["ben"]}})
	s.op(olga, "CancelAssignment", map[string]any{"input": map[string]any{"assignmentID": caiHire, "reason": "the order shrank"}})
	if o := s.op(olga, "ShiftOffers", map[string]any{"shiftID": main, "first": 10}); len(o.list("node.offers.edges")) != 5 {
		t.Fatalf("ShiftOffers: %v", o.v)
	}
	// Berlin asks no cover; Olga insures Ana's shift against accidents anyway.
	if c := s.op(olga, "RecordInsuranceCover", map[string]any{"input": map[string]any{"assignmentID": anaAssignment, "kind": "ACCIDENT",
		"insurer": "Allianz", "policyNumber": "UV-2026-17", "coversFrom": start.Add(-time.Hour).Format(time.RFC3339),
		"coversTo": start.Add(24 * time.Hour).Format(time.RFC3339), "premium": eur(90)}}); c.str("recordInsuranceCover.assignment.cover.policyNumber") != "UV-2026-17" ||
		c.get("recordInsuranceCover.assignment.coverRequired") != nil {
		t.Fatalf("RecordInsuranceCover: %v", c.v)
	}
	if m := s.op(ana, "MyShifts", map[string]any{"first": 10}); m.str("viewer.workerProfile.assignments.edges.0.node.id") != anaAssignment ||
		m.str("viewer.workerProfile.assignments.edges.0.node.cover.insurer") != "Allianz" {
		t.Fatalf("MyShifts: %v", m.v)
	}

	// --- The shift is worked ---------------------------------------------------
	s.subscribe(olgaWS, "presence", "CheckInEvents", map[string]any{"shiftID": main}, 4)
	env.Clock.Advance(start.Sub(env.Clock.Now()))
	presence := func(who, assignment string) map[string]any {
		return map[string]any{"input": map[string]any{"assignmentID": assignment, "location": berlin}}
	}
	s.op(ana, "CheckIn", presence("ana", anaAssignment))
	if ev := s.next(olgaWS, "presence"); ev.str("assignmentEvents.assignment.id") != anaAssignment {
		t.Fatalf("CheckInEvents: %v", ev.v)
	}
	s.op(dan, "CheckIn", presence("dan", danHire))
	env.Clock.Advance(45 * time.Minute)
	s.op(olga, "MarkNoShow", map[string]any{"input": map[string]any{"assignmentID": benHire}})
	env.Clock.Advance(start.Add(8 * time.Hour).Sub(env.Clock.Now()))
	anaSheet := s.op(ana, "CheckOut", presence("ana", anaAssignment)).str("checkOut.timesheet.id")
	if h := s.op(olga, "ShiftHires", map[string]any{"shiftID": main, "first": 10}); len(h.list("node.assignments.edges")) != 4 {
		t.Fatalf("ShiftHires: %v", h.v)
	}
	s.op(ana, "ProposeTimesheetCorrection", map[string]any{"input": map[string]any{"timesheetID": anaSheet, "minutes": 460,
		"note": "I stayed ten minutes to help close up"}})
	s.op(olga, "ApproveTimesheet", map[string]any{"input": map[string]any{"timesheetID": anaSheet}})
	// Dan forgets to check out; once check-out has closed he says when he
	// left, and Olga records a shorter time.
	env.Clock.Advance(5 * time.Hour)
	claim := s.op(dan, "ClaimTime", map[string]any{"input": map[string]any{"assignmentID": danHire,
		"checkedOutAt": start.Add(7 * time.Hour).Format(time.RFC3339), "note": "my phone died"}})
	if claim.str("claimTime.timesheet.source") != "CLOSED_AFTER_SHIFT" || claim.str("claimTime.timesheet.claimNote") != "my phone died" {
		t.Fatalf("ClaimTime: %v", claim.v)
	}
	danSheet := claim.str("claimTime.timesheet.id")
	recorded := s.op(olga, "RecordTime", map[string]any{"input": map[string]any{"assignmentID": danHire,
		"checkedInAt": start.Format(time.RFC3339), "checkedOutAt": start.Add(5*time.Hour + 30*time.Minute).Format(time.RFC3339),
		"reason": "left early"}})
	if ts := recorded.str("recordTime.timesheet.status"); ts != "APPROVED" {
		t.Fatalf("RecordTime: %v", recorded.v)
	}
	s.op(dan, "DisputeTimesheet", map[string]any{"input": map[string]any{"timesheetID": danSheet, "reason": "I stayed until the end"}})
	s.op(olga, "ApproveTimesheet", map[string]any{"input": map[string]any{"timesheetID": danSheet}})
	// They cannot settle it: Dan takes it to staff, and Sam decides.
	s.op(dan, "EscalateTimesheetDispute", map[string]any{"input": map[string]any{"timesheetID": danSheet,
		"statement": "The gate log shows me leaving at seven hours."}})
	if q := s.op(sam, "EscalatedTimesheets", map[string]any{"first": 10}); q.str("escalatedTimesheets.edges.0.node.id") != danSheet {
		t.Fatalf("EscalatedTimesheets: %v", q.v)
	}
	if d := s.op(sam, "DecideTimesheetDispute", map[string]any{"input": map[string]any{"timesheetID": danSheet, "approvedMinutes": 390,
		"note": "The gate log shows seven hours, less the break."}}); d.str("decideTimesheetDispute.timesheet.status") != "RESOLVED" {
		t.Fatalf("DecideTimesheetDispute: %v", d.v)
	}
	s.op(olga, "MarkPaid", map[string]any{"input": map[string]any{"timesheetID": danSheet, "reference": "SEPA-2292"}})
	if r := s.op(dan, "ReportPaymentNotReceived", map[string]any{"input": map[string]any{"timesheetID": danSheet, "note": "nothing arrived"}}); r.str("reportPaymentNotReceived.timesheet.paymentStatus") != "NOT_RECEIVED" {
		t.Fatalf("ReportPaymentNotReceived: %v", r.v)
	}
	s.op(olga, "MarkPaid", map[string]any{"input": map[string]any{"timesheetID": anaSheet, "reference": "SEPA-2291"}})
	s.op(ana, "ConfirmPayment", map[string]any{"input": map[string]any{"timesheetID": anaSheet}})
	if ts := s.op(ana, "TimesheetDetail", map[string]any{"id": anaSheet}); ts.str("node.paymentStatus") != "CONFIRMED" {
		t.Fatalf("TimesheetDetail: %v", ts.v)
	}
	// Every step of Ana's hire and pay is on the log: she and Olga each
	// hold the proofs, which verify with the log's key alone.
	if _, err := env.Server.Market.Checkpoint(context.Background()); err != nil {
		t.Fatal(err)
	}
	receiptKinds := func(d data, path string) string {
		var kinds []string
		for _, j := range d.list(path) {
			var r ledger.Receipt
			if err := json.Unmarshal([]byte(j.(map[string]any)["json"].(string)), &r); err != nil {
				t.Fatalf("%s: %v", d.name, err)
			}
			if _, err := r.Verify(logKey); err != nil {
				t.Fatalf("%s: a receipt of %s does not verify: %v", d.name, r.Leaf.Kind, err)
			}
			kinds = append(kinds, r.Leaf.Kind)
		}
		return strings.Join(kinds, " ")
	}
	if k := receiptKinds(s.op(ana, "AssignmentReceipts", map[string]any{"id": anaAssignment}), "node.receipts"); k != "HIRE CHECK_IN CHECK_OUT" {
		t.Fatalf("AssignmentReceipts: %s", k)
	}
	if k := receiptKinds(s.op(olga, "TimesheetReceipts", map[string]any{"id": anaSheet}), "node.receipts"); k !=
		"TIMESHEET_CORRECTION_PROPOSED TIMESHEET_APPROVED PAYMENT_MARKED PAYMENT_CONFIRMED" {
		t.Fatalf("TimesheetReceipts: %s", k)
	}

	// Olga looks back at what she asked for, by weekday and hour: the main
	// shift counts its no-show.
	if d := s.op(olga, "Demand", map[string]any{"employerID": emp, "weeks": 4}); len(d.list("demand.buckets")) == 0 ||
		d.get("demand.buckets.0.noShows").(float64) != 1 {
		t.Fatalf("Demand: %v", d.v)
	}

	// --- Reviews -----------------------------------------------------------------
	tags := s.op(ana, "ReviewTags", map[string]any{"direction": "WORKER_TO_EMPLOYER"}).list("reviewTags")
	anaReview := s.op(ana, "SubmitReview", map[string]any{"input": map[string]any{"assignmentID": anaAssignment, "rating": 5,
		"tags": []any{tags[0]}, "comment": "Well organised"}}).str("submitReview.review.id")
	olgaReview := s.op(olga, "SubmitReview", map[string]any{"input": map[string]any{"assignmentID": anaAssignment, "rating": 4,
		"comment": "Reliable"}}).str("submitReview.review.id")
	if r := s.op(ana, "MyReviews", map[string]any{"first": 10}); r.str("viewer.workerProfile.reviews.edges.0.node.id") != olgaReview {
		t.Fatalf("MyReviews: %v", r.v)
	}
	if r := s.op(olga, "EmployerReviews", map[string]any{"employerID": emp, "first": 10}); r.str("node.reviews.edges.0.node.id") != anaReview {
		t.Fatalf("EmployerReviews: %v", r.v)
	}
	s.op(ana, "ReplyToReview", map[string]any{"input": map[string]any{"reviewID": olgaReview, "reply": "Thank you!"}})
	s.op(olga, "ReportReview", map[string]any{"input": map[string]any{"reviewID": anaReview, "reason": "names a colleague"}})
	reports := s.op(sam, "ReportedReviews", map[string]any{"first": 10}).list("reviewReports.edges")
	if len(reports) != 1 {
		t.Fatalf("ReportedReviews: %v", reports)
	}
	reported := reports[0].(map[string]any)["node"].(map[string]any)["id"]
	if d := s.op(sam, "DecideReviewReport", map[string]any{"input": map[string]any{"reportID": reported, "decision": "DISMISS",
		"note": "a first name is not personal data here"}}); d.str("decideReviewReport.report.status") != "DISMISSED" {
		t.Fatalf("DecideReviewReport: %v", d.v)
	}
	s.op(sam, "HideReview", map[string]any{"input": map[string]any{"reviewID": anaReview, "reason": "names a colleague"}})

	// --- Credit ---------------------------------------------------------------------
	report := s.op(ben, "CreditReport", map[string]any{"subjectID": workerIDs["ben"]})
	noShow := report.str("creditReport.factors.0.events.0.id")
	s.op(ben, "DisputeCreditEvent", map[string]any{"input": map[string]any{"eventID": noShow, "reason": "I was ill and called ahead"}})
	if d := s.op(ben, "MyCreditDisputes", map[string]any{"first": 10}); len(d.list("creditDisputes.edges")) != 1 {
		t.Fatalf("MyCreditDisputes: %v", d.v)
	}
	// Olga, who marked the no-show, sees the dispute and gives her side.
	theirs := s.op(olga, "MyCreditDisputes", map[string]any{"first": 10}).str("creditDisputes.edges.0.node.id")
	s.op(olga, "AnswerCreditDispute", map[string]any{"input": map[string]any{"disputeID": theirs,
		"response": "Ben did not call; the site lead waited an hour."}})
	queue := s.op(sam, "OpenCreditDisputes", map[string]any{"first": 10})
	if queue.str("creditDisputes.edges.0.node.response") == "" {
		t.Fatalf("staff do not see the other side: %v", queue.v)
	}
	open := queue.str("creditDisputes.edges.0.node.id")
	s.op(sam, "ResolveCreditDispute", map[string]any{"input": map[string]any{"disputeID": open, "decision": "REVERSE", "note": "sick note provided"}})

	// --- Certificates -----------------------------------------------------------------
	pdf := []byte("%PDF-1.7\nforklift licence\n")
	up := s.op(ana, "StartCertificationUpload", map[string]any{"input": map[string]any{"skillID": forklift, "title": "Forklift licence",
		"fileName": "licence.pdf", "contentType": "application/pdf", "byteSize": len(pdf)}})
	form := &storage.Upload{URL: up.str("startCertificationUpload.url"), Fields: map[string]string{}}
	for _, f := range up.list("startCertificationUpload.fields") {
		field := f.(map[string]any)
		form.Fields[field["name"].(string)] = field["value"].(string)
	}
	if status := storagetest.PostForm(t, form, "licence.pdf", pdf); status/100 != 2 {
		t.Fatalf("upload: HTTP %d", status)
	}
	cert := s.op(ana, "CompleteCertificationUpload", map[string]any{"input": map[string]any{"certificationID": up.str("startCertificationUpload.certification.id")}}).str("completeCertificationUpload.certification.id")
	if q := s.op(sam, "CertificationQueue", map[string]any{"first": 10}); q.str("certificationQueue.edges.0.node.id") != cert {
		t.Fatalf("CertificationQueue: %v", q.v)
	}
	s.op(sam, "ReviewCertification", map[string]any{"input": map[string]any{"certificationID": cert, "decision": "VERIFY"}})
	if c := s.op(ana, "MyCertifications", map[string]any{"first": 10}); c.str("viewer.workerProfile.certifications.edges.0.node.status") != "VERIFIED" {
		t.Fatalf("MyCertifications: %v", c.v)
	}
	s.op(sam, "RevokeCertification", map[string]any{"input": map[string]any{"certificationID": cert, "reason": "the issuer withdrew it"}})
	if a := s.op(sam, "AuditLog", map[string]any{"first": 20, "subjectID": cert}); a.str("auditLog.edges.0.node.action") != "CERTIFICATION_REVOKED" ||
		len(a.list("auditLog.edges")) < 3 { // revoked, verified, and the document handed out for review
		t.Fatalf("AuditLog: %v", a.v)
	}

	// --- Money ---------------------------------------------------------------------------
	// Sam matches Spree's bank transfer; Olga sees the funds.
	if f := s.op(sam, "ConfirmFunding", map[string]any{"input": map[string]any{"employerID": emp,
		"amount": map[string]any{"amount": 500000, "currency": "EUR"}, "reference": "SEPA SPREE 0001"}}); f.get("confirmFunding.employer.funds.0.amount") != 500000.0 {
		t.Fatalf("ConfirmFunding: %v", f.v)
	}
	// Olga adds 100.00 by card: Stripe's webhook credits it.
	pay := s.op(olga, "StartFunding", map[string]any{"input": map[string]any{"employerID": emp, "amount": map[string]any{"amount": 10000, "currency": "EUR"}}})
	if code, err := s.stripe.Pay(pay.str("startFunding.payment.paymentID"), env.HTTP.URL+"/webhooks/funding", stripeWebhookSecret); err != nil || code != http.StatusNoContent {
		t.Fatalf("StartFunding, then Stripe's webhook: %v %d %v", pay.v, code, err)
	}
	// Sam puts Spree on prefunded terms: its next hires hold their wages
	// in escrow. Nothing is held yet, and Ana's balance is empty: her
	// wages so far were paid the old way, by Spree on credit terms.
	if f := s.op(sam, "SetFundingTerms", map[string]any{"input": map[string]any{"employerID": emp, "terms": "PREFUNDED"}}); f.str("setFundingTerms.employer.fundingTerms") != "PREFUNDED" {
		t.Fatalf("SetFundingTerms: %v", f.v)
	}
	if f := s.op(olga, "EmployerFunds", map[string]any{"employerID": emp}); f.get("node.funds.0.amount") != 510000.0 ||
		f.str("node.fundingTerms") != "PREFUNDED" || len(f.list("node.reserved")) != 0 {
		t.Fatalf("EmployerFunds: %v", f.v)
	}
	if e := s.op(ana, "MyEarnings", nil); e.get("viewer.workerProfile.earnings") == nil || len(e.list("viewer.workerProfile.earnings.balance")) != 0 {
		t.Fatalf("MyEarnings: %v", e.v)
	}

	// --- Real names and licences ----------------------------------------------------------
	// No identity service here: Ana's real name waits for Sam, who
	// verifies it; she reads her number whole, Sam masked. Sam verifies
	// Spree's business licence the same way.
	anaNumber := jurisdiction.ResidentID(time.Date(1996, 4, 12, 0, 0, 0, 0, time.UTC), 7)
	if rn := s.op(ana, "SubmitRealName", map[string]any{"input": map[string]any{"legalName": "Ana Lima", "idNumber": anaNumber}}); rn.str("submitRealName.realName.status") != "PENDING" {
		t.Fatalf("SubmitRealName: %v", rn.v)
	}
	pending := s.op(sam, "PendingRealNames", nil)
	if pending.str("pendingRealNames.0.idNumberMasked") != jurisdiction.MaskID(anaNumber) {
		t.Fatalf("PendingRealNames: %v", pending.v)
	}
	if d := s.op(sam, "DecideRealName", map[string]any{"input": map[string]any{"userID": pending.str("pendingRealNames.0.userID"), "verified": true}}); d.str("decideRealName.realName.status") != "VERIFIED" {
		t.Fatalf("DecideRealName: %v", d.v)
	}
	if me := s.op(ana, "MyRealName", nil); me.str("viewer.realName.idNumber") != anaNumber || me.str("viewer.realName.status") != "VERIFIED" {
		t.Fatalf("MyRealName: %v", me.v)
	}
	if l := s.op(olga, "SubmitBusinessLicence", map[string]any{"input": map[string]any{"employerID": emp, "creditCode": jurisdiction.CreditCode(1)}}); l.str("submitBusinessLicence.employer.licenceStatus") != "PENDING" {
		t.Fatalf("SubmitBusinessLicence: %v", l.v)
	}
	if l := s.op(sam, "DecideBusinessLicence", map[string]any{"input": map[string]any{"employerID": emp, "verified": true}}); l.str("decideBusinessLicence.employer.licenceStatus") != "VERIFIED" {
		t.Fatalf("DecideBusinessLicence: %v", l.v)
	}

	// --- Oversight --------------------------------------------------------------------------
	// Sam appoints Uta, of the labour inspectorate, an auditor: she issues
	// the month's rights report, every organisation's figures as CSV whose
	// digest is on the ledger, and reads it back.
	uta, utaID := tok("uta@example.com", "Uta")
	if a := s.op(sam, "AppointAuditor", map[string]any{"input": map[string]any{"userID": utaID, "body": "Landesamt für Arbeitsschutz"}}); a.str("appointAuditor.user.id") != utaID {
		t.Fatalf("AppointAuditor: %v", a.v)
	}
	month := map[string]any{"from": env.Clock.Now().AddDate(0, -1, 0).Format(time.RFC3339), "to": env.Clock.Now().AddDate(0, 0, 7).Format(time.RFC3339)}
	rights := s.op(uta, "IssueRightsReport", map[string]any{"input": month})
	if csv := rights.str("issueRightsReport.csv"); !strings.HasPrefix(csv, "scope,organisation_id") || !strings.Contains(csv, "Spree Logistics") ||
		len(rights.str("issueRightsReport.sha256")) != 64 {
		t.Fatalf("IssueRightsReport: %v", rights.v)
	}
	if r := s.op(uta, "RightsReports", nil); r.str("rightsReports.0.id") != rights.str("issueRightsReport.id") {
		t.Fatalf("RightsReports: %v", r.v)
	}

	// --- Training and safety ---------------------------------------------------------------
	// Olga gives Spree's site-rules course; Ana passes its quiz, and
	// acknowledges her shift's safety briefing.
	course := s.op(olga, "CreateCourse", map[string]any{"input": map[string]any{"employerID": emp, "kind": "SAFETY", "title": "Spree site rules",
		"content": "Forklifts have right of way.", "passMark": 100, "validityDays": 365,
		"questions": []any{map[string]any{"prompt": "Who has right of way?", "options": []string{"forklifts", "walkers"}, "answer": 0}}}})
	if course.str("createCourse.questions.0.prompt") != "Who has right of way?" || course.get("createCourse.questions.0.answer") != nil {
		t.Fatalf("CreateCourse: %v", course.v)
	}
	if c := s.op(ana, "TakeCourse", map[string]any{"input": map[string]any{"courseID": course.str("createCourse.id"), "answers": []int{0}}}); c.get("takeCourse.passed") != true {
		t.Fatalf("TakeCourse: %v", c.v)
	}
	if c := s.op(ana, "MyCourses", nil); c.str("viewer.workerProfile.courseCompletions.0.course.title") != "Spree site rules" {
		t.Fatalf("MyCourses: %v", c.v)
	}
	if b := s.op(ana, "AcknowledgeSafetyBriefing", map[string]any{"input": map[string]any{"assignmentID": anaAssignment}}); b.str("acknowledgeSafetyBriefing.assignment.briefingAcknowledgedAt") == "" {
		t.Fatalf("AcknowledgeSafetyBriefing: %v", b.v)
	}

	// --- Inbox, settings, devices --------------------------------------------------------
	inbox := s.op(ana, "Inbox", map[string]any{"first": 50})
	if len(inbox.list("notifications.edges")) == 0 || inbox.get("unreadNotificationCount").(float64) == 0 {
		t.Fatalf("Inbox: %v", inbox.v)
	}
	s.op(ana, "MarkNotificationsRead", map[string]any{"input": map[string]any{"all": true}})
	if inbox := s.op(ana, "Inbox", map[string]any{"first": 1, "unreadOnly": true}); inbox.get("unreadNotificationCount").(float64) != 0 {
		t.Fatalf("Inbox after reading all: %v", inbox.v)
	}
	s.op(ana, "UpdateNotificationSettings", map[string]any{"input": map[string]any{"timeZone": "Europe/Berlin",
		"quietHours": map[string]any{"start": "22:00", "end": "07:00"}, "optOuts": []string{"SHIFT_PUBLISHED"}}})
	if n := s.op(ana, "NotificationSettings", nil); n.str("viewer.notificationSettings.quietHours.start") != "22:00" {
		t.Fatalf("NotificationSettings: %v", n.v)
	}
	s.op(ana, "RegisterDevice", map[string]any{"input": map[string]any{"token": "fcm-token-ana-0123456789", "platform": "ANDROID", "appVersion": "1.0.0"}})
	s.op(ana, "UnregisterDevice", map[string]any{"input": map[string]any{"token": "fcm-token-ana-0123456789"}})

	// --- When she can work -------------------------------------------------------------
	// Ana is away for a month: every shift in her feed says so, in her language.
	now := env.Clock.Now()
	away := map[string]any{"weekly": []any{map[string]any{"day": "SATURDAY", "from": "08:00", "to": "18:00"}},
		"exceptions": []any{map[string]any{"from": now.Format(time.RFC3339), "to": now.Add(30 * 24 * time.Hour).Format(time.RFC3339), "available": false}}}
	if a := s.op(ana, "UpdateAvailability", map[string]any{"input": map[string]any{"availability": away}}); a.str("updateWorkerProfile.workerProfile.availability.weekly.0.day") != "SATURDAY" {
		t.Fatalf("UpdateAvailability: %v", a.v)
	}
	fits := s.op(ana, "ShiftFeedThatFits", map[string]any{"near": berlin, "radiusKm": 10, "first": 20})
	if len(fits.list("shiftFeed.edges")) == 0 {
		t.Fatalf("ShiftFeedThatFits: no shifts: %v", fits.v)
	}
	for i := range fits.list("shiftFeed.edges") {
		at := "shiftFeed.edges." + strconv.Itoa(i) + ".fit.0."
		if fits.str(at+"preference") != "AVAILABILITY" || fits.get(at+"fits") != false || fits.str(at+"detail") != "您表示那时不在" { // Ana reads Chinese
			t.Fatalf("ShiftFeedThatFits: %v", fits.v)
		}
	}

	// --- Her data ---------------------------------------------------------------------
	// Mia, who left the employer, takes a copy of her data and leaves.
	if d := s.op(mia, "MyData", nil); !strings.Contains(d.str("myData.json"), "mia@example.com") {
		t.Fatalf("MyData: %v", d.v)
	}
	if d := s.op(mia, "DeleteMyAccount", map[string]any{"input": map[string]any{"password": "correct horse battery"}}); d.get("deleteMyAccount.deleted") != true {
		t.Fatalf("DeleteMyAccount: %v", d.v)
	}

	// --- The guarantee (last: the clock moves a week) -----------------------------------
	// Dan's wage, decided by staff, never arrived; on its deadline the
	// guarantee fund pays it (390 minutes at 15.00: 97.50) into his balance,
	// and he takes it out.
	env.Clock.Advance(8 * 24 * time.Hour)
	if _, err := env.Server.Market.FlagOverduePayments(context.Background()); err != nil {
		t.Fatal(err)
	}
	if e := s.op(dan, "MyEarnings", map[string]any{"by": "WEEK", "last": 2}); e.get("viewer.workerProfile.earnings.balance.0.amount") != 9750.0 ||
		e.get("viewer.workerProfile.earnings.periods.0.net.0.amount") != 9750.0 || e.str("viewer.workerProfile.earnings.periods.0.payers.0.payer.name") != "Spree Logistics" {
		t.Fatalf("MyEarnings after the guarantee: %v", e.v)
	}
	// He gave a Stripe account, then chose his bank: the method set last
	// pays, in staff's next batch file, settled from the bank's statement.
	s.op(dan, "SetPayoutAccount", map[string]any{"input": map[string]any{"account": "acct_dan1"}})
	if b := s.op(dan, "SetBankAccount", map[string]any{"input": map[string]any{"holderName": "Dan Weber", "bankName": "Sparkasse",
		"accountNumber": "DE89 3704 0044 0532 0130 00"}}); b.str("setBankAccount.workerProfile.payoutMethod") != "BANK_TRANSFER" ||
		b.str("setBankAccount.workerProfile.bankAccount.last4") != "3000" {
		t.Fatalf("SetBankAccount: %v", b.v)
	}
	if p := s.op(dan, "RequestPayout", map[string]any{"input": map[string]any{"currency": "EUR"}}); p.str("requestPayout.payout.status") != "PENDING" ||
		p.get("requestPayout.payout.amount") != 9750.0 || p.str("requestPayout.payout.provider") != "bank" {
		t.Fatalf("RequestPayout: %v", p.v)
	}
	batch := s.op(sam, "BatchPayouts", map[string]any{"input": map[string]any{"currency": "EUR"}})
	if batch.get("batchPayouts.batch.count") != 1.0 || !strings.Contains(batch.str("batchPayouts.batch.file"), "Dan Weber,Sparkasse,DE89370400440532013000,97.50,EUR") {
		t.Fatalf("BatchPayouts: %v", batch.v)
	}
	if st := s.op(sam, "SettlePayoutBatch", map[string]any{"input": map[string]any{"batchID": batch.str("batchPayouts.batch.id")}}); st.str("settlePayoutBatch.batch.payouts.0.status") != "PAID" {
		t.Fatalf("SettlePayoutBatch: %v", st.v)
	}
	slip := s.op(dan, "TimesheetPayslip", map[string]any{"id": danSheet})
	if slip.get("node.payslip.gross.amount") != 9750.0 || slip.get("node.payslip.minutes") != 390.0 || slip.get("node.payslip.throughFlexwork") != true {
		t.Fatalf("TimesheetPayslip: %v", slip.v)
	}
	paidAt, err := time.Parse(time.RFC3339, slip.str("node.payslip.paidAt"))
	if err != nil {
		t.Fatal(err)
	}
	tz, _ := time.LoadLocation("Europe/Berlin")
	if st := s.op(dan, "MyIncomeStatement", map[string]any{"year": paidAt.In(tz).Year()}); st.get("viewer.workerProfile.incomeStatement.total.0.amount") != 9750.0 ||
		st.get("viewer.workerProfile.incomeStatement.payers.0.payments") != 1.0 {
		t.Fatalf("MyIncomeStatement: %v", st.v)
	}
	// Spree is a generic employer: nothing is withheld, and staff's file
	// for the month has its header alone.
	if slip.get("node.payslip.withheld.amount") != 0.0 || slip.get("node.payslip.net.amount") != 9750.0 {
		t.Fatalf("TimesheetPayslip withholding: %v", slip.v)
	}
	if r := s.op(sam, "WithholdingReport", map[string]any{"year": paidAt.In(tz).Year(), "month": int(paidAt.In(tz).Month())}); r.str("withholdingReport") != "month,payer_id,payer_name,worker_id,worker_name,rule,currency,income,withheld\n" {
		t.Fatalf("WithholdingReport: %v", r.v)
	}
	// Spree's invoice for that month: Dan's wage and the fee of the hire it
	// cancelled late, both paid for it by the fund on their deadline.
	if inv := s.op(olga, "EmployerInvoice", map[string]any{"employerID": emp, "year": paidAt.In(tz).Year(), "month": int(paidAt.In(tz).Month())}); inv.get("node.invoice.lines.0.wages") != 9750.0 ||
		inv.get("node.invoice.lines.0.cancellationFees") != 5625.0 || inv.get("node.invoice.lines.0.payments") != 2.0 {
		t.Fatalf("EmployerInvoice: %v", inv.v)
	}
}
