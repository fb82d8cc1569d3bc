package market_test

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"flexwork/ent"
	"flexwork/ent/employer"
	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/ledgerentry"
	"flexwork/ent/privacy"
	"flexwork/ent/schema/enum"
	"flexwork/ent/shift"
	"flexwork/ent/viewer"
	"flexwork/market"
)

// TestTheRightsReportCountsWhatWorkersWereOwed builds a period with a wage
// paid on time, one left unpaid, one disputed, a hire without a signed
// contract and, in Shanghai, a covered hire of a verified worker; then
// reads the auditor's report and the organisations' scores.
func TestTheRightsReportCountsWhatWorkersWereOwed(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		start := w.now
		shanghai := market.GeoPoint{Lat: 31.23, Lng: 121.47}
		cn := employer.JurisdictionCN
		e, err := w.m.CreateEmployer(w.manager, market.CreateEmployerInput{Name: "上海餐饮", Location: &shanghai, Jurisdiction: &cn})
		if err != nil {
			t.Fatal(err)
		}
		cnID := e.Employer.ID
		viewer.FromContext(w.manager).Roles[cnID] = viewer.RoleOwner
		w.licensed(w.manager, cnID)
		at := start.Add(60 * time.Hour)
		posted, err := w.m.CreateShift(w.manager, market.CreateShiftInput{EmployerID: cnID, Title: "服务员", EngagementType: enum.PartTime,
			Address: "南京西路 1 号", Location: shanghai, StartsAt: at, EndsAt: at.Add(4 * time.Hour), TimeZone: "Asia/Shanghai",
			Pay: market.Money{Amount: 3000, Currency: "CNY"}, PayUnit: shift.PayUnitHOUR, Slots: 1})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.m.PublishShift(w.manager, posted.Shift.ID); err != nil {
			t.Fatal(err)
		}
		li := w.worker("李娜")
		w.verified(li)
		liHire := w.hire(li, posted.Shift)
		w.covered(w.manager, liHire.ID, at, at.Add(4*time.Hour))

		ana, ben, cai, dan := w.worker("Ana"), w.worker("Ben"), w.worker("Cai"), w.worker("Dan")
		paid, unpaid, disputed := w.shift(24*time.Hour, 4, 1), w.shift(30*time.Hour, 4, 1), w.shift(36*time.Hour, 4, 1)
		anaHire, benHire, caiHire := w.hire(ana, paid), w.hire(ben, unpaid), w.hire(cai, disputed)
		unsigned := w.shift(40*time.Hour, 4, 1)
		if _, err := w.m.AcceptOffer(dan, w.offer(dan, unsigned).ID); err != nil {
			t.Fatal(err)
		}
		approve := func(s *ent.Shift, who context.Context, a *ent.Assignment) *ent.Timesheet {
			ts := w.work(who, s, a)
			if _, err := w.m.ApproveTimesheet(w.manager, market.ApproveInput{TimesheetID: ts.ID}); err != nil {
				t.Fatal(err)
			}
			return ts
		}
		if _, err := w.m.MarkPaid(w.manager, approve(paid, ana, anaHire).ID, "SEPA-1"); err != nil {
			t.Fatal(err)
		}
		approve(unpaid, ben, benHire)
		if _, err := w.m.DisputeTimesheet(cai, approve(disputed, cai, caiHire).ID, "I worked an hour more"); err != nil {
			t.Fatal(err)
		}
		w.now = start.Add(12 * 24 * time.Hour) // every deadline has passed

		auditorUser := db.User.Create().SetDisplayName("市人社局").SetAuditorFor("上海市人力资源和社会保障局").SaveX(sys)
		auditor := viewer.NewContext(context.Background(), &viewer.Viewer{UserID: auditorUser.ID, Auditor: true, Roles: map[string]viewer.Role{}})
		period := market.RightsReportInput{From: start, To: start.Add(30 * 24 * time.Hour)}
		if _, err := w.m.IssueRightsReport(ana, period); code(err) != "FORBIDDEN" {
			t.Fatalf("a worker issuing a report: %v", err)
		}
		if _, err := w.m.IssueRightsReport(auditor, market.RightsReportInput{From: period.To, To: period.From}); code(err) != "BAD_USER_INPUT" {
			t.Fatalf("a period that ends before it starts: %v", err)
		}
		r, err := w.m.IssueRightsReport(auditor, period)
		if err != nil {
			t.Fatal(err)
		}
		if sum := sha256.Sum256([]byte(r.Csv)); hex.EncodeToString(sum[:]) != r.Sha256 {
			t.Fatalf("the report's digest %s is not its CSV's", r.Sha256)
		}
		if n := db.LedgerEntry.Query().Where(ledgerentry.Kind(market.LedgerRightsReportIssued), ledgerentry.SubjectID(r.ID),
			ledgerentry.PayloadContains(r.Sha256)).CountX(sys); n != 1 {
			t.Fatalf("%d ledger entries name the report's digest, want 1", n)
		}
		rows, err := csv.NewReader(strings.NewReader(r.Csv)).ReadAll()
		if err != nil || len(rows) != 4 {
			t.Fatalf("the CSV has %d rows (%v), want a header, the platform and two organisations:\n%s", len(rows), err, r.Csv)
		}
		credit := func(id string) int { return db.Employer.GetX(sys, id).CreditScore }
		// scope, id, name, jurisdiction, from, to, then the figures as rightsCSVHeader names them.
		want := map[string]string{
			"PLATFORM": "5,4,0.8000,3,1,0.3333,1,1,1.0000,1,0,0,1," + avg(credit(w.emp), credit(cnID)) + ",5,1,0.2000",
			w.emp:      "4,3,0.7500,3,1,0.3333,0,0,,1,0,0,1," + avg(credit(w.emp)) + ",4,0,0.0000",
			cnID:       "1,1,1.0000,0,0,,1,1,1.0000,0,0,0,0," + avg(credit(cnID)) + ",1,1,1.0000",
		}
		for _, row := range rows[1:] {
			key := row[1]
			if row[0] == "PLATFORM" {
				key = "PLATFORM"
			}
			if got := strings.Join(row[6:], ","); got != want[key] {
				t.Errorf("%s (%s): got  %s\n want %s", key, row[2], got, want[key])
			}
		}
		// The score workers see: Spree's contract 3/4 (30), wages 1/3 (40),
		// no cover asked, hires without an open dispute 3/4 (10):
		// (22.5 + 13.33 + 7.5) / 80 = 54. Shanghai's: all it owed, 100.
		if _, err := w.m.RefreshRightsScores(context.Background()); err != nil {
			t.Fatal(err)
		}
		for id, score := range map[string]int{w.emp: 54, cnID: 100} {
			got := market.EmployerRightsScore(db.Employer.GetX(sys, id))
			if got == nil || got.Score != score {
				t.Errorf("%s's rights score: %+v, want %d", id, got, score)
			}
		}
		if s := market.EmployerRightsScore(db.Employer.GetX(sys, w.emp)); s != nil && (*s.ContractRate() != 0.75 || s.CoverRate() != nil) {
			t.Errorf("Spree's score explained: contract %v, cover %v", *s.ContractRate(), s.CoverRate())
		}

		// The auditor reads organisations and reports, no person but
		// themselves, and changes nothing in the market.
		for what, n := range map[string]int{
			"users":           db.User.Query().CountX(auditor),
			"worker profiles": db.WorkerProfile.Query().CountX(auditor),
			"worker skills":   db.WorkerSkill.Query().CountX(auditor),
			"hires":           db.Assignment.Query().CountX(auditor),
			"contracts":       db.Contract.Query().CountX(auditor),
			"timesheets":      db.Timesheet.Query().CountX(auditor),
			"real names":      db.RealName.Query().CountX(auditor),
			"covers":          db.InsuranceCover.Query().CountX(auditor),
			"applications":    db.Application.Query().CountX(auditor),
			"reviews":         db.Review.Query().CountX(auditor),
			"certifications":  db.Certification.Query().CountX(auditor),
		} {
			if want := map[string]int{"users": 1}[what]; n != want {
				t.Errorf("the auditor reads %d %s, want %d", n, what, want)
			}
		}
		if n := db.Employer.Query().CountX(auditor); n != 2 {
			t.Errorf("the auditor reads %d organisations, want 2", n)
		}
		if n := db.RightsReport.Query().CountX(ana); n != 0 {
			t.Errorf("a worker reads %d reports", n)
		}
		_, err = w.m.CreateEmployer(auditor, market.CreateEmployerInput{Name: "Audit Co", Location: &place})
		if !errors.Is(err, privacy.Deny) {
			t.Errorf("the auditor founding an employer: %v", err)
		}
	})
}

// avg formats the mean credit of organisations, one decimal.
func avg(scores ...int) string {
	sum := 0
	for _, s := range scores {
		sum += s
	}
	return strconv.FormatFloat(float64(sum)/float64(len(scores)), 'f', 1, 64)
}
