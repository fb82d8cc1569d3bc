package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/rule"
	"flexwork/ent/shift"
	"flexwork/ent/viewer"
	"flexwork/server/demo"
	"flexwork/server/servertest"
)

// TestTheDemoShowsWhatTheREADMESays walks the demo city as the README's
// accounts: worker1 has a shift to check in to now, offers, a paid and
// reviewed past and a licence waiting; the café's owner a timesheet to
// approve and an employer credit of wages paid on time; staff a licence to
// review and a no-show dispute with both sides; and nearly every worker
// may take some shift.
func TestTheDemoShowsWhatTheREADMESays(t *testing.T) {
	db := entdbtest.Open(t, "sqlite3")
	env := servertest.Start(t, db)
	if _, err := demo.Seed(context.Background(), db.Client, env.Server, 1); err != nil {
		t.Fatal(err)
	}
	signIn := func(email string) servertest.Account {
		var out struct {
			SignIn struct {
				AccessToken string
				User        struct{ ID string }
			}
		}
		env.MustOp("", "SignIn", input(map[string]any{"email": email, "password": demo.Password}), &out)
		return servertest.Account{ID: out.SignIn.User.ID, Email: email, Token: out.SignIn.AccessToken}
	}
	worker1, owner, staff := signIn("worker1@demo.flexwork"), signIn("owner@cafe-linde.demo"), signIn("staff@demo.flexwork")

	// worker1: a shift starting within the hour, which they check in to.
	var mine struct {
		Viewer struct {
			WorkerProfile struct {
				ID          string
				Assignments struct {
					Edges []struct {
						Node struct {
							ID, Status string
							StartsAt   time.Time
							Shift      struct{ Lat, Lng float64 }
						}
					}
				}
			}
		}
	}
	env.MustOp(worker1.Token, "MyShifts", map[string]any{"first": 50}, &mine)
	now, checkedIn, worked := env.Clock.Now(), false, 0
	for _, e := range mine.Viewer.WorkerProfile.Assignments.Edges {
		a := e.Node
		if a.Status == "PAID" {
			worked++
		}
		if a.Status == "SCHEDULED" && a.StartsAt.After(now) && a.StartsAt.Before(now.Add(time.Hour)) {
			env.MustOp(worker1.Token, "CheckIn", input(map[string]any{"assignmentID": a.ID,
				"location": map[string]any{"lat": a.Shift.Lat, "lng": a.Shift.Lng}}), &struct{}{})
			checkedIn = true
		}
	}
	if !checkedIn || worked < 3 {
		t.Fatalf("worker1: checked in %v, %d shifts worked and paid; want a shift within the hour and 3 paid", checkedIn, worked)
	}
	var offers struct {
		Viewer struct {
			WorkerProfile struct {
				Offers struct {
					Edges []struct{ Node struct{ Status string } }
				}
			}
		}
	}
	env.MustOp(worker1.Token, "MyOffers", map[string]any{"first": 20}, &offers)
	pending := 0
	for _, e := range offers.Viewer.WorkerProfile.Offers.Edges {
		if e.Node.Status == "PENDING" {
			pending++
		}
	}
	var reviews struct {
		Viewer struct {
			WorkerProfile struct{ Reviews struct{ Edges []struct{} } }
		}
	}
	env.MustOp(worker1.Token, "MyReviews", map[string]any{"first": 20}, &reviews)
	if pending < 2 || len(reviews.Viewer.WorkerProfile.Reviews.Edges) < 3 {
		t.Fatalf("worker1: %d pending offers, %d reviews; want 2 and 3", pending, len(reviews.Viewer.WorkerProfile.Reviews.Edges))
	}
	if kinds := creditKinds(t, env, worker1, mine.Viewer.WorkerProfile.ID); kinds["SHIFT_COMPLETED"] < 3 {
		t.Fatalf("worker1's credit history: %v", kinds)
	}

	// The café's owner: yesterday's timesheet to approve, wages paid on time.
	var emp struct {
		Viewer struct {
			Memberships []struct{ Employer struct{ ID string } }
		}
	}
	env.Must(owner.Token, `{ viewer { memberships { employer { id } } } }`, nil, &emp)
	cafe := emp.Viewer.Memberships[0].Employer.ID
	var sheets struct {
		Node struct {
			Shifts struct {
				Edges []struct {
					Node struct {
						Assignments struct {
							Edges []struct {
								Node struct{ Timesheet *struct{ Status string } }
							}
						}
					}
				}
			}
		}
	}
	env.Must(owner.Token, `query($id: ID!) { node(id: $id) { ... on Employer { shifts(first: 50) { edges { node {
		assignments(first: 10) { edges { node { timesheet { status } } } } } } } } } }`, map[string]any{"id": cafe}, &sheets)
	waiting := 0
	for _, s := range sheets.Node.Shifts.Edges {
		for _, a := range s.Node.Assignments.Edges {
			if a.Node.Timesheet != nil && a.Node.Timesheet.Status == "SUBMITTED" {
				waiting++
			}
		}
	}
	if kinds := creditKinds(t, env, owner, cafe); waiting != 1 || kinds["WAGE_PAID_ON_TIME"] < 1 {
		t.Fatalf("the café: %d timesheets waiting, credit %v; want 1 and wages paid on time", waiting, kinds)
	}

	// Staff: worker1's licence in the queue, a no-show dispute with both sides.
	var queue struct {
		CertificationQueue struct{ TotalCount int }
	}
	env.MustOp(staff.Token, "CertificationQueue", map[string]any{"first": 10}, &queue)
	var disputes struct {
		CreditDisputes struct {
			Edges []struct {
				Node struct{ Reason, Response string }
			}
		}
	}
	env.MustOp(staff.Token, "OpenCreditDisputes", map[string]any{"first": 10}, &disputes)
	if d := disputes.CreditDisputes.Edges; queue.CertificationQueue.TotalCount != 1 || len(d) != 1 || d[0].Node.Reason == "" || d[0].Node.Response == "" {
		t.Fatalf("staff: %d certificates waiting, disputes %+v", queue.CertificationQueue.TotalCount, d)
	}

	// Nearly every demo worker may take some shift of the coming days.
	sys := rule.System(context.Background())
	open := db.Shift.Query().Where(shift.StatusEQ(shift.StatusPUBLISHED)).IDsX(sys)
	idle := 0
	for _, p := range db.WorkerProfile.Query().AllX(sys) {
		ctx := viewer.NewContext(context.Background(), &viewer.Viewer{UserID: p.UserID, WorkerID: p.ID})
		some := false
		for _, id := range open {
			if e, err := env.Server.Market.Eligibility(ctx, id); err == nil && e.Eligible {
				some = true
				break
			}
		}
		if !some {
			idle++
		}
	}
	if idle > 4 {
		t.Fatalf("%d of 40 demo workers may take no shift", idle)
	}
}

