package server_test

import (
	"testing"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/server/servertest"
)

const creditQ = `query($id: ID!) { creditReport(subjectID: $id) { subjectID score band provisional factors { name points events { id kind } } } }`

type creditReport struct {
	CreditReport struct {
		SubjectID   string
		Score       int
		Band        string
		Provisional bool
		Factors     []struct {
			Name   string
			Points int
			Events []struct{ ID, Kind string }
		}
	}
}

// TestCreditReportVisibility walks the matrix: who may see whose credit,
// and how much of it.
func TestCreditReportVisibility(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env := servertest.Start(t, db)
		picking := skillID(t, db, "order-picking")
		olga, eve := env.SignUp("olga@example.com", "Olga"), env.SignUp("eve@example.com", "Eve")
		emp := createEmployer(t, env, olga, "Spree Logistics")
		createEmployer(t, env, eve, "Elsewhere")
		ana, ben := newWorker(t, env, "ana@example.com", "Ana", picking), newWorker(t, env, "ben@example.com", "Ben", picking)
		staff := makeStaff(t, env, db, "sam@example.com")
		anaWorker := workerOf(t, env, ana)

		// Ana works a shift for Olga and is approved: one credit event.
		shiftID := postShift(t, env, olga, emp, map[string]any{"requiredSkillIDs": []string{picking}})
		app := apply(env, ana, shiftID)
		c := newChain(t, env, olga, ana, app)
		c.workAndApprove()

		full := func(who servertest.Account, subject string) creditReport {
			var r creditReport
			env.Must(who.Token, creditQ, map[string]any{"id": subject}, &r)
			return r
		}
		own := full(ana, anaWorker)
		if own.CreditReport.Score != 612 || own.CreditReport.Band != "GOOD" || !own.CreditReport.Provisional ||
			len(own.CreditReport.Factors) != 1 || len(own.CreditReport.Factors[0].Events) != 1 ||
			own.CreditReport.Factors[0].Events[0].Kind != "SHIFT_COMPLETED" {
			t.Fatalf("Ana's own report: %+v", own.CreditReport)
		}
		byStaff := full(staff, anaWorker)
		if byStaff.CreditReport.Score != 612 || len(byStaff.CreditReport.Factors[0].Events) != 1 {
			t.Fatalf("staff's view: %+v", byStaff.CreditReport)
		}
		byEmployer := full(olga, anaWorker)
		if byEmployer.CreditReport.Score != 612 || byEmployer.CreditReport.Factors[0].Points != 12 || byEmployer.CreditReport.Factors[0].Events != nil {
			t.Fatalf("the employer she applied to should see score and factors, not events: %+v", byEmployer.CreditReport)
		}
		for name, who := range map[string]servertest.Account{"an employer she never applied to": eve, "another worker": ben} {
			if r := env.Do(who.Token, creditQ, map[string]any{"id": anaWorker}); r.Code() != "FORBIDDEN" {
				t.Fatalf("%s: %+v, want FORBIDDEN", name, r.Errors)
			}
		}
		// Workers see employers' credit: Olga's record of paying.
		byWorker := full(ben, emp)
		if byWorker.CreditReport.SubjectID != emp || byWorker.CreditReport.Score != 600 {
			t.Fatalf("a worker's view of an employer: %+v", byWorker.CreditReport)
		}
		if r := env.Do("", creditQ, map[string]any{"id": anaWorker}); r.Code() != "UNAUTHENTICATED" {
			t.Fatalf("anonymous: %+v", r.Errors)
		}
	})
}
