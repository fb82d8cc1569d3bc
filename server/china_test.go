package server_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	pdfread "github.com/ledongthuc/pdf"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/market/idcheck"
	"flexwork/market/idcheck/idcheckfake"
	"flexwork/market/jurisdiction"
	"flexwork/server"
	"flexwork/server/servertest"
)

var (
	shanghaiWarehouse = map[string]any{"lat": 31.2304, "lng": 121.4737}
	shanghaiHome      = map[string]any{"lat": 31.2400, "lng": 121.4800}
	english           = http.Header{"Accept-Language": {"en"}}
)

// dispatchShift is a dispatch shift in Shanghai as the using unit's tablet
// posts it; extra overrides fields.
func dispatchShift(env *servertest.Env, employer, agency string, extra map[string]any) map[string]any {
	start := env.Clock.Now().Add(3 * time.Hour)
	in := map[string]any{
		"employerID": employer, "title": "仓库分拣员", "engagementType": "DISPATCH", "agencyID": agency,
		"address": "上海市浦东新区物流园 1 号", "location": shanghaiWarehouse,
		"startsAt": start.Format(time.RFC3339), "endsAt": start.Add(4 * time.Hour).Format(time.RFC3339),
		"timeZone": "Asia/Shanghai", "pay": map[string]any{"amount": 3000, "currency": "CNY"}, "payUnit": "HOUR", "slots": 1,
		"postNature": "TEMPORARY", "postMonths": 3,
	}
	for k, v := range extra {
		if v == nil {
			delete(in, k)
		} else {
			in[k] = v
		}
	}
	return input(in)
}

