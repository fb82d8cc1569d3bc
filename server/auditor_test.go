package server_test

import (
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
)

// TestAnAuditorSeesFiguresNotPeople: Sam appoints Uta, of the labour
// inspectorate, an auditor. Through the API she issues the rights report
// of a month in which Ana worked for Spree, downloads its CSV, and is
// refused every personal node — Ana's account, profile, hire, contract,
// timesheet, application — and any part in the market; a worker is
// refused the report. Ana sees Spree's worker-rights score on its shift
// card. Both databases.
func TestAnAuditorSeesFiguresNotPeople(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env, sam, olga, emp := employerWithStaff(t, db)
		ana := newWorker(t, env, "ana@example.com", "Ana")
		from := env.Clock.Now()
		hire := newChain(t, env, olga, ana, apply(env, ana, postShift(t, env, olga, emp, nil)))
		hire.workAndApprove()

		uta := env.SignUp("uta@example.com", "Uta")
		if r := env.Op(ana.Token, "AppointAuditor", input(map[string]any{"userID": ana.ID, "body": "self"})); r.Code() != "FORBIDDEN" {
			t.Fatalf("a worker appointing herself an auditor: %+v", r.Errors)
		}
		env.MustOp(sam.Token, "AppointAuditor", input(map[string]any{"userID": uta.ID, "body": "Landesamt für Arbeitsschutz"}), &struct{}{})

		period := input(map[string]any{"from": from.Add(-time.Hour).Format(time.RFC3339), "to": from.Add(48 * time.Hour).Format(time.RFC3339)})
		if r := env.Op(ana.Token, "IssueRightsReport", period); r.Code() != "FORBIDDEN" {
			t.Fatalf("a worker issuing a report: %+v", r.Errors)
		}
		var issued struct {
			IssueRightsReport struct{ ID, Csv, Sha256, CsvPath string }
		}
		env.MustOp(uta.Token, "IssueRightsReport", period, &issued)
		r := issued.IssueRightsReport
		rows, err := csv.NewReader(strings.NewReader(r.Csv)).ReadAll()
		if err != nil || len(rows) != 3 || rows[2][2] != "Spree Logistics" || rows[2][6] != "1" || rows[2][7] != "1" || rows[1][20] != "1" {
			t.Fatalf("the report: %v\n%s", err, r.Csv)
		}
		if strings.Contains(r.Csv, "Ana") || strings.Contains(r.Csv, ana.ID) {
			t.Fatalf("the report names a person:\n%s", r.Csv)
		}
		for who, want := range map[string]int{uta.Token: http.StatusOK, sam.Token: http.StatusOK, ana.Token: http.StatusNotFound, olga.Token: http.StatusNotFound} {
			resp := getAs(t, env, who, r.CsvPath)
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != want || (want == http.StatusOK && string(b) != r.Csv) {
				t.Errorf("GET %s: %d, want %d", r.CsvPath, resp.StatusCode, want)
			}
		}

		// The report's digest is on the ledger: once a checkpoint covers
		// it, its receipt proves it.
		if _, err := env.Server.Market.Checkpoint(context.Background()); err != nil {
			t.Fatal(err)
		}
		var proved struct {
			Node struct {
				Sha256  string
				Receipt *struct{ Kind, JSON string }
			}
		}
		env.Must(uta.Token, `query($id: ID!) { node(id: $id) { ... on RightsReport { sha256 receipt { kind json } } } }`, map[string]any{"id": r.ID}, &proved)
		if p := proved.Node; p.Receipt == nil || p.Receipt.Kind != "RIGHTS_REPORT_ISSUED" || !strings.Contains(p.Receipt.JSON, r.Sha256) {
			t.Fatalf("the report's receipt: %+v", p)
		}

		// Every personal node is as if it did not exist; the organisation is there.
		var profile struct {
			Viewer struct{ WorkerProfile struct{ ID string } }
		}
		env.Must(ana.Token, `{ viewer { workerProfile { id } } }`, nil, &profile)
		for what, id := range map[string]string{
			"account": ana.ID, "profile": profile.Viewer.WorkerProfile.ID, "hire": hire.assignment,
			"contract": hire.contract, "timesheet": hire.timesheet, "application": hire.application,
		} {
			resp := env.Do(uta.Token, `query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id})
			if resp.Code() != "NOT_FOUND" || strings.Contains(string(resp.Data), id) {
				t.Errorf("the auditor looking up Ana's %s: %s %+v", what, resp.Data, resp.Errors)
			}
		}
		var org struct{ Node struct{ Name string } }
		env.Must(uta.Token, `query($id: ID!) { node(id: $id) { ... on Employer { name } } }`, map[string]any{"id": emp}, &org)
		if org.Node.Name != "Spree Logistics" {
			t.Errorf("the auditor reads the organisation: %+v", org)
		}
		if resp := env.Op(uta.Token, "CreateEmployer", input(map[string]any{"name": "Audit GmbH"})); resp.Code() != "FORBIDDEN" {
			t.Errorf("the auditor founding an employer: %+v", resp.Errors)
		}
		if resp := env.Op(uta.Token, "ApplyToShift", input(map[string]any{"shiftID": hire.shift})); resp.Code() != "FORBIDDEN" && resp.Code() != "NOT_FOUND" {
			t.Errorf("the auditor applying to a shift: %+v", resp.Errors)
		}

		// The score on Spree's shift card: one hire, contracted, without a
		// dispute, its wage not due yet: 100.
		if _, err := env.Server.Market.RefreshRightsScores(context.Background()); err != nil {
			t.Fatal(err)
		}
		var card struct {
			Node struct {
				Employer struct {
					RightsScore *struct {
						Score        int
						Hires        int
						ContractRate *float64
					}
				}
			}
		}
		env.MustOp(ana.Token, "ShiftDetail", map[string]any{"id": postShift(t, env, olga, emp, nil)}, &card)
		if s := card.Node.Employer.RightsScore; s == nil || s.Score != 100 || s.Hires != 1 || s.ContractRate == nil || *s.ContractRate != 1 {
			t.Fatalf("Spree's score on its shift card: %+v", s)
		}
	})
}
