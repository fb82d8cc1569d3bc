package server_test

import (
	"encoding/json"
	"testing"
	"time"

	"flexwork/server/servertest"
)

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// chain takes an application through the steps of a hire as the two apps
// would, for tests whose subject comes after.
type chain struct {
	t                   *testing.T
	env                 *servertest.Env
	employer, worker    servertest.Account
	application         string
	assignment, shift   string
	contract, timesheet string
}

func newChain(t *testing.T, env *servertest.Env, employer, worker servertest.Account, application string) *chain {
	return &chain{t: t, env: env, employer: employer, worker: worker, application: application}
}

// hire: offer, acceptance, both signatures.
func (c *chain) hire() {
	var offer struct{ SendOffer struct{ ID string } }
	c.env.Must(c.employer.Token, `mutation($a: ID!) { sendOffer(input: {applicationID: $a}) { id } }`, map[string]any{"a": c.application}, &offer)
	var hired struct {
		AcceptOffer struct {
			ID       string
			Shift    struct{ ID string }
			Contract struct{ ID string }
		}
	}
	c.env.Must(c.worker.Token, `mutation($id: ID!) { acceptOffer(id: $id) { id shift { id } contract { id } } }`, map[string]any{"id": offer.SendOffer.ID}, &hired)
	c.assignment, c.shift, c.contract = hired.AcceptOffer.ID, hired.AcceptOffer.Shift.ID, hired.AcceptOffer.Contract.ID
	for _, who := range []servertest.Account{c.worker, c.employer} {
		c.env.Must(who.Token, `mutation($id: ID!) { signContract(id: $id) { id } }`, map[string]any{"id": c.contract}, &struct{}{})
	}
}

// workAndApprove hires if need be, works the shift at its place and time,
// and has the employer approve the timesheet.
func (c *chain) workAndApprove() {
	if c.assignment == "" {
		c.hire()
	}
	var s struct {
		Node struct {
			StartsAt, EndsAt time.Time
			Lat, Lng         float64
		}
	}
	c.env.Must(c.worker.Token, `query($id: ID!) { node(id: $id) { ... on Shift { startsAt endsAt lat lng } } }`, map[string]any{"id": c.shift}, &s)
	at := map[string]any{"lat": s.Node.Lat, "lng": s.Node.Lng}
	c.env.Clock.Advance(s.Node.StartsAt.Sub(c.env.Clock.Now()))
	c.env.Must(c.worker.Token, `mutation($a: ID!, $at: GeoPointInput!) { checkIn(input: {assignmentID: $a, location: $at}) { id } }`,
		map[string]any{"a": c.assignment, "at": at}, &struct{}{})
	c.env.Clock.Advance(s.Node.EndsAt.Sub(c.env.Clock.Now()))
	var out struct {
		CheckOut struct{ Timesheet struct{ ID string } }
	}
	c.env.Must(c.worker.Token, `mutation($a: ID!, $at: GeoPointInput!) { checkOut(input: {assignmentID: $a, location: $at}) { timesheet { id } } }`,
		map[string]any{"a": c.assignment, "at": at}, &out)
	c.timesheet = out.CheckOut.Timesheet.ID
	c.env.Must(c.employer.Token, `mutation($t: ID!) { approveTimesheet(input: {timesheetID: $t}) { id } }`, map[string]any{"t": c.timesheet}, &struct{}{})
}
