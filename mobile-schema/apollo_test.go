package mobileschema_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"testing"
	"time"

	"flexwork/ent/entdb/entdbtest"
	"flexwork/server/servertest"
)

// TestTheAppsStandardTooling runs the Node tests of apollo/ — Apollo's
// manifest generator, Apollo Client, graphql-ws's client and graphql-http's
// audit — against real servers this test starts: one that runs only the
// apps' manifest, as in production, and a development one for the audit.
func TestTheAppsStandardTooling(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Node; skipped with -short")
	}
	if _, err := exec.LookPath("node"); err != nil {
		if os.Getenv("FLEXWORK_TEST_REQUIRE_SERVICES") != "" {
			t.Fatal("node is not installed; scripts/test.sh installs it")
		}
		t.Skip("node is not installed")
	}
	if _, err := os.Stat("apollo/node_modules"); err != nil {
		npm := exec.Command("npm", "ci", "--no-audit", "--no-fund", "--silent")
		npm.Dir = "apollo"
		if out, err := npm.CombinedOutput(); err != nil {
			t.Fatalf("npm ci: %v\n%s", err, out)
		}
	}
	prod := servertest.Start(t, entdbtest.Open(t, "sqlite3"), servertest.WithEnv(map[string]string{"TRUSTED_DOCUMENTS": "enforce"}))
	dev := servertest.Start(t, entdbtest.Open(t, "sqlite3"), servertest.WithEnv(map[string]string{"TRUSTED_DOCUMENTS": "off"}))

	// Olga posts two shifts near Ana; Ana has applied to the second, so
	// that an offer for it reaches her live.
	olga, ana := prod.SignUp("olga@example.com", "Olga"), prod.SignUp("ana@example.com", "Ana")
	var skills struct {
		Skills struct {
			Edges []struct{ Node struct{ ID, Slug string } }
		}
	}
	prod.MustOp(ana.Token, "Skills", map[string]any{"first": 100}, &skills)
	picking := ""
	for _, e := range skills.Skills.Edges {
		if e.Node.Slug == "order-picking" {
			picking = e.Node.ID
		}
	}
	berlin := map[string]any{"lat": 52.52, "lng": 13.405}
	prod.MustOp(ana.Token, "UpdateWorkerProfile", map[string]any{"input": map[string]any{"headline": "Picker", "homeLocation": berlin,
		"skills": []any{map[string]any{"skillID": picking, "years": 2}}}}, &struct{}{})
	var emp struct {
		CreateEmployer struct{ Employer struct{ ID string } }
	}
	prod.MustOp(olga.Token, "CreateEmployer", map[string]any{"input": map[string]any{"name": "Spree Logistics", "location": berlin}}, &emp)
	shift := func(start time.Time) string {
		var out struct {
			CreateShift struct{ Shift struct{ ID string } }
		}
		prod.MustOp(olga.Token, "CreateShift", map[string]any{"input": map[string]any{
			"employerID": emp.CreateEmployer.Employer.ID, "title": "Warehouse picker", "engagementType": "PART_TIME",
			"address": "Lagerstraße 1, Berlin", "location": berlin, "startsAt": start.Format(time.RFC3339),
			"endsAt": start.Add(6 * time.Hour).Format(time.RFC3339), "timeZone": "Europe/Berlin",
			"pay": map[string]any{"amount": 1500, "currency": "EUR"}, "payUnit": "HOUR", "slots": 2,
			"requiredSkillIDs": []string{picking}}}, &out)
		prod.MustOp(olga.Token, "PublishShift", map[string]any{"input": map[string]any{"shiftID": out.CreateShift.Shift.ID}}, &struct{}{})
		return out.CreateShift.Shift.ID
	}
	start := prod.Clock.Now().Add(48 * time.Hour).Truncate(time.Hour)
	first, second := shift(start), shift(start.Add(24*time.Hour))
	var applied struct {
		ApplyToShift struct{ Application struct{ ID string } }
	}
	prod.MustOp(ana.Token, "ApplyToShift", map[string]any{"input": map[string]any{"shiftID": second}}, &applied)

	fixture, _ := json.Marshal(map[string]any{
		"url": prod.HTTP.URL, "devURL": dev.HTTP.URL, "anaToken": ana.Token, "olgaToken": olga.Token,
		"shiftID": first, "offerShiftID": second, "applicationID": applied.ApplyToShift.Application.ID,
	})
	cmd := exec.Command("npm", "test", "--silent")
	cmd.Dir = "apollo"
	cmd.Env = append(os.Environ(), "FLEXWORK_FIXTURE="+string(fixture))
	out, err := cmd.CombinedOutput()
	t.Logf("node --test:\n%s", out)
	if err != nil {
		t.Fatalf("the apps' tooling failed: %v", err)
	}
}
