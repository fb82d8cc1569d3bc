package server_test

import (
	"slices"
	"testing"
	"time"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
)

// TestEarningsAddUpPerWeekAndPayer: Ana is paid for a Tuesday's shift at
// Spree, and a week later for a Tuesday's at Spree and a Wednesday's at
// Kiez. Her earnings by week show the two weeks, newest first, each from
// its Monday on Berlin's calendar, with what each payer paid; by month,
// the periods add up to the same. Ben sees none of it. Both databases.
func TestEarningsAddUpPerWeekAndPayer(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env, sam, olga, spree := prefundedEmployer(t, db)
		kai := env.SignUp("kai@example.com", "Kai")
		kiez := createEmployer(t, env, kai, "Kiez Kitchen")
		fund(env, sam, spree, "SEPA SPREE 0001", 2*shiftWage)
		fund(env, sam, kiez, "SEPA KIEZ 0001", shiftWage)
		ana, ben := newWorker(t, env, "ana@example.com", "Ana"), newWorker(t, env, "ben@example.com", "Ben")

		berlin, _ := time.LoadLocation("Europe/Berlin")
		now := env.Clock.Now().In(berlin)
		tuesday := time.Date(now.Year(), now.Month(), now.Day()+(9-int(now.Weekday()))%7+7, 6, 0, 0, 0, berlin)
		// Ana works an 8-hour day shift for emp, approved that day.
		shiftOn := func(emp string, day time.Time) {
			start := time.Date(day.Year(), day.Month(), day.Day(), 8, 0, 0, 0, berlin)
			boss := olga
			if emp == kiez {
				boss = kai
			}
			s := postShift(t, env, boss, emp, map[string]any{"startsAt": start.Format(time.RFC3339), "endsAt": start.Add(8 * time.Hour).Format(time.RFC3339)})
			newChain(t, env, boss, ana, apply(env, ana, s)).workAndApprove()
		}
		env.Clock.Advance(tuesday.Sub(env.Clock.Now()))
		shiftOn(spree, tuesday)
		env.Clock.Advance(tuesday.AddDate(0, 0, 7).Sub(env.Clock.Now()))
		shiftOn(spree, tuesday.AddDate(0, 0, 7))
		shiftOn(kiez, tuesday.AddDate(0, 0, 8))

		const q = `query($by: EarningsPeriodUnit!, $last: Int!) { viewer { workerProfile { earnings { periods(by: $by, last: $last) {
			starts gross { amount currency } net { amount } payers { payer { id } gross { amount } payments } } } } } }`
		type period struct {
			Starts string
			Gross  []struct {
				Amount   int64
				Currency string
			}
			Net    []struct{ Amount int64 }
			Payers []struct {
				Payer    struct{ ID string }
				Gross    []struct{ Amount int64 }
				Payments int
			}
		}
		var seen struct {
			Viewer struct {
				WorkerProfile struct{ Earnings struct{ Periods []period } }
			}
		}
		env.Must(ana.Token, q, map[string]any{"by": "WEEK", "last": 4}, &seen)
		weeks := seen.Viewer.WorkerProfile.Earnings.Periods
		monday := tuesday.AddDate(0, 0, -1)
		if len(weeks) != 2 || weeks[0].Starts != monday.AddDate(0, 0, 7).Format(time.DateOnly) || weeks[1].Starts != monday.Format(time.DateOnly) {
			t.Fatalf("Ana's weeks: %+v", weeks)
		}
		if w := weeks[0]; w.Gross[0].Amount != 2*shiftWage || w.Gross[0].Currency != "EUR" || w.Net[0].Amount != 2*shiftWage || len(w.Payers) != 2 {
			t.Fatalf("Ana's second week: %+v", w)
		}
		payers := []string{weeks[0].Payers[0].Payer.ID, weeks[0].Payers[1].Payer.ID}
		if !slices.Contains(payers, spree) || !slices.Contains(payers, kiez) || weeks[0].Payers[0].Payments != 1 || weeks[0].Payers[0].Gross[0].Amount != shiftWage {
			t.Fatalf("the second week's payers: %+v", weeks[0].Payers)
		}
		if w := weeks[1]; w.Gross[0].Amount != shiftWage || len(w.Payers) != 1 || w.Payers[0].Payer.ID != spree {
			t.Fatalf("Ana's first week: %+v", w)
		}
		// Only the current week, when one is asked for.
		env.Must(ana.Token, q, map[string]any{"by": "WEEK", "last": 1}, &seen)
		if p := seen.Viewer.WorkerProfile.Earnings.Periods; len(p) != 1 || p[0].Starts != weeks[0].Starts {
			t.Fatalf("Ana's last week: %+v", p)
		}
		env.Must(ana.Token, q, map[string]any{"by": "MONTH", "last": 3}, &seen)
		total := int64(0)
		for _, m := range seen.Viewer.WorkerProfile.Earnings.Periods {
			total += m.Gross[0].Amount
			if m.Starts[8:] != "01" {
				t.Fatalf("a month that starts on %s", m.Starts)
			}
		}
		if total != 3*shiftWage {
			t.Fatalf("Ana's months: %+v", seen.Viewer.WorkerProfile.Earnings.Periods)
		}
		if r := env.Do(ana.Token, q, map[string]any{"by": "MONTH", "last": 0}); r.Code() != "BAD_USER_INPUT" || !slices.Contains(r.Fields(), "last") {
			t.Fatalf("no periods asked for: %+v", r.Errors)
		}
		var anas struct {
			Viewer struct{ WorkerProfile struct{ ID string } }
		}
		env.Must(ana.Token, `{ viewer { workerProfile { id } } }`, nil, &anas)
		var bens struct {
			Node struct {
				Earnings *struct{ Balance []struct{ Amount int64 } }
			}
		}
		env.Must(ben.Token, `query($id: ID!) { node(id: $id) { ... on WorkerProfile { earnings { balance { amount } } } } }`,
			map[string]any{"id": anas.Viewer.WorkerProfile.ID}, &bens)
		if bens.Node.Earnings != nil {
			t.Fatalf("Ben reads Ana's earnings: %+v", bens.Node.Earnings)
		}
	})
}