// TestADispatchHireInChineseFromSignUpToPaid: the whole story of a CN
// dispatch hire through the apps' operations, every person on a phone set
// to Chinese: the law's refusals explained in Chinese (and in English to
// whoever asks in English), three parties, three signatures, a bilingual
// contract and its PDF, the wage marked paid and confirmed.
func TestADispatchHireInChineseFromSignUpToPaid(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		ids := idcheckfake.Start()
		defer ids.Close()
		env := servertest.Start(t, db, servertest.WithDeps(func(d *server.Deps) { d.RealNameCheck = idcheck.New(ids.URL, idcheckfake.AppCode) }))
		sam := makeStaff(t, env, db, "sam@example.com")
		wang := env.SignUpIn("zh-CN", "wang@example.cn", "王经理")
		zhao := env.SignUpIn("zh-CN", "zhao@example.cn", "赵主管")
		stranger := env.SignUpIn("zh-CN", "chen@example.cn", "陈某")
		li := env.SignUpIn("zh-CN,zh;q=0.9", "lina@example.cn", "李娜")
		env.MustOp(li.Token, "UpdateWorkerProfile", input(map[string]any{"headline": "分拣", "homeLocation": shanghaiHome}), &struct{}{})

		org := func(who servertest.Account, name, kind string) string {
			var out struct {
				CreateEmployer struct{ Employer struct{ ID string } }
			}
			env.MustOp(who.Token, "CreateEmployer", input(map[string]any{"name": name, "kind": kind, "jurisdiction": "CN"}), &out)
			return out.CreateEmployer.Employer.ID
		}
		unit, agency := org(wang, "浦东物流仓", "EMPLOYER"), org(zhao, "申城人力", "AGENCY")

		// Nothing is posted in China before staff verify the organisation's
		// business licence: a code with a wrong check character is refused
		// by field, a stranger may not submit one, and a worker may not
		// decide one.
		if r := env.Op(wang.Token, "CreateShift", dispatchShift(env, unit, agency, nil)); lawRules(t, r) != "CN_BUSINESS_LICENCE" || !strings.Contains(r.Errors[0].Message, "营业执照") {
			t.Fatalf("posting before the licence is verified: %s %v", r.Code(), r.Errors)
		}
		licence := func(who servertest.Account, emp, code string) servertest.Response {
			return env.Op(who.Token, "SubmitBusinessLicence", input(map[string]any{"employerID": emp, "creditCode": code}))
		}
		if r := licence(wang, unit, "91350100M000100Y44"); r.Code() != "BAD_USER_INPUT" || strings.Join(r.Fields(), ",") != "creditCode" {
			t.Fatalf("a mistyped credit code: %s %v", r.Code(), r.Errors)
		}
		if r := licence(stranger, unit, "91350100M000100Y43"); r.Code() != "NOT_FOUND" {
			t.Fatalf("a stranger submitting the licence: %s %v", r.Code(), r.Errors)
		}
		if r := licence(wang, unit, "91350100m000100y43"); r.Code() != "" {
			t.Fatalf("the licence: %v", r.Errors)
		}
		decide := input(map[string]any{"employerID": unit, "verified": true})
		if r := env.Op(wang.Token, "DecideBusinessLicence", decide); r.Code() != "FORBIDDEN" {
			t.Fatalf("an employer deciding its own licence: %s %v", r.Code(), r.Errors)
		}
		env.MustOp(sam.Token, "DecideBusinessLicence", decide, &struct{}{})

		// The law refuses a dispatch post with no nature, in Chinese by the
		// stored language and in English to an English request.
		bad := dispatchShift(env, unit, agency, map[string]any{"postNature": nil, "postMonths": nil})
		r := env.Op(wang.Token, "CreateShift", bad)
		if r.Code() != "LAW_RULE_FAILED" || lawRules(t, r) != "CN_DISPATCH_POST" || !strings.Contains(r.Errors[0].Message, "第六十六条") {
			t.Fatalf("a dispatch post of no nature: %s %v", r.Code(), r.Errors)
		}
		if r := env.OpWith(wang.Token, "CreateShift", bad, english); !strings.Contains(r.Errors[0].Message, "art. 66") {
			t.Fatalf("in English: %v", r.Errors)
		}
		if r := env.Op(wang.Token, "CreateShift", dispatchShift(env, unit, agency, map[string]any{"postMonths": 7})); lawRules(t, r) != "CN_DISPATCH_POST" {
			t.Fatalf("a 7-month temporary post: %s %v", r.Code(), r.Errors)
		}
		if r := env.Op(wang.Token, "CreateShift", dispatchShift(env, unit, agency, map[string]any{"pay": map[string]any{"amount": 3000, "currency": "EUR"}})); lawRules(t, r) != "CN_CURRENCY" {
			t.Fatalf("a Shanghai shift in euros: %s %v", r.Code(), r.Errors)
		}
		// Any other refusal reads in Chinese too, with its code unchanged.
		if r := env.Op(wang.Token, "CreateShift", dispatchShift(env, unit, agency, map[string]any{"slots": 0})); r.Code() != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, "slots 不能小于 1") {
			t.Fatalf("bad slots in Chinese: %s %v", r.Code(), r.Errors)
		}

		// The third party must be of the kind the form of work needs, and
		// only dispatch and outsourcing have one.
		if r := env.Op(wang.Token, "CreateShift", dispatchShift(env, unit, unit, nil)); r.Code() != "BAD_USER_INPUT" || strings.Join(r.Fields(), ",") != "agencyID" {
			t.Fatalf("the using unit named as its own agency: %s %v", r.Code(), r.Errors)
		}
		if r := env.Op(wang.Token, "CreateShift", dispatchShift(env, unit, agency, map[string]any{"engagementType": "PART_TIME"})); r.Code() != "BAD_USER_INPUT" || strings.Join(r.Fields(), ",") != "agencyID" {
			t.Fatalf("a part-time shift naming an agency: %s %v", r.Code(), r.Errors)
		}

		var created struct {
			CreateShift struct{ Shift struct{ ID string } }
		}
		env.MustOp(wang.Token, "CreateShift", dispatchShift(env, unit, agency, nil), &created)
		shiftID := created.CreateShift.Shift.ID
		env.MustOp(wang.Token, "PublishShift", input(map[string]any{"shiftID": shiftID}), &struct{}{})
		application := apply(env, li, shiftID)
		offerID := offer(env, wang, application)

		// Nobody is hired in China before their real name is verified, nor
		// placed by an agency that does not employ them.
		r = env.Op(li.Token, "AcceptOffer", input(map[string]any{"offerID": offerID}))
		if r.Code() != "LAW_RULE_FAILED" || lawRules(t, r) != "CN_REAL_NAME,CN_AGENCY_EMPLOYS" || !strings.Contains(r.Errors[0].Message, "实名认证") {
			t.Fatalf("accepting before her real name is verified: %s %v", r.Code(), r.Errors)
		}
		// The identity service knows Li's number under her name: a wrong
		// name is rejected at once with its reason, hers verified at once.
		liNumber := jurisdiction.ResidentID(time.Date(1998, 6, 1, 0, 0, 0, 0, time.UTC), 42)
		ids.Knows("李娜", liNumber)
		var rn struct {
			SubmitRealName struct {
				RealName struct{ Status, Reason, IDNumberMasked string }
			}
		}
		env.MustOp(li.Token, "SubmitRealName", input(map[string]any{"legalName": "李哪", "idNumber": liNumber}), &rn)
		if got := rn.SubmitRealName.RealName; got.Status != "REJECTED" || got.Reason != "不一致" {
			t.Fatalf("a wrong name: %+v", got)
		}
		env.MustOp(li.Token, "SubmitRealName", input(map[string]any{"legalName": "李娜", "idNumber": liNumber}), &rn)
		if got := rn.SubmitRealName.RealName; got.Status != "VERIFIED" || got.IDNumberMasked != jurisdiction.MaskID(liNumber) || ids.Asked() != 2 {
			t.Fatalf("her real name: %+v, the service asked %d times", got, ids.Asked())
		}
		// Nobody else reads it: another user's realName is null to them.
		var peek struct {
			Node *struct{ RealName *struct{ Status string } }
		}
		env.Must(stranger.Token, `query($id: ID!) { node(id: $id) { ... on User { realName { status } } } }`, map[string]any{"id": li.ID}, &peek)
		if peek.Node != nil && peek.Node.RealName != nil {
			t.Fatalf("a stranger reads Li's real name: %+v", peek.Node.RealName)
		}
		// Only the agency's own workers are placed: Li is not employed yet.
		r = env.Op(li.Token, "AcceptOffer", input(map[string]any{"offerID": offerID}))
		if r.Code() != "LAW_RULE_FAILED" || lawRules(t, r) != "CN_AGENCY_EMPLOYS" || !strings.Contains(r.Errors[0].Message, "派遣单位") {
			t.Fatalf("accepting before the agency employs her: %s %v", r.Code(), r.Errors)
		}
		env.MustOp(zhao.Token, "SetRosterEntry", input(map[string]any{"employerID": agency, "workerID": workerID(t, env, li), "kind": "EMPLOYED"}), &struct{}{})
		var hired struct {
			AcceptOffer struct {
				Assignment struct{ ID string }
				Contract   struct {
					ID, Body, PdfPath string
					AgencyID          string
				}
			}
		}
		env.MustOp(li.Token, "AcceptOffer", input(map[string]any{"offerID": offerID}), &hired)
		k := hired.AcceptOffer.Contract
		if k.AgencyID != agency {
			t.Fatalf("the contract's third party is %q, want the agency", k.AgencyID)
		}
		zh, en := strings.Index(k.Body, "第一条 合同各方"), strings.Index(k.Body, "Article 1. Parties")
		if zh < 0 || en < zh || !strings.Contains(k.Body, "用人单位（劳务派遣单位）：申城人力") || !strings.Contains(k.Body, "用工单位：浦东物流仓") ||
			!strings.Contains(k.Body, "劳动者：李娜") || !strings.Contains(k.Body, "以中文文本为准") || !strings.Contains(k.Body, "每小时 ¥30.00") {
			t.Fatalf("the contract is not the bilingual CN dispatch contract:\n%s", k.Body)
		}

		// The agency sees the hire; a stranger does not.
		const contractQ = `query($id: ID!) { node(id: $id) { ... on Contract { id } } }`
		var seen struct{ Node *struct{ ID string } }
		env.Must(zhao.Token, contractQ, map[string]any{"id": k.ID}, &seen)
		if seen.Node == nil {
			t.Fatal("the agency cannot see the contract it is a party to")
		}
		if r := env.Do(stranger.Token, contractQ, map[string]any{"id": k.ID}); r.Code() != "NOT_FOUND" || r.Errors[0].Message != "未找到。" {
			t.Fatalf("a stranger looking the contract up: %s %v", r.Code(), r.Errors)
		}
		if r := env.Op(stranger.Token, "SignContract", input(map[string]any{"contractID": k.ID})); r.Code() != "NOT_FOUND" || r.Errors[0].Message != "未找到。" {
			t.Fatalf("a stranger signing: %s %v", r.Code(), r.Errors)
		}

		// Three signatures; check-in waits for the agency's.
		for _, who := range []servertest.Account{li, wang} {
			env.MustOp(who.Token, "SignContract", input(map[string]any{"contractID": k.ID}), &struct{}{})
		}
		env.Clock.Advance(3 * time.Hour)
		at := input(map[string]any{"assignmentID": hired.AcceptOffer.Assignment.ID, "location": shanghaiWarehouse})
		if r := env.Op(li.Token, "CheckIn", at); r.Code() != "CONTRACT_NOT_SIGNED" || !strings.Contains(r.Errors[0].Message, "签署合同") {
			t.Fatalf("check-in before the agency signed: %s %v", r.Code(), r.Errors)
		}
		var signed struct {
			SignContract struct {
				Contract struct{ AgencySignedAt *time.Time }
			}
		}
		env.MustOp(zhao.Token, "SignContract", input(map[string]any{"contractID": k.ID}), &signed)
		if signed.SignContract.Contract.AgencySignedAt == nil {
			t.Fatal("the agency's signature is not recorded")
		}

		// The contract as a PDF, read back by a PDF text extractor.
		text := contractPDFText(t, env, li.Token, k.PdfPath)
		for _, want := range []string{"灵活用工合同（中华人民共和国）", "申城人力", "劳务派遣", "Article1.Parties", "equalpayforequalwork"} {
			if !strings.Contains(text, want) {
				t.Errorf("the PDF's text lacks %q", want)
			}
		}
		if status := getStatus(t, env, stranger.Token, k.PdfPath); status != http.StatusNotFound {
			t.Errorf("a stranger's PDF download: %d, want 404", status)
		}
		if status := getStatus(t, env, "", k.PdfPath); status != http.StatusUnauthorized {
			t.Errorf("an anonymous PDF download: %d, want 401", status)
		}

		// Check-in waits for the cover the law asks: the agency, her legal
		// employer, carries her social insurance and records it; the using
		// unit may not record it for the agency.
		if r := env.Op(li.Token, "CheckIn", at); r.Code() != "COVER_MISSING" || r.Errors[0].Extensions["payer"] != "AGENCY" {
			t.Fatalf("check-in before the cover: %s %v", r.Code(), r.Errors)
		}
		cover := input(map[string]any{"assignmentID": hired.AcceptOffer.Assignment.ID, "kind": "SOCIAL_INSURANCE",
			"insurer": "上海市社会保险事业管理中心", "policyNumber": "SH-SI-310000-0042",
			"coversFrom": env.Clock.Now().Add(-24 * time.Hour).Format(time.RFC3339), "coversTo": env.Clock.Now().AddDate(0, 6, 0).Format(time.RFC3339)})
		if r := env.Op(wang.Token, "RecordInsuranceCover", cover); r.Code() != "FORBIDDEN" {
			t.Fatalf("the using unit recording the agency's cover: %s %v", r.Code(), r.Errors)
		}
		var covered struct {
			RecordInsuranceCover struct {
				Assignment struct {
					Cover         struct{ PolicyNumber, Kind string }
					CoverRequired struct{ Kind, Payer string }
				}
			}
		}
		env.MustOp(zhao.Token, "RecordInsuranceCover", cover, &covered)
		if a := covered.RecordInsuranceCover.Assignment; a.Cover.PolicyNumber != "SH-SI-310000-0042" || a.CoverRequired.Payer != "AGENCY" {
			t.Fatalf("the hire's cover: %+v", a)
		}

		// Work, approval, payment, confirmation.
		env.MustOp(li.Token, "CheckIn", at, &struct{}{})
		env.Clock.Advance(4 * time.Hour)
		var out struct {
			CheckOut struct{ Timesheet struct{ ID string } }
		}
		env.MustOp(li.Token, "CheckOut", at, &out)
		ts := input(map[string]any{"timesheetID": out.CheckOut.Timesheet.ID})
		env.MustOp(wang.Token, "ApproveTimesheet", ts, &struct{}{})
		// The agency, her employer, pays her, as the contract says.
		env.MustOp(zhao.Token, "MarkPaid", input(map[string]any{"timesheetID": out.CheckOut.Timesheet.ID, "reference": "银行转账 20261201"}), &struct{}{})
		var paid struct {
			ConfirmPayment struct {
				Timesheet struct{ PaymentStatus string }
			}
		}
		env.MustOp(li.Token, "ConfirmPayment", ts, &paid)
		if paid.ConfirmPayment.Timesheet.PaymentStatus != "CONFIRMED" {
			t.Fatalf("payment is %s after confirming", paid.ConfirmPayment.Timesheet.PaymentStatus)
		}

		// The wage counts on the agency's pay record, which paid it, not the
		// warehouse's.
		if kinds := creditKinds(t, env, zhao, agency); kinds["WAGE_PAID_ON_TIME"] != 1 {
			t.Errorf("the agency's credit: %v, want a wage paid on time", kinds)
		}
		if kinds := creditKinds(t, env, wang, unit); kinds["WAGE_PAID_ON_TIME"] != 0 {
			t.Errorf("the using unit's credit: %v, want no wage of the agency's", kinds)
		}

		// The agency reads the record of the worker it employs.
		if r := env.Op(zhao.Token, "CreditReport", map[string]any{"subjectID": workerID(t, env, li)}); len(r.Errors) > 0 {
			t.Errorf("the agency reading its worker's credit: %v", r.Errors)
		}

		// Her inbox speaks Chinese.
		var inbox struct {
			Notifications struct {
				Edges []struct{ Node struct{ Title string } }
			}
		}
		env.MustOp(li.Token, "Inbox", map[string]any{"first": 20}, &inbox)
		if len(inbox.Notifications.Edges) == 0 || !hasHan(inbox.Notifications.Edges[0].Node.Title) {
			t.Errorf("her inbox is not in Chinese: %+v", inbox.Notifications.Edges)
		}
	})
}

