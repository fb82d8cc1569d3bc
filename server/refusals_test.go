package server_test

import (
	"strings"
	"testing"
	"time"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/server/servertest"
)

// hiringWorld is a shift with a hire in it: Olga owns the employer, Vic only
// views it, Ana is hired (contract unsigned), Ben applied and holds a
// pending offer, Cem is a worker without skills, Dan has no profile.
type hiringWorld struct {
	env                           *servertest.Env
	olga, vic, ana, ben, cem, dan servertest.Account
	emp, shift, asg, contract     string
	benApp, benOffer, anaApp      string
}

func newHiringWorld(t *testing.T, db *entdb.DB) *hiringWorld {
	env := servertest.Start(t, db)
	picking := skillID(t, db, "order-picking")
	h := &hiringWorld{env: env, olga: env.SignUp("olga@example.com", "Olga"), vic: env.SignUp("vic@example.com", "Vic"),
		dan: env.SignUp("dan@example.com", "Dan")}
	h.emp = createEmployer(t, env, h.olga, "Spree Logistics")
	addMember(t, env, h.olga, h.emp, h.vic, "VIEWER")
	h.shift = postShift(t, env, h.olga, h.emp, map[string]any{"requiredSkillIDs": []string{picking}, "slots": 3})
	h.ana = newWorker(t, env, "ana@example.com", "Ana", picking)
	h.ben = newWorker(t, env, "ben@example.com", "Ben", picking)
	h.cem = newWorker(t, env, "cem@example.com", "Cem")
	h.anaApp, h.benApp = apply(env, h.ana, h.shift), apply(env, h.ben, h.shift)
	var hired struct {
		AcceptOffer struct {
			Assignment struct{ ID string }
			Contract   struct{ ID string }
		}
	}
	env.MustOp(h.ana.Token, "AcceptOffer", input(map[string]any{"offerID": offer(env, h.olga, h.anaApp)}), &hired)
	h.asg, h.contract = hired.AcceptOffer.Assignment.ID, hired.AcceptOffer.Contract.ID
	h.benOffer = offer(env, h.olga, h.benApp)
	return h
}

type refusal struct {
	name    string
	as      func(h *hiringWorld) servertest.Account
	query   string
	vars    func(h *hiringWorld) map[string]any
	code    string
	message string
	before  func(h *hiringWorld) // moves the clock or the world first
}

