package notifications

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"testing"
	"time"

	"flexwork/ent"
	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/membership"
	"flexwork/ent/notification"
	"flexwork/ent/rule"
	"flexwork/i18n"
	"flexwork/market"
)

// heardBy is, written out here apart from WhoHears, whose inbox each event
// reaches. An event not listed reaches no inbox: it is live only
// (shortlisting, check-in), or others tell of it (a cancelled shift's hires
// hear of their cancelled hire; an accepted offer is a hire).
var heardBy = map[market.EventKind][]string{
	market.OfferCreated: {"worker"}, market.OfferExpiringSoon: {"worker"}, market.OfferRevoked: {"worker"},
	market.OfferExpired: {"worker", "employer"}, market.OfferDeclined: {"employer"},
	market.ApplicationCreated: {"employer"}, market.ApplicationWithdrawn: {"employer"}, market.ApplicationRejected: {"worker"},
	market.AssignmentCreated: {"employer"}, market.AssignmentReminder: {"worker"}, market.AssignmentCancelled: {"worker", "employer"},
	market.AssignmentNoShow: {"worker"}, market.TimesheetApproved: {"worker"}, market.TimesheetDisputed: {"employer"},
	market.PaymentMarked: {"worker"}, market.PaymentNotReceived: {"employer"}, market.PaymentOverdue: {"worker", "employer"},
	market.ReviewRequested: {"worker", "employer"}, market.ReviewReported: {"staff"},
	market.CertificationSubmitted: {"staff"}, market.CertificationVerified: {"worker"}, market.CertificationRejected: {"worker"},
	market.CertificationExpiring: {"worker"}, market.CertificationExpired: {"worker"}, market.CertificationRevoked: {"worker"},
	market.MemberInvited: {"named"}, market.ReviewReportDecided: {"named"},
	market.RoleChanged: {"named"}, market.MemberRemoved: {"named"}, market.MemberLeft: {"employer"}, market.MemberJoined: {"employer"}, market.InvitationDeclined: {"employer"},
	market.CreditChanged: {"worker", "employer"}, market.CreditDisputeOpened: {"staff", "worker", "employer"}, market.CreditDisputeAnswered: {"staff"},
	market.CreditDisputeResolved: {"worker", "employer"},
	market.CheckOutMissed:        {"worker", "employer"}, market.TimeClaimed: {"employer"},
	market.TimesheetCorrectionProposed: {"employer"}, market.TimesheetEscalated: {"staff", "worker", "employer"},
	market.TimesheetDecided: {"worker", "employer"}, market.CancellationFeeOwed: {"worker", "employer"},
	market.ShiftChanged:    {"worker"},
	market.BackfillStandby: {"employer"}, market.BackfillRoster: {"employer"}, market.BackfillMatched: {"employer"},
	market.BackfillExhausted: {"employer"}, market.ShiftReopened: {}, market.ShiftBoosted: {"employer"},
	market.PayoutRequested: {}, market.PayoutPaid: {"worker"}, market.PayoutReturned: {"worker"},
}

// TestEveryPartyHearsWhatConcernsThem fires every event the market has and
// checks each party's inbox: the worker, the employer's owners and
// managers (not its viewers), staff, a user the event names (an invitee, a
// reporter) — and never the user who
// made the change.
func TestEveryPartyHearsWhatConcernsThem(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		ctx := context.Background()
		sys := rule.System(ctx)
		discard := slog.New(slog.NewTextHandler(io.Discard, nil))
		svc := New(db, NewLocalBroker(), LogSender{Log: discard}, LogMailer{Log: discard}, discard, nil)
		if err := svc.Bind(market.New(db, market.WithEvents(svc)), Config{}); err != nil {
			t.Fatal(err)
		}
		user := func(name string) *ent.User { return db.User.Create().SetDisplayName(name).SaveX(sys) }
		ana, olga, max, vic, sam, ida := user("Ana"), user("Olga"), user("Max"), user("Vic"), user("Sam"), user("Ida")
		db.User.UpdateOneID(sam.ID).SetIsStaff(true).ExecX(sys)
		worker := db.WorkerProfile.Create().SetUserID(ana.ID).SaveX(sys)
		emp := db.Employer.Create().SetName("Spree Logistics").SaveX(sys)
		for u, role := range map[string]membership.Role{olga.ID: membership.RoleOWNER, max.ID: membership.RoleMANAGER, vic.ID: membership.RoleVIEWER} {
			db.Membership.Create().SetEmployerID(emp.ID).SetUserID(u).SetRole(role).ExecX(sys)
		}
		parties := map[string][]string{"worker": {ana.ID}, "employer": {olga.ID, max.ID}, "staff": {sam.ID}, "named": {ida.ID}}
		everyone := []string{ana.ID, olga.ID, max.ID, vic.ID, sam.ID, ida.ID}

		if kinds := eventKinds(t); !slices.Equal(kinds, market.EventKinds) {
			t.Fatalf("market.EventKinds is not every kind market/events.go declares:\n%v\n%v", market.EventKinds, kinds)
		}
		for i, kind := range market.EventKinds {
			e := market.Event{Kind: kind, ID: "evt_" + strconv.Itoa(i), ShiftID: "shf_x", WorkerID: worker.ID, EmployerID: emp.ID,
				UserID: ida.ID, Email: "ida@example.com", Title: "Warehouse picker", When: time.Now().Add(24 * time.Hour)}
			if kind == market.ShiftPublished {
				e.ShiftID = e.ID // the fan-out reads the shift; it has no inbox of its own here
			}
			if err := entdb.InTx(sys, db.Client, func(ctx context.Context, c *ent.Client) error { return svc.Emit(ctx, c, e) }); err != nil {
				if kind != market.ShiftPublished {
					t.Fatalf("%s: %v", kind, err)
				}
			}
			var want []string
			for _, p := range heardBy[kind] {
				want = append(want, parties[p]...)
			}
			for _, u := range everyone {
				n := db.Notification.Query().Where(notification.UserID(u), notification.SubjectID(e.ID)).CountX(sys)
				if hears := slices.Contains(want, u); (n == 1) != hears || n > 1 {
					t.Errorf("%s: %s has %d notices, want %v", kind, name(db, u), n, hears)
				}
			}
		}

		// Who made a change is not told of it: a worker who cancels does
		// not hear of her own cancellation; the employer does.
		e := market.Event{Kind: market.AssignmentCancelled, ID: "asg_by_ana", WorkerID: worker.ID, EmployerID: emp.ID, Title: "Picker", By: ana.ID}
		if err := entdb.InTx(sys, db.Client, func(ctx context.Context, c *ent.Client) error { return svc.Emit(ctx, c, e) }); err != nil {
			t.Fatal(err)
		}
		if n := db.Notification.Query().Where(notification.SubjectID(e.ID)).CountX(sys); n != 2 ||
			db.Notification.Query().Where(notification.SubjectID(e.ID), notification.UserID(ana.ID)).ExistX(sys) {
			t.Fatalf("a cancellation by the worker reached %d inboxes, hers among them or the employer's missing", n)
		}
	})
}

