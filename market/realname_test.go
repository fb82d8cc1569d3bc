package market_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"flexwork/ent/employer"
	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/realname"
	"flexwork/ent/schema/enum"
	"flexwork/ent/shift"
	"flexwork/ent/viewer"
	"flexwork/market"
	"flexwork/market/jurisdiction"
	"flexwork/money"
)

// TestAYuanPayoutWaitsForARealName: Ana earns 75 yuan and asks for a
// payout: refused until her real name is verified, and nothing moves. A
// mistyped number is refused by field; Ben's number is Ben's (one
// identity, one account). Her own, submitted, waits for staff (no
// identity service here); a worker may not decide it, staff do, and her
// payout goes. The stored row holds her number sealed, not in clear; she
// reads it whole, staff read it masked. Both databases.
func TestAYuanPayoutWaitsForARealName(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		w := newWorld(t, db)
		staff := w.staff()
		if _, err := w.m.SetFundingTerms(staff, market.FundingTermsInput{EmployerID: w.emp, Terms: employer.FundingTermsPREFUNDED}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.m.ConfirmFunding(staff, market.FundingInput{EmployerID: w.emp, Amount: market.Money{Amount: 100000, Currency: "CNY"}, Reference: "CN 1"}); err != nil {
			t.Fatal(err)
		}
		start := w.now.Add(24 * time.Hour)
		s, err := w.m.CreateShift(w.manager, market.CreateShiftInput{EmployerID: w.emp, Title: "Picker", EngagementType: enum.PartTime,
			Address: "Lager 1", Location: place, StartsAt: start, EndsAt: start.Add(5 * time.Hour), TimeZone: "Europe/Berlin",
			Pay: market.Money{Amount: 1500, Currency: "CNY"}, PayUnit: shift.PayUnitHOUR, Slots: 1})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.m.PublishShift(w.manager, s.Shift.ID); err != nil {
			t.Fatal(err)
		}
		ana := w.worker("Ana")
		ts := w.work(ana, s.Shift, w.hire(ana, s.Shift))
		if _, err := w.m.ApproveTimesheet(w.manager, market.ApproveInput{TimesheetID: ts.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.m.SetBankAccount(ana, market.BankAccountInput{HolderName: "Ana", BankName: "中国银行", AccountNumber: "6222020200000000006"}); err != nil {
			t.Fatal(err)
		}
		balance := func() int64 {
			b, _ := money.Balance(sys, db.Client, money.Account{Kind: money.WorkerBalance, Owner: viewer.FromContext(ana).WorkerID, Currency: "CNY"})
			return b
		}
		if _, err := w.m.RequestPayout(ana, market.PayoutInput{Currency: "CNY"}); code(err) != "REAL_NAME_REQUIRED" || balance() != 7500 {
			t.Fatalf("a payout before a real name: %v, balance %d", err, balance())
		}
		if _, err := w.m.SubmitRealName(ana, market.RealNameInput{LegalName: "Ana", IDNumber: "110105194912310021"}); code(err) != "BAD_USER_INPUT" {
			t.Fatalf("a mistyped number: %v", err)
		}
		ben := w.worker("Ben")
		bens := jurisdiction.ResidentID(time.Date(1970, 5, 5, 0, 0, 0, 0, time.UTC), 31)
		if _, err := w.m.SubmitRealName(ben, market.RealNameInput{LegalName: "Ben", IDNumber: bens}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.m.SubmitRealName(ana, market.RealNameInput{LegalName: "Ana", IDNumber: bens}); code(err) != "IDENTITY_IN_USE" {
			t.Fatalf("Ben's number for Ana: %v", err)
		}
		anas := jurisdiction.ResidentID(time.Date(1995, 8, 9, 0, 0, 0, 0, time.UTC), 32)
		got, err := w.m.SubmitRealName(ana, market.RealNameInput{LegalName: " Ana Lima ", IDNumber: anas})
		if err != nil || got.RealName.Status != realname.StatusPENDING || got.RealName.LegalName != "Ana Lima" ||
			got.RealName.IDNumberMasked != jurisdiction.MaskID(anas) {
			t.Fatalf("Ana's real name: %+v, %v", got, err)
		}
		if _, err := w.m.RequestPayout(ana, market.PayoutInput{Currency: "CNY"}); code(err) != "REAL_NAME_REQUIRED" {
			t.Fatalf("a payout while the real name waits: %v", err)
		}
		decide := market.DecideRealNameInput{UserID: viewer.FromContext(ana).UserID, Verified: true}
		if _, err := w.m.DecideRealName(ben, decide); code(err) != "FORBIDDEN" {
			t.Fatalf("a worker deciding a real name: %v", err)
		}
		if _, err := w.m.DecideRealName(staff, decide); err != nil {
			t.Fatal(err)
		}
		if _, err := w.m.DecideRealName(staff, decide); code(err) != "REAL_NAME_NOT_PENDING" {
			t.Fatalf("deciding twice: %v", err)
		}
		if p, err := w.m.RequestPayout(ana, market.PayoutInput{Currency: "CNY"}); err != nil || p.Payout.Amount != 7500 || balance() != 0 {
			t.Fatalf("a payout after the real name: %+v, %v", p, err)
		}

		row := db.RealName.Query().Where(realname.UserID(viewer.FromContext(ana).UserID)).OnlyX(sys)
		if bytes.Contains(row.IDNumberSealed, []byte(anas)) || row.IDNumberDigest == nil || *row.IDNumberDigest == anas {
			t.Fatalf("the number is stored in clear")
		}
		for _, c := range []struct {
			who  string
			ctx  context.Context
			want *string
		}{{"Ana", ana, &anas}, {"staff", staff, nil}, {"Ben", ben, nil}} {
			n, err := w.m.RealNameNumber(c.ctx, row)
			if err != nil || (c.want == nil) != (n == nil) || (n != nil && *n != *c.want) {
				t.Fatalf("%s reads the number as %v, %v", c.who, n, err)
			}
		}
	})
}
