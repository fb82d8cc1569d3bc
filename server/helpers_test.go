package server_test

import (
	"encoding/json"
	"testing"
	"time"

	"flexwork/server/servertest"
)

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// input wraps a mutation's fields as its one argument, "input".
func input(fields map[string]any) map[string]any { return map[string]any{"input": fields} }

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
	var offer struct {
		SendOffer struct{ Offer struct{ ID string } }
	}
	c.env.MustOp(c.employer.Token, "SendOffer", input(map[string]any{"applicationID": c.application}), &offer)
	var hired struct {
		AcceptOffer struct {
			Assignment struct{ ID string }
			Shift      struct{ ID string }
			Contract   struct{ ID string }
		}
	}
	c.env.MustOp(c.worker.Token, "AcceptOffer", input(map[string]any{"offerID": offer.SendOffer.Offer.ID}), &hired)
	c.assignment, c.shift, c.contract = hired.AcceptOffer.Assignment.ID, hired.AcceptOffer.Shift.ID, hired.AcceptOffer.Contract.ID
	for _, who := range []servertest.Account{c.worker, c.employer} {
		c.env.MustOp(who.Token, "SignContract", input(map[string]any{"contractID": c.contract}), &struct{}{})
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
	c.env.MustOp(c.worker.Token, "CheckIn", input(map[string]any{"assignmentID": c.assignment, "location": at}), &struct{}{})
	c.env.Clock.Advance(s.Node.EndsAt.Sub(c.env.Clock.Now()))
	var out struct {
		CheckOut struct{ Timesheet struct{ ID string } }
	}
	c.env.MustOp(c.worker.Token, "CheckOut", input(map[string]any{"assignmentID": c.assignment, "location": at}), &out)
	c.timesheet = out.CheckOut.Timesheet.ID
	c.env.MustOp(c.employer.Token, "ApproveTimesheet", input(map[string]any{"timesheetID": c.timesheet}), &struct{}{})
}

// apply has a worker apply to a shift, with the apps' operation, and
// returns the application's ID.
func apply(env *servertest.Env, who servertest.Account, shift string) string {
	var out struct {
		ApplyToShift struct{ Application struct{ ID string } }
	}
	env.MustOp(who.Token, "ApplyToShift", input(map[string]any{"shiftID": shift}), &out)
	return out.ApplyToShift.Application.ID
}

// offer has an employer offer the shift to an applicant and returns the
// offer's ID.
func offer(env *servertest.Env, by servertest.Account, application string) string {
	var out struct {
		SendOffer struct{ Offer struct{ ID string } }
	}
	env.MustOp(by.Token, "SendOffer", input(map[string]any{"applicationID": application}), &out)
	return out.SendOffer.Offer.ID
}