func name(db *entdb.DB, id string) string {
	return db.User.GetX(rule.System(context.Background()), id).DisplayName
}

// eventKinds reads every EventKind the market declares, so that a new kind
// must be placed in heardBy (or be live only) before this test passes.
func eventKinds(t *testing.T) []market.EventKind {
	f, err := parser.ParseFile(token.NewFileSet(), "../market/events.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []market.EventKind
	ast.Inspect(f, func(n ast.Node) bool {
		if spec, ok := n.(*ast.ValueSpec); ok {
			if id, ok := spec.Type.(*ast.Ident); ok && id.Name == "EventKind" {
				for _, v := range spec.Values {
					s, _ := strconv.Unquote(v.(*ast.BasicLit).Value)
					kinds = append(kinds, market.EventKind(s))
				}
			}
		}
		return true
	})
	if len(kinds) < 30 {
		t.Fatalf("read %d event kinds from market/events.go", len(kinds))
	}
	return kinds
}

// TestEveryNoticeHasItsTexts: every notice in the table has a title in
// i18n's messages (and so, by TestEveryMessageIsInEveryLanguage, in every
// language).
func TestEveryNoticeHasItsTexts(t *testing.T) {
	for kind, hs := range WhoHears {
		for _, h := range hs {
			if !i18n.Has("notice." + h.Key + ".title") {
				t.Errorf("%s: no message notice.%s.title", kind, h.Key)
			}
		}
	}
}

// TestANoticeIsInTheReadersLanguage: of the two parties of one event, the
// one who reads Chinese gets it in Chinese, the other in English.
func TestANoticeIsInTheReadersLanguage(t *testing.T) {
	db := entdbtest.Open(t, "sqlite3")
	sys := rule.System(context.Background())
	discard := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := New(db, NewLocalBroker(), LogSender{Log: discard}, LogMailer{Log: discard}, discard, nil)
	if err := svc.Bind(market.New(db, market.WithEvents(svc)), Config{}); err != nil {
		t.Fatal(err)
	}
	li := db.User.Create().SetDisplayName("Li Na").SetLocale("zh-CN").SaveX(sys)
	olga := db.User.Create().SetDisplayName("Olga").SaveX(sys)
	worker := db.WorkerProfile.Create().SetUserID(li.ID).SaveX(sys)
	emp := db.Employer.Create().SetName("Spree Logistics").SaveX(sys)
	db.Membership.Create().SetEmployerID(emp.ID).SetUserID(olga.ID).SetRole(membership.RoleOWNER).ExecX(sys)
	e := market.Event{Kind: market.AssignmentCancelled, ID: "asg_1", WorkerID: worker.ID, EmployerID: emp.ID, Title: "仓库拣货员"}
	if err := entdb.InTx(sys, db.Client, func(ctx context.Context, c *ent.Client) error { return svc.Emit(ctx, c, e) }); err != nil {
		t.Fatal(err)
	}
	for u, want := range map[string]string{li.ID: "录用已取消：仓库拣货员", olga.ID: "A hire was cancelled: 仓库拣货员"} {
		n := db.Notification.Query().Where(notification.UserID(u)).OnlyX(sys)
		if n.Title != want {
			t.Errorf("the notice reads %q, want %q", n.Title, want)
		}
	}
}

// TestANewShiftIsPushedInTheReadersLanguage: the push of a shift near a
// worker, in both languages, with the day and times where the shift is.
func TestANewShiftIsPushedInTheReadersLanguage(t *testing.T) {
	start := time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC) // Monday 09:00 in Shanghai
	sh := &ent.Shift{Title: "仓库拣货员", TimeZone: "Asia/Shanghai", StartsAt: start, EndsAt: start.Add(8 * time.Hour), PayRate: 2600, Currency: "EUR"}
	if got := shiftPush(sh, i18n.Chinese, ""); got[0] != "附近的新班次：仓库拣货员" || got[1] != "12月7日 周一 09:00–17:00 · 26.00 EUR" {
		t.Errorf("in Chinese: %q", got)
	}
	if got := shiftPush(sh, i18n.English, ""); got[0] != "New shift near you: 仓库拣货员" || got[1] != "Mon 7 Dec, 09:00–17:00 · 26.00 EUR" {
		t.Errorf("in English: %q", got)
	}
}
