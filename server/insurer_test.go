package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/market/insurer"
	"flexwork/market/insurer/insurerfake"
	"flexwork/market/jurisdiction"
	"flexwork/server"
	"flexwork/server/servertest"
)

// TestFlexworkInsuresItsGigWorkersThroughTheInsurer: a platform gig hire
// in Shanghai is enrolled in occupational-injury protection through the
// insurer's API, under the worker's verified legal name, by a job after
// the hire; she sees the policy and checks in with it. A second hire,
// cancelled, has its policy cancelled at the insurer. Both databases.
func TestFlexworkInsuresItsGigWorkersThroughTheInsurer(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		ins := insurerfake.Start()
		defer ins.Close()
		env := servertest.Start(t, db, servertest.WithJobs(), servertest.WithDeps(func(d *server.Deps) {
			d.Insurer = insurer.New(ins.URL, insurerfake.Key)
		}))
		env.Clock.Advance(time.Until(env.Clock.Now()) * -1) // jobs run on the wall clock
		sam := makeStaff(t, env, db, "sam@example.com")
		wang := env.SignUpIn("zh-CN", "wang@example.cn", "王经理")
		li := env.SignUpIn("zh-CN", "lina@example.cn", "李娜")
		env.MustOp(li.Token, "UpdateWorkerProfile", input(map[string]any{"headline": "骑手", "homeLocation": shanghaiHome}), &struct{}{})
		var org struct {
			CreateEmployer struct{ Employer struct{ ID string } }
		}
		env.MustOp(wang.Token, "CreateEmployer", input(map[string]any{"name": "闪送同城", "kind": "EMPLOYER", "jurisdiction": "CN"}), &org)
		emp := org.CreateEmployer.Employer.ID
		env.MustOp(wang.Token, "SubmitBusinessLicence", input(map[string]any{"employerID": emp, "creditCode": jurisdiction.CreditCode(9)}), &struct{}{})
		env.MustOp(sam.Token, "DecideBusinessLicence", input(map[string]any{"employerID": emp, "verified": true}), &struct{}{})
		env.MustOp(li.Token, "SubmitRealName", input(map[string]any{"legalName": "李娜", "idNumber": jurisdiction.ResidentID(time.Date(1999, 9, 9, 0, 0, 0, 0, time.UTC), 3)}), &struct{}{})
		env.MustOp(sam.Token, "DecideRealName", input(map[string]any{"userID": li.ID, "verified": true}), &struct{}{})

		gig := func(in time.Duration) string {
			var created struct {
				CreateShift struct{ Shift struct{ ID string } }
			}
			start := env.Clock.Now().Add(in)
			env.MustOp(wang.Token, "CreateShift", dispatchShift(env, emp, "", map[string]any{"engagementType": "PLATFORM_GIG", "agencyID": nil,
				"postNature": nil, "postMonths": nil, "title": "同城配送", "startsAt": start.Format(time.RFC3339), "endsAt": start.Add(4 * time.Hour).Format(time.RFC3339)}), &created)
			env.MustOp(wang.Token, "PublishShift", input(map[string]any{"shiftID": created.CreateShift.Shift.ID}), &struct{}{})
			return created.CreateShift.Shift.ID
		}
		first, second := newChain(t, env, wang, li, apply(env, li, gig(time.Hour))), newChain(t, env, wang, li, apply(env, li, gig(30*time.Hour)))
		first.hire()
		second.hire()

		const coverQ = `query($id: ID!) { node(id: $id) { ... on Assignment { coverRequired { kind payer } cover { policyNumber insurer status } } } }`
		type seen struct {
			Node struct {
				CoverRequired struct{ Kind, Payer string }
				Cover         *struct{ PolicyNumber, Insurer, Status string }
			}
		}
		var got seen
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			got = seen{}
			env.Must(li.Token, coverQ, map[string]any{"id": first.assignment}, &got)
			if got.Node.Cover != nil || time.Now().After(deadline) {
				break
			}
		}
		policies := ins.Policies()
		p, ok := policies[first.assignment]
		if got.Node.Cover == nil || !ok || got.Node.Cover.PolicyNumber != p.PolicyNumber || p.InsuredName != "李娜" ||
			p.Product != "OCCUPATIONAL_INJURY" || got.Node.CoverRequired.Payer != "PLATFORM" {
			t.Fatalf("Li's cover %+v, the insurer's policies %+v", got.Node, policies)
		}
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			if _, ok := ins.Policies()[second.assignment]; ok {
				break
			} else if time.Now().After(deadline) {
				t.Fatal("the second hire was never enrolled")
			}
		}
		// Her certificate of cover, as a PDF; nobody outside the hire gets it.
		var cert struct {
			Node struct {
				Cover struct{ ID, CertificatePath string }
			}
		}
		env.Must(li.Token, `query($id: ID!) { node(id: $id) { ... on Assignment { cover { id certificatePath } } } }`, map[string]any{"id": first.assignment}, &cert)
		text := contractPDFText(t, env, li.Token, cert.Node.Cover.CertificatePath)
		for _, want := range []string{"李娜", p.PolicyNumber, "OCCUPATIONAL_INJURY", "Policyorenrolmentnumber"} {
			if !strings.Contains(text, want) {
				t.Errorf("the certificate lacks %q:\n%s", want, text)
			}
		}
		stranger := env.SignUp("eve@example.com", "Eve")
		if status := getStatus(t, env, stranger.Token, cert.Node.Cover.CertificatePath); status != http.StatusNotFound {
			t.Errorf("a stranger's certificate download: %d", status)
		}
		env.MustOp(li.Token, "CancelAssignment", input(map[string]any{"assignmentID": second.assignment, "reason": "家里有事"}), &struct{}{})
		for deadline := time.Now().Add(20 * time.Second); !ins.Policies()[second.assignment].Cancelled; time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("the cancelled hire's policy: %+v", ins.Policies()[second.assignment])
			}
		}
		first.workAndApprove() // checks in with the cover
	})
}