// creditKinds counts the credit events of a report by kind.
func creditKinds(t *testing.T, env *servertest.Env, who servertest.Account, subject string) map[string]int {
	t.Helper()
	var out struct {
		CreditReport struct {
			Factors []struct{ Events []struct{ Kind string } }
		}
	}
	env.MustOp(who.Token, "CreditReport", map[string]any{"subjectID": subject}, &out)
	kinds := map[string]int{}
	for _, f := range out.CreditReport.Factors {
		for _, e := range f.Events {
			kinds[e.Kind]++
		}
	}
	return kinds
}

// TestTheShanghaiDemoSpeaksChinese walks the Chinese demo city as the
// README's accounts: 李娜 (sh-worker1) holds a dispatch hire whose contract
// the warehouse, the agency and she have signed, in Chinese first; the
// agency sees that hire; the Shanghai shifts pay in yuan under CN law.
func TestTheShanghaiDemoSpeaksChinese(t *testing.T) {
	db := entdbtest.Open(t, "sqlite3")
	env := servertest.Start(t, db)
	if _, err := demo.Seed(context.Background(), db.Client, env.Server, 1); err != nil {
		t.Fatal(err)
	}
	signIn := func(email string) servertest.Account {
		var out struct{ SignIn struct{ AccessToken string } }
		env.MustOp("", "SignIn", input(map[string]any{"email": email, "password": demo.Password}), &out)
		return servertest.Account{Email: email, Token: out.SignIn.AccessToken}
	}
	li, agency := signIn("sh-worker1@demo.flexwork"), signIn("owner@shencheng-hr.demo")
	var mine struct {
		Viewer struct {
			Locale        string
			WorkerProfile struct {
				Assignments struct {
					Edges []struct {
						Node struct {
							Status   string
							Contract struct {
								ID, Body                                         string
								WorkerSignedAt, EmployerSignedAt, AgencySignedAt *time.Time
							}
							Shift struct {
								EngagementType string
								Pay            struct{ Currency string }
							}
						}
					}
				}
			}
		}
	}
	env.Must(li.Token, `{ viewer { locale workerProfile { assignments(first: 10) { edges { node { status
		contract { id body workerSignedAt employerSignedAt agencySignedAt } shift { engagementType pay { currency } } } } } } } }`, nil, &mine)
	edges := mine.Viewer.WorkerProfile.Assignments.Edges
	if mine.Viewer.Locale != "zh-CN" || len(edges) != 1 {
		t.Fatalf("李娜: locale %q, %d hires; want zh-CN and 1", mine.Viewer.Locale, len(edges))
	}
	a := edges[0].Node
	k := a.Contract
	if a.Shift.EngagementType != "DISPATCH" || a.Shift.Pay.Currency != "CNY" || k.WorkerSignedAt == nil || k.EmployerSignedAt == nil ||
		k.AgencySignedAt == nil || !strings.HasPrefix(k.Body, "以中文文本为准") && !strings.Contains(k.Body[:200], "灵活用工合同") {
		t.Fatalf("李娜's hire: %+v", a)
	}
	var seen struct{ Node *struct{ ID string } }
	env.Must(agency.Token, `query($id: ID!) { node(id: $id) { ... on Contract { id } } }`, map[string]any{"id": k.ID}, &seen)
	if seen.Node == nil {
		t.Fatal("the agency does not see the contract it signed")
	}
}
