package server_test

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"flexwork/ent/entdb/entdbtest"
	"flexwork/server/demo"
	"flexwork/server/servertest"
)

var updateREADME = flag.Bool("update", false, "rewrite the README's auditor report from the demo instead of failing")

// TestTheREADMEsAuditorReportIsTheDemos: the rights report the README
// shows for Shanghai is the one the demo's auditor issues for the last 30
// days on a freshly seeded demo. `go test ./server -run AuditorReport
// -update` rewrites it.
func TestTheREADMEsAuditorReportIsTheDemos(t *testing.T) {
	db := entdbtest.Open(t, "sqlite3")
	env := servertest.Start(t, db)
	if _, err := demo.Seed(context.Background(), db.Client, env.Server, 1); err != nil {
		t.Fatal(err)
	}
	var in struct{ SignIn struct{ AccessToken string } }
	env.MustOp("", "SignIn", input(map[string]any{"email": "auditor@demo.flexwork", "password": demo.Password}), &in)
	now := env.Clock.Now()
	var issued struct{ IssueRightsReport struct{ Csv string } }
	env.MustOp(in.SignIn.AccessToken, "IssueRightsReport", input(map[string]any{"jurisdiction": "CN",
		"from": now.AddDate(0, 0, -30).Format(time.RFC3339), "to": now.Format(time.RFC3339)}), &issued)
	want := reportTable(t, issued.IssueRightsReport.Csv)

	path := "../README.md"
	readme, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)<!-- auditor-report: made by TestTheREADMEsAuditorReportIsTheDemos -->\n(.*?)<!-- /auditor-report -->").FindSubmatchIndex(readme)
	if m == nil {
		t.Fatal("the README has no auditor's report")
	}
	if got := string(readme[m[2]:m[3]]); got != want {
		if *updateREADME {
			fresh := append(append(append([]byte{}, readme[:m[2]]...), want...), readme[m[3]:]...)
			if err := os.WriteFile(path, fresh, 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Fatalf("the README's auditor report is not the demo's (go test ./server -run AuditorReport -update); it should read:\n%s", want)
	}
}

// reportTable renders a report's CSV as the README's Markdown table.
func reportTable(t *testing.T, body string) string {
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("the report: %v\n%s", err, body)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	share := func(r []string, part, rateCol, whole string) string {
		if r[col[whole]] == "0" {
			return "—"
		}
		rate, _ := strconv.ParseFloat(r[col[rateCol]], 64)
		return fmt.Sprintf("%s of %s (%.0f%%)", r[col[part]], r[col[whole]], 100*rate)
	}
	var b strings.Builder
	b.WriteString("| organisation | hires | signed contract | wages paid by the deadline | insurance the law asks | disputes (settled · decided · open) | credit | workers verified |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|\n")
	for _, r := range rows[1:] {
		name := r[col["organisation"]]
		if r[col["scope"]] == "PLATFORM" {
			name = "**all of Shanghai (CN)**"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s (%s · %s · %s) | %s | %s |\n", name, r[col["hires"]],
			share(r, "contracted", "contract_rate", "hires"), share(r, "wages_on_time", "wages_on_time_rate", "wages_due"),
			share(r, "covered", "cover_rate", "cover_required"),
			r[col["disputes"]], r[col["disputes_settled"]], r[col["disputes_decided"]], r[col["disputes_open"]],
			r[col["average_credit"]], share(r, "workers_verified", "real_name_rate", "workers"))
	}
	return b.String()
}