// lawRules are the rule names of a LAW_RULE_FAILED refusal.
func lawRules(t *testing.T, r servertest.Response) string {
	t.Helper()
	return refusedRules(t, r, "LAW_RULE_FAILED")
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4E00 && r <= 0x9FFF {
			return true
		}
	}
	return false
}

func workerID(t *testing.T, env *servertest.Env, who servertest.Account) string {
	var v struct {
		Viewer struct{ WorkerProfile struct{ ID string } }
	}
	env.Must(who.Token, `{ viewer { workerProfile { id } } }`, nil, &v)
	return v.Viewer.WorkerProfile.ID
}

func getStatus(t *testing.T, env *servertest.Env, token, path string) int {
	resp := getAs(t, env, token, path)
	resp.Body.Close()
	return resp.StatusCode
}

func getAs(t *testing.T, env *servertest.Env, token, path string) *http.Response {
	req, _ := http.NewRequest(http.MethodGet, env.HTTP.URL+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := env.HTTP.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// contractPDFText downloads a contract's PDF and extracts its text, spaces
// removed (extractors place them by glyph position).
func contractPDFText(t *testing.T, env *servertest.Env, token, path string) string {
	resp := getAs(t, env, token, path)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
	}
	r, err := pdfread.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for i := 1; i <= r.NumPage(); i++ {
		rows, err := r.Page(i).GetTextByRow()
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			for _, w := range row.Content {
				out.WriteString(w.S)
			}
		}
	}
	return strings.ReplaceAll(out.String(), " ", "")
}