func TestRefusalsExplainAndWriteNothing(t *testing.T) {
	olga := func(h *hiringWorld) servertest.Account { return h.olga }
	vic := func(h *hiringWorld) servertest.Account { return h.vic }
	ana := func(h *hiringWorld) servertest.Account { return h.ana }
	ben := func(h *hiringWorld) servertest.Account { return h.ben }
	cem := func(h *hiringWorld) servertest.Account { return h.cem }
	dan := func(h *hiringWorld) servertest.Account { return h.dan }
	shiftIn := func(h *hiringWorld, change map[string]any) map[string]any {
		start := h.env.Clock.Now().Add(48 * time.Hour)
		in := map[string]any{
			"employerID": h.emp, "title": "Picker", "engagementType": "PART_TIME", "address": "Lager 1",
			"location": place, "startsAt": start.Format(time.RFC3339), "endsAt": start.Add(6 * time.Hour).Format(time.RFC3339),
			"timeZone": "Europe/Berlin", "pay": map[string]any{"amount": 1500, "currency": "EUR"}, "payUnit": "HOUR", "slots": 2,
		}
		for k, v := range change {
			in[k] = v
		}
		return map[string]any{"in": in}
	}
	const createShift = `mutation($in: CreateShiftInput!) { createShift(input: $in) { shift { id } } }`
	const checkIn = `mutation($a: ID!, $at: GeoPointInput!) { checkIn(input: {assignmentID: $a, location: $at}) { assignment { id } } }`
	const applyQ = `mutation($id: ID!) { applyToShift(input: {shiftID: $id}) { application { id } } }`
	const acceptQ = `mutation($id: ID!) { acceptOffer(input: {offerID: $id}) { assignment { id } } }`
	soon := func(h *hiringWorld) string { return h.env.Clock.Now().Add(5 * time.Minute).Format(time.RFC3339) }
	signBoth := func(h *hiringWorld) {
		for _, who := range []servertest.Account{h.ana, h.olga} {
			h.env.MustOp(who.Token, "SignContract", input(map[string]any{"contractID": h.contract}), &struct{}{})
		}
	}

	cases := []refusal{
		{name: "shift ending before it starts", as: olga, query: createShift, code: "BAD_USER_INPUT", message: "endsAt: must be after startsAt",
			vars: func(h *hiringWorld) map[string]any {
				return shiftIn(h, map[string]any{"endsAt": h.env.Clock.Now().Add(47 * time.Hour).Format(time.RFC3339)})
			}},
		{name: "shift starting in the past", as: olga, query: createShift, code: "BAD_USER_INPUT", message: "startsAt: must be at least 15 minutes in the future",
			vars: func(h *hiringWorld) map[string]any {
				past := h.env.Clock.Now().Add(-time.Hour)
				return shiftIn(h, map[string]any{"startsAt": past.Format(time.RFC3339), "endsAt": past.Add(4 * time.Hour).Format(time.RFC3339)})
			}},
		{name: "absurdly long shift", as: olga, query: createShift, code: "BAD_USER_INPUT", message: "endsAt: a shift lasts at most 16 hours",
			vars: func(h *hiringWorld) map[string]any {
				return shiftIn(h, map[string]any{"endsAt": h.env.Clock.Now().Add(72 * time.Hour).Format(time.RFC3339)})
			}},
		{name: "zero slots, negative pay, coordinates off the globe", as: olga, query: createShift, code: "BAD_USER_INPUT",
			message: "slots: must be at least 1", vars: func(h *hiringWorld) map[string]any {
				return shiftIn(h, map[string]any{"slots": 0, "pay": map[string]any{"amount": -100, "currency": "EUR"},
					"location": map[string]any{"lat": 95.0, "lng": 200.0}})
			}},
		{name: "a viewer posting a shift", as: vic, query: createShift, code: "FORBIDDEN", message: "only the employer's owners and managers can post shifts",
			vars: func(h *hiringWorld) map[string]any { return shiftIn(h, nil) }},
		{name: "a stranger posting for the employer", as: ben, query: createShift, code: "NOT_FOUND", message: "employer not found",
			vars: func(h *hiringWorld) map[string]any { return shiftIn(h, nil) }},
		{name: "publishing a cancelled shift", as: olga, query: `mutation($id: ID!) { publishShift(input: {shiftID: $id}) { shift { id } } }`,
			code: "SHIFT_NOT_DRAFT", message: "only a draft can be published; this shift is cancelled",
			before: func(h *hiringWorld) {
				h.env.MustOp(h.olga.Token, "CancelShift", input(map[string]any{"shiftID": h.shift, "reason": "no longer needed"}), &struct{}{})
			},
			vars: func(h *hiringWorld) map[string]any { return map[string]any{"id": h.shift} }},
		{name: "cancelling a shift without a reason", as: olga, query: `mutation($id: ID!) { cancelShift(input: {shiftID: $id, reason: " "}) { shift { id } } }`,
			code: "BAD_USER_INPUT", message: "reason: say why",
			vars: func(h *hiringWorld) map[string]any { return map[string]any{"id": h.shift} }},
		{name: "applying without the required skill", as: cem, query: applyQ,
			code: "SCREENING_FAILED", message: "Add these skills to your profile: Order picking",
			vars: func(h *hiringWorld) map[string]any { return map[string]any{"id": h.shift} }},
		{name: "applying twice", as: ben, query: applyQ,
			code: "ALREADY_APPLIED", message: "you have already applied to this shift",
			vars: func(h *hiringWorld) map[string]any { return map[string]any{"id": h.shift} }},
		{name: "applying without a worker profile", as: dan, query: applyQ,
			code: "FORBIDDEN", message: "create your worker profile first",
			vars: func(h *hiringWorld) map[string]any { return map[string]any{"id": h.shift} }},
		{name: "withdrawing someone else's application", as: ana, query: `mutation($id: ID!) { withdrawApplication(input: {applicationID: $id}) { application { id } } }`,
			code: "NOT_FOUND", message: "application not found",
			vars: func(h *hiringWorld) map[string]any { return map[string]any{"id": h.benApp} }},
		{name: "a viewer sending an offer", as: vic, query: `mutation($a: ID!) { sendOffer(input: {applicationID: $a}) { offer { id } } }`,
			code: "FORBIDDEN", message: "only the employer's owners and managers can send offers",
			vars: func(h *hiringWorld) map[string]any { return map[string]any{"a": h.benApp} }},
		{name: "an invitation beside a pending offer", as: olga,
			query: `mutation($s: ID!, $w: ID!) { sendOffer(input: {shiftID: $s, workerID: $w}) { offer { id } } }`,
			code:  "OFFER_ALREADY_PENDING", message: "already has a pending offer",
			before: func(h *hiringWorld) {
				h.env.MustOp(h.olga.Token, "SetRosterEntry",
					input(map[string]any{"employerID": h.emp, "workerID": workerOf(t, h.env, h.ben), "kind": "FAVOURITE"}), &struct{}{})
			},
			vars: func(h *hiringWorld) map[string]any {
				return map[string]any{"s": h.shift, "w": workerOf(t, h.env, h.ben)}
			}},
		{name: "inviting a worker who is not a favourite", as: olga,
			query: `mutation($s: ID!, $w: ID!) { sendOffer(input: {shiftID: $s, workerID: $w}) { offer { id } } }`,
			code:  "BAD_USER_INPUT", message: "direct invitations go to workers on your favourites",
			vars: func(h *hiringWorld) map[string]any {
				return map[string]any{"s": h.shift, "w": workerOf(t, h.env, h.cem)}
			}},
		{name: "accepting someone else's offer", as: ana, query: acceptQ,
			code: "NOT_FOUND", message: "offer not found",
			vars: func(h *hiringWorld) map[string]any { return map[string]any{"id": h.benOffer} }},
		{name: "accepting an expired offer", as: ben, query: acceptQ,
			code: "OFFER_EXPIRED", message: "the offer expired at", before: func(h *hiringWorld) { h.env.Clock.Advance(31 * time.Minute) },
			vars: func(h *hiringWorld) map[string]any { return map[string]any{"id": h.benOffer} }},
		{name: "a stranger signing the contract", as: ben, query: `mutation($id: ID!) { signContract(input: {contractID: $id}) { contract { id } } }`,
			code: "NOT_FOUND", message: "contract not found",
			vars: func(h *hiringWorld) map[string]any { return map[string]any{"id": h.contract} }},
		{name: "checking in before the contract is signed", as: ana, query: checkIn,
			code: "CONTRACT_NOT_SIGNED", message: "both parties must sign the contract before check-in",
			before: func(h *hiringWorld) { h.env.Clock.Advance(110 * time.Minute) },
			vars:   func(h *hiringWorld) map[string]any { return map[string]any{"a": h.asg, "at": place} }},
		{name: "checking in an hour early", as: ana, query: checkIn, before: signBoth,
			code: "CHECK_IN_NOT_OPEN", message: "check-in opens 30 minutes before the start",
			vars: func(h *hiringWorld) map[string]any { return map[string]any{"a": h.asg, "at": place} }},
		{name: "checking in from home", as: ana, query: checkIn,
			before: func(h *hiringWorld) { signBoth(h); h.env.Clock.Advance(110 * time.Minute) },
			code:   "OUTSIDE_GEOFENCE", message: "check in and out within 200 m of it",
			vars: func(h *hiringWorld) map[string]any { return map[string]any{"a": h.asg, "at": home} }},
		{name: "checking out without checking in", as: ana,
			query: `mutation($a: ID!, $at: GeoPointInput!) { checkOut(input: {assignmentID: $a, location: $at}) { timesheet { id } } }`,
			code:  "NOT_CHECKED_IN", message: "you can check out only after checking in",
			vars: func(h *hiringWorld) map[string]any { return map[string]any{"a": h.asg, "at": place} }},
		{name: "a no-show marked before the grace period", as: olga, query: `mutation($a: ID!) { markNoShow(input: {assignmentID: $a}) { assignment { id } } }`,
			code: "NO_SHOW_TOO_EARLY", message: "a no-show can be marked from 30 minutes after the start",
			vars: func(h *hiringWorld) map[string]any { return map[string]any{"a": h.asg} }},
		{name: "cancelling a hire after the start", as: ana, query: `mutation($a: ID!) { cancelAssignment(input: {assignmentID: $a, reason: "ill"}) { assignment { id } } }`,
			code: "SHIFT_STARTED", message: "the shift has started", before: func(h *hiringWorld) { h.env.Clock.Advance(3 * time.Hour) },
			vars: func(h *hiringWorld) map[string]any { return map[string]any{"a": h.asg} }},
		{name: "a viewer cancelling a hire", as: vic, query: `mutation($a: ID!) { cancelAssignment(input: {assignmentID: $a, reason: "budget"}) { assignment { id } } }`,
			code: "FORBIDDEN", message: "only the employer's owners and managers can cancel hires",
			vars: func(h *hiringWorld) map[string]any { return map[string]any{"a": h.asg} }},
		{name: "a shift starting soon", as: olga, query: createShift, code: "BAD_USER_INPUT", message: "startsAt",
			vars: func(h *hiringWorld) map[string]any { return shiftIn(h, map[string]any{"startsAt": soon(h)}) }},
		{name: "a stranger posting a series for the employer", as: ben, code: "NOT_FOUND", message: "employer not found",
			query: `mutation($in: CreateShiftInput!) { createShiftSeries(input: {shift: $in, recurrence: "FREQ=DAILY;COUNT=2"}) { shifts { id } } }`,
			vars:  func(h *hiringWorld) map[string]any { return shiftIn(h, nil) }},
		{name: "a stranger editing the employer's series", as: ben, code: "NOT_FOUND", message: "employer not found",
			query: `mutation($id: ID!) { updateShiftSeries(input: {shiftID: $id, title: "Mine now"}) { shifts { id } } }`,
			vars:  func(h *hiringWorld) map[string]any { return map[string]any{"id": h.shift} }},
		{name: "a price for a draft that ends before it starts", as: olga, code: "BAD_USER_INPUT", message: "endsAt: must be after startsAt",
			query: `query($in: CreateShiftInput!) { paySuggestion(input: $in) { hourlyRate { amount } } }`,
			vars: func(h *hiringWorld) map[string]any {
				return shiftIn(h, map[string]any{"endsAt": h.env.Clock.Now().Add(47 * time.Hour).Format(time.RFC3339)})
			}},
		{name: "a stranger pricing the employer's shift", as: ben, code: "NOT_FOUND", message: "employer not found",
			query: `query($in: CreateShiftInput!) { paySuggestion(input: $in) { hourlyRate { amount } } }`,
			vars:  func(h *hiringWorld) map[string]any { return shiftIn(h, nil) }},
		{name: "standby without a worker profile", as: dan, code: "FORBIDDEN", message: "create your worker profile first",
			query: `mutation($id: ID!) { joinStandby(input: {shiftID: $id}) { application { id } } }`,
			vars:  func(h *hiringWorld) map[string]any { return map[string]any{"id": h.shift} }},
		{name: "a stranger stopping the employer's backfill", as: ben, code: "NOT_FOUND", message: "employer not found",
			query: `mutation($id: ID!) { stopBackfill(input: {shiftID: $id}) { shift { id } } }`,
			vars:  func(h *hiringWorld) map[string]any { return map[string]any{"id": h.shift} }},
		{name: "stopping a backfill that never began", as: olga, code: "BACKFILL_NOT_RUNNING", message: "no backfill is running",
			query: `mutation($id: ID!) { stopBackfill(input: {shiftID: $id}) { shift { id } } }`,
			vars:  func(h *hiringWorld) map[string]any { return map[string]any{"id": h.shift} }},
		{name: "a stranger keeping the employer's shift as a template", as: ben, code: "NOT_FOUND", message: "employer not found",
			query: `mutation($id: ID!) { saveShiftTemplate(input: {shiftID: $id, name: "Mine"}) { template { id } } }`,
			vars:  func(h *hiringWorld) map[string]any { return map[string]any{"id": h.shift} }},
		{name: "a stranger reading the employer's demand", as: ben, code: "NOT_FOUND", message: "employer not found",
			query: `query($e: ID!) { demand(employerID: $e) { weeks } }`,
			vars:  func(h *hiringWorld) map[string]any { return map[string]any{"e": h.emp} }},
		{name: "demand over a year", as: olga, code: "BAD_USER_INPUT", message: "weeks: between 2 and 26",
			query: `query($e: ID!) { demand(employerID: $e, weeks: 52) { weeks } }`,
			vars:  func(h *hiringWorld) map[string]any { return map[string]any{"e": h.emp} }},
	}
	for _, d := range entdbtest.Dialects {
		t.Run(d, func(t *testing.T) {
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					h := newHiringWorld(t, entdbtest.Open(t, d))
					if c.before != nil {
						c.before(h)
					}
					before := h.env.Fingerprint(t)
					r := h.env.Do(c.as(h).Token, c.query, c.vars(h))
					if r.Code() != c.code || !strings.Contains(r.Errors[0].Message, c.message) {
						t.Fatalf("got %+v; want %s saying %q", r.Errors, c.code, c.message)
					}
					if after := h.env.Fingerprint(t); after != before {
						t.Fatal("the refused mutation changed the database")
					}
				})
			}
		})
	}
}

// workerOf returns the worker-profile ID of an account.
func workerOf(t *testing.T, env *servertest.Env, a servertest.Account) string {
	var me struct {
		Viewer struct{ WorkerProfile struct{ ID string } }
	}
	env.Must(a.Token, `{ viewer { workerProfile { id } } }`, nil, &me)
	return me.Viewer.WorkerProfile.ID
}
