package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/ent/rule"
	"flexwork/server"
	"flexwork/server/servertest"
	"flexwork/storage"
	"flexwork/storage/storagetest"
)

// eachStore runs fn on both databases with each storage backend: the local
// directory the server serves itself (its links follow the test clock) and
// a real S3 server (its links follow the wall clock).
func eachStore(t *testing.T, fn func(t *testing.T, db *entdb.DB, store servertest.Option, localClock bool)) {
	t.Run("local", func(t *testing.T) {
		entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
			fn(t, db, servertest.WithDeps(func(*server.Deps) {}), true)
		})
	})
	t.Run("s3", func(t *testing.T) {
		entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
			s3 := storagetest.S3(t)
			fn(t, db, servertest.WithDeps(func(d *server.Deps) { d.Store = s3 }), false)
		})
	})
}

// pdf is a small but real-looking certificate document.
var pdf = append([]byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n"), bytes.Repeat([]byte("forklift licence "), 64)...)

type uploadForm struct {
	Certification struct{ ID, Status string }
	URL           string
	Fields        []struct{ Name, Value string }
	ExpiresAt     time.Time
}

const startUploadQ = `mutation($in: StartCertificationUploadInput!) { startCertificationUpload(input: $in) {
	certification { id status } url fields { name value } expiresAt } }`

// certInput is a forklift licence valid for 30 days from now, declared
// with the size of doc.
func certInput(env *servertest.Env, skill string, doc []byte) map[string]any {
	return map[string]any{
		"skillID": skill, "title": "Forklift licence (counterbalance)", "issuer": "TÜV Rheinland",
		"credentialNumber": "FL-2291", "issuedOn": env.Clock.Now().AddDate(-1, 0, 0).Format(time.DateOnly),
		"expiresOn": env.Clock.Now().AddDate(0, 0, 30).Format(time.DateOnly),
		"fileName":  "licence.pdf", "contentType": "application/pdf", "byteSize": len(doc),
	}
}

func startUpload(t *testing.T, env *servertest.Env, who servertest.Account, in map[string]any) uploadForm {
	t.Helper()
	var out struct{ StartCertificationUpload uploadForm }
	env.Must(who.Token, startUploadQ, map[string]any{"in": in}, &out)
	return out.StartCertificationUpload
}

// post uploads content with the form as the phone does, straight to
// storage, and returns the HTTP status.
func (f uploadForm) post(t *testing.T, name string, content []byte) int {
	t.Helper()
	u := &storage.Upload{URL: f.URL, Fields: map[string]string{}}
	for _, fl := range f.Fields {
		u.Fields[fl.Name] = fl.Value
	}
	return storagetest.PostForm(t, u, name, content)
}

// uploaded is a licence uploaded and completed, awaiting review.
func uploaded(t *testing.T, env *servertest.Env, who servertest.Account, skill string) string {
	t.Helper()
	form := startUpload(t, env, who, certInput(env, skill, pdf))
	if s := form.post(t, "licence.pdf", pdf); s/100 != 2 {
		t.Fatalf("upload: HTTP %d", s)
	}
	if r := complete(env, who, form.Certification.ID); r.Code() != "" {
		t.Fatal(r.Errors)
	}
	return form.Certification.ID
}

func complete(env *servertest.Env, who servertest.Account, id string) servertest.Response {
	return env.Do(who.Token, `mutation($id: ID!) { completeCertificationUpload(input: {certificationID: $id}) { certification { id status } } }`, map[string]any{"id": id})
}

type certDetails struct {
	Issuer, CredentialNumber, FileName, Sha256, ReviewReason string
	ByteSize                                                 int
	ExpiresOn                                                *string
	DocumentURL                                              *string
}

type certView struct {
	Title, Status string
	Details       *certDetails
}

func viewCert(t *testing.T, env *servertest.Env, who servertest.Account, id string) certView {
	t.Helper()
	var out struct{ Node certView }
	env.Must(who.Token, `query($id: ID!) { node(id: $id) { ... on Certification { title status
		details { issuer credentialNumber fileName sha256 reviewReason byteSize expiresOn documentURL } } } }`,
		map[string]any{"id": id}, &out)
	return out.Node
}

// certRule is the result of the certificate rule of the worker's screening
// for a shift.
func certRule(t *testing.T, env *servertest.Env, who servertest.Account, shift string) (bool, string) {
	t.Helper()
	var out struct {
		Eligibility struct {
			Rules []struct {
				Rule    string
				Passed  bool
				Message string
			}
		}
	}
	env.Must(who.Token, `query($id: ID!) { eligibility(shiftID: $id) { rules { rule passed message } } }`, map[string]any{"id": shift}, &out)
	for _, r := range out.Eligibility.Rules {
		if r.Rule == "REQUIRED_CERTIFICATES" {
			return r.Passed, r.Message
		}
	}
	t.Fatalf("no certificate rule in %+v", out)
	return false, ""
}

func inboxTitles(t *testing.T, env *servertest.Env, who servertest.Account) string {
	t.Helper()
	var out struct {
		Notifications struct {
			Edges []struct {
				Node struct{ Category, Title string }
			}
		}
	}
	env.Must(who.Token, `{ notifications(first: 20) { edges { node { category title } } } }`, nil, &out)
	var titles []string
	for _, e := range out.Notifications.Edges {
		titles = append(titles, e.Node.Category+": "+e.Node.Title)
	}
	return strings.Join(titles, "\n")
}

func makeStaff(t testing.TB, env *servertest.Env, db *entdb.DB, email string) servertest.Account {
	a := env.SignUp(email, "Sam")
	db.User.UpdateOneID(a.ID).SetIsStaff(true).ExecX(rule.System(context.Background()))
	return a
}

// TestCertificateUnlocksShiftsUntilItExpires follows a licence from the
// phone's upload to the shifts it opens, and past its expiry date.
func TestCertificateUnlocksShiftsUntilItExpires(t *testing.T) {
	eachStore(t, func(t *testing.T, db *entdb.DB, store servertest.Option, _ bool) {
		env := servertest.Start(t, db, store)
		forklift := skillID(t, db, "forklift")
		olga := env.SignUp("olga@example.com", "Olga")
		emp := createEmployer(t, env, olga, "Spree Logistics")
		ana := newWorker(t, env, "ana@example.com", "Ana", forklift)
		staff := makeStaff(t, env, db, "sam@example.com")
		needsLicence := map[string]any{"requiredCertificationIDs": []string{forklift}}
		shift := postShift(t, env, olga, emp, needsLicence)
		if ok, msg := certRule(t, env, ana, shift); ok || !strings.Contains(msg, "Forklift") {
			t.Fatalf("without a licence Ana passes the certificate rule: %v %q", ok, msg)
		}

		form := startUpload(t, env, ana, certInput(env, forklift, pdf))
		if form.Certification.Status != "AWAITING_UPLOAD" || form.URL == "" || form.ExpiresAt.Sub(time.Now()) > 16*time.Minute {
			t.Fatalf("upload form: %+v", form)
		}
		if strings.HasPrefix(form.URL, env.HTTP.URL+"/graphql") {
			t.Fatalf("the document must go to storage, not through GraphQL: %s", form.URL)
		}
		if s := form.post(t, "licence.pdf", pdf); s/100 != 2 {
			t.Fatalf("upload: HTTP %d", s)
		}
		var done struct {
			CompleteCertificationUpload struct{ Certification struct{ ID, Status string } }
		}
		complete(env, ana, form.Certification.ID).Decode(t, &done)
		if done.CompleteCertificationUpload.Certification.Status != "PENDING_REVIEW" {
			t.Fatalf("completed upload is %s", done.CompleteCertificationUpload.Certification.Status)
		}
		sum := sha256.Sum256(pdf)
		mine := viewCert(t, env, ana, form.Certification.ID)
		if d := mine.Details; d == nil || d.Sha256 != hex.EncodeToString(sum[:]) || d.ByteSize != len(pdf) || d.DocumentURL == nil {
			t.Fatalf("Ana's view of her certificate: %+v", mine.Details)
		}
		if status, body := storagetest.Get(t, *mine.Details.DocumentURL); status != 200 || !bytes.Equal(body, pdf) {
			t.Fatalf("downloading the document: HTTP %d, %d bytes", status, len(body))
		}
		if ok, _ := certRule(t, env, ana, shift); ok {
			t.Fatal("a certificate awaiting review already counts")
		}

		// Staff find it in the queue and verify it.
		var queue struct {
			CertificationQueue struct {
				TotalCount int
				Edges      []struct{ Node struct{ ID string } }
			}
		}
		env.Must(staff.Token, `{ certificationQueue(first: 10) { totalCount edges { node { id } } } }`, nil, &queue)
		if queue.CertificationQueue.TotalCount != 1 || queue.CertificationQueue.Edges[0].Node.ID != form.Certification.ID {
			t.Fatalf("staff's queue: %+v", queue)
		}
		var verified struct {
			ReviewCertification struct{ Certification struct{ Status string } }
		}
		env.MustOp(staff.Token, "ReviewCertification", input(map[string]any{"certificationID": form.Certification.ID, "decision": "VERIFY"}), &verified)
		if verified.ReviewCertification.Certification.Status != "VERIFIED" {
			t.Fatalf("verified certificate is %s", verified.ReviewCertification.Certification.Status)
		}
		if ok, msg := certRule(t, env, ana, shift); !ok {
			t.Fatalf("with a verified licence Ana still fails: %s", msg)
		}
		if inbox := inboxTitles(t, env, ana); !strings.Contains(inbox, "CERTIFICATION: Certificate verified: Forklift licence") {
			t.Fatalf("Ana's inbox:\n%s", inbox)
		}
		var report creditReport
		env.Must(ana.Token, creditQ, map[string]any{"id": workerOf(t, env, ana)}, &report)
		if report.CreditReport.Score != 615 || len(report.CreditReport.Factors) != 1 ||
			report.CreditReport.Factors[0].Events[0].ID == "" || report.CreditReport.Factors[0].Events[0].Kind != "CERTIFICATE_VERIFIED" {
			t.Fatalf("Ana's credit after verification: %+v", report.CreditReport)
		}

		// 17 days on the sweep warns her; 31 days on her licence has expired.
		sweep := func() {
			if err := env.Server.Market.Sweep(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		env.Clock.Advance(17 * 24 * time.Hour)
		sweep()
		if inbox := inboxTitles(t, env, ana); !strings.Contains(inbox, "CERTIFICATION: Forklift licence (counterbalance) expires on") {
			t.Fatalf("no expiry warning 13 days ahead; Ana's inbox:\n%s", inbox)
		}
		env.Clock.Advance(14 * 24 * time.Hour)
		later := postShift(t, env, olga, emp, needsLicence)
		if ok, _ := certRule(t, env, ana, later); ok {
			t.Fatal("a licence whose expiry date has passed still counts")
		}
		sweep()
		if v := viewCert(t, env, ana, form.Certification.ID); v.Status != "EXPIRED" {
			t.Fatalf("after its expiry date the licence is %s", v.Status)
		}
		if inbox := inboxTitles(t, env, ana); !strings.Contains(inbox, "Certificate expired: Forklift licence") {
			t.Fatalf("Ana's inbox:\n%s", inbox)
		}
	})
}

// TestCertificateUploadRefusals: what the storage itself refuses, and what
// completing an upload refuses, on both backends.
func TestCertificateUploadRefusals(t *testing.T) {
	eachStore(t, func(t *testing.T, db *entdb.DB, store servertest.Option, localClock bool) {
		env := servertest.Start(t, db, store)
		forklift := skillID(t, db, "forklift")
		ana := newWorker(t, env, "ana@example.com", "Ana", forklift)
		ben := newWorker(t, env, "ben@example.com", "Ben", forklift)
		dee := newWorker(t, env, "dee@example.com", "Dee", forklift)
		awaiting := func(id string) {
			t.Helper()
			if v := viewCert(t, env, ana, id); v.Status != "AWAITING_UPLOAD" {
				t.Fatalf("the certificate is %s, want it still AWAITING_UPLOAD", v.Status)
			}
		}
		nothingStored := func(id string) {
			t.Helper()
			if r := complete(env, ana, id); r.Code() != "UPLOAD_MISSING" || !strings.Contains(r.Errors[0].Message, "nothing has been uploaded") {
				t.Fatalf("completing with nothing stored: %+v", r.Errors)
			}
			awaiting(id)
		}

		t.Run("a file larger than declared", func(t *testing.T) {
			in := certInput(env, forklift, pdf)
			in["byteSize"] = 100
			form := startUpload(t, env, ana, in)
			if s := form.post(t, "licence.pdf", pdf); s != http.StatusBadRequest {
				t.Fatalf("storage took %d bytes on a form for 100: HTTP %d, want 400", len(pdf), s)
			}
			nothingStored(form.Certification.ID)
		})
		t.Run("a file larger than 10 MiB", func(t *testing.T) {
			in := certInput(env, forklift, pdf)
			in["byteSize"] = 10<<20 + 1
			if r := env.Do(ana.Token, startUploadQ, map[string]any{"in": in}); r.Code() != "BAD_USER_INPUT" || r.Fields()[0] != "byteSize" {
				t.Fatalf("declaring 10 MiB + 1: %+v", r.Errors)
			}
			in["byteSize"] = 10 << 20
			form := startUpload(t, env, ana, in)
			big := append(append([]byte{}, pdf...), make([]byte, 10<<20+1-len(pdf))...)
			if s := form.post(t, "licence.pdf", big); s != http.StatusBadRequest {
				t.Fatalf("storage took 10 MiB + 1 byte: HTTP %d, want 400", s)
			}
			nothingStored(form.Certification.ID)
		})
		t.Run("a text file named .pdf", func(t *testing.T) {
			text := []byte("I promise I can drive a forklift.\n")
			form := startUpload(t, env, ana, certInput(env, forklift, text))
			if s := form.post(t, "licence.pdf", text); s/100 != 2 {
				t.Fatalf("upload: HTTP %d", s)
			}
			r := complete(env, ana, form.Certification.ID)
			if r.Code() != "BAD_USER_INPUT" || r.Fields()[0] != "file" || !strings.Contains(r.Errors[0].Message, "not a PDF") {
				t.Fatalf("completing a text file: %+v", r.Errors)
			}
			nothingStored(form.Certification.ID) // the object was deleted
		})
		t.Run("completing someone else's upload", func(t *testing.T) {
			form := startUpload(t, env, ana, certInput(env, forklift, pdf))
			if s := form.post(t, "licence.pdf", pdf); s/100 != 2 {
				t.Fatalf("upload: HTTP %d", s)
			}
			if r := complete(env, ben, form.Certification.ID); r.Code() != "NOT_FOUND" {
				t.Fatalf("Ben completing Ana's upload: %+v", r.Errors)
			}
			awaiting(form.Certification.ID)
			if r := complete(env, ana, form.Certification.ID); r.Code() != "" {
				t.Fatalf("Ana completing her own upload: %+v", r.Errors)
			}
		})
		t.Run("a form rewritten to another key", func(t *testing.T) {
			form := startUpload(t, env, ana, certInput(env, forklift, pdf))
			for _, key := range []string{"certifications/wkr_someone_else/crt_x", "certifications/../../escaped/crt_x"} {
				for i, f := range form.Fields {
					if f.Name == "key" {
						form.Fields[i].Value = key
					}
				}
				// S3 says 403 (AWS) or 400 (versitygw) to a broken policy.
				if s := form.post(t, "licence.pdf", pdf); s != http.StatusForbidden && s != http.StatusBadRequest {
					t.Fatalf("storage took an upload to %s, a key the form was not signed for: HTTP %d", key, s)
				}
			}
			nothingStored(form.Certification.ID)
		})
		t.Run("bad declarations change nothing", func(t *testing.T) {
			before := env.Fingerprint(t)
			for field, value := range map[string]any{
				"skillID": "skl_01JUNKJUNKJUNKJUNKJUNKJUNK", "contentType": "text/plain", "title": "",
				"expiresOn": env.Clock.Now().AddDate(0, 0, -2).Format(time.DateOnly),
			} {
				in := certInput(env, forklift, pdf)
				in[field] = value
				if r := env.Do(ana.Token, startUploadQ, map[string]any{"in": in}); r.Code() != "BAD_USER_INPUT" || r.Fields()[0] != field {
					t.Fatalf("%s = %v: %+v", field, value, r.Errors)
				}
			}
			if after := env.Fingerprint(t); after != before {
				t.Fatalf("refused uploads changed the database:\n%s\n---\n%s", before, after)
			}
			if r := env.Do(env.SignUp("olga@example.com", "Olga").Token, startUploadQ,
				map[string]any{"in": certInput(env, forklift, pdf)}); r.Code() != "FORBIDDEN" {
				t.Fatalf("a user without a worker profile starting an upload: %+v", r.Errors)
			}
		})
		t.Run("a web page or script dressed as a PDF", func(t *testing.T) {
			for name, doc := range map[string][]byte{
				"an HTML polyglot":      []byte("%PDF-1.4\n<HTML><body><script>fetch('/graphql')</script></body></html>\n%%EOF"),
				"a PDF with JavaScript": []byte("%PDF-1.7\n1 0 obj << /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF"),
			} {
				form := startUpload(t, env, dee, certInput(env, forklift, doc))
				if s := form.post(t, "licence.pdf", doc); s/100 != 2 {
					t.Fatalf("%s: upload: HTTP %d", name, s)
				}
				r := complete(env, dee, form.Certification.ID)
				if r.Code() != "BAD_USER_INPUT" || r.Fields()[0] != "file" || !strings.Contains(r.Errors[0].Message, "web page or script") {
					t.Fatalf("completing %s: %+v", name, r.Errors)
				}
				if r := complete(env, dee, form.Certification.ID); r.Code() != "UPLOAD_MISSING" {
					t.Fatalf("the refused file is still stored: %+v", r.Errors)
				}
			}
		})
		t.Run("a form stores one document", func(t *testing.T) {
			form := startUpload(t, env, dee, certInput(env, forklift, pdf))
			if s := form.post(t, "licence.pdf", pdf); s/100 != 2 {
				t.Fatalf("upload: HTTP %d", s)
			}
			if r := complete(env, dee, form.Certification.ID); r.Code() != "" {
				t.Fatal(r.Errors)
			}
			// The same form again, within its 15 minutes, with other bytes:
			// the local store refuses; S3 cannot, but what it stores is never
			// read. The document staff and employers get is the one checked.
			forged := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("forged "), 40)...)
			s := form.post(t, "licence.pdf", forged)
			if localClock && s != http.StatusForbidden {
				t.Fatalf("the local store took a second upload through a used form: HTTP %d", s)
			}
			v := viewCert(t, env, dee, form.Certification.ID)
			if status, body := storagetest.Get(t, *v.Details.DocumentURL); status != 200 || !bytes.Equal(body, pdf) {
				t.Fatalf("after reusing the form, the document is %d bytes (HTTP %d), want the original %d", len(body), status, len(pdf))
			}
			// Completing again is a retry: answered with the certificate as is.
			if r := complete(env, dee, form.Certification.ID); r.Code() != "" || !strings.Contains(string(r.Data), "PENDING_REVIEW") {
				t.Fatalf("completing twice: %+v %s", r.Errors, r.Data)
			}
		})
		t.Run("open upload forms are capped", func(t *testing.T) {
			cai := newWorker(t, env, "cai@example.com", "Cai", forklift)
			for range 5 {
				startUpload(t, env, cai, certInput(env, forklift, pdf))
			}
			before := env.Fingerprint(t)
			if r := env.Do(cai.Token, startUploadQ, map[string]any{"in": certInput(env, forklift, pdf)}); r.Code() != "TOO_MANY_OPEN_UPLOADS" {
				t.Fatalf("a sixth open upload: %+v", r.Errors)
			}
			if env.Fingerprint(t) != before {
				t.Fatal("the refused upload changed the database")
			}
		})
		if localClock {
			t.Run("a stale form", func(t *testing.T) {
				form := startUpload(t, env, ana, certInput(env, forklift, pdf))
				env.Clock.Advance(16 * time.Minute)
				if s := form.post(t, "licence.pdf", pdf); s != http.StatusForbidden {
					t.Fatalf("a form 16 minutes old: HTTP %d, want 403", s)
				}
				nothingStored(form.Certification.ID)
			})
		}
	})
}

// TestWhoSeesACertificate: everyone signed in sees that Ana holds a
// licence; only she, staff and an employer she is dealing with see its
// details and document, and a document link goes stale.
func TestWhoSeesACertificate(t *testing.T) {
	eachStore(t, func(t *testing.T, db *entdb.DB, store servertest.Option, localClock bool) {
		env := servertest.Start(t, db, store)
		forklift := skillID(t, db, "forklift")
		ana := newWorker(t, env, "ana@example.com", "Ana", forklift)
		ben := newWorker(t, env, "ben@example.com", "Ben", forklift)
		olga, eve := env.SignUp("olga@example.com", "Olga"), env.SignUp("eve@example.com", "Eve")
		emp := createEmployer(t, env, olga, "Spree Logistics")
		createEmployer(t, env, eve, "Elsewhere")
		staff := makeStaff(t, env, db, "sam@example.com")
		id := uploaded(t, env, ana, forklift)

		sees := func(who servertest.Account) bool {
			t.Helper()
			v := viewCert(t, env, who, id)
			if v.Title != "Forklift licence (counterbalance)" || v.Status != "PENDING_REVIEW" {
				t.Fatalf("everyone signed in sees title and status; got %+v", v)
			}
			if v.Details == nil {
				return false
			}
			if v.Details.Issuer != "TÜV Rheinland" || v.Details.DocumentURL == nil {
				t.Fatalf("details: %+v", v.Details)
			}
			status, h, body := storagetest.GetWithHeaders(t, *v.Details.DocumentURL)
			if status != 200 || !bytes.Equal(body, pdf) {
				t.Fatalf("document link: HTTP %d", status)
			}
			if d := h.Get("Content-Disposition"); d != `attachment; filename=licence.pdf` || h.Get("Content-Type") != "application/pdf" {
				t.Fatalf("the document is served as %q, %q; want an attachment of the type found in its bytes", d, h.Get("Content-Type"))
			}
			if localClock && h.Get("X-Content-Type-Options") != "nosniff" {
				t.Fatal("the document is served without X-Content-Type-Options: nosniff")
			}
			return true
		}
		for name, who := range map[string]servertest.Account{"Ana": ana, "staff": staff} {
			if !sees(who) {
				t.Fatalf("%s cannot see the details", name)
			}
		}
		for name, who := range map[string]servertest.Account{"an unrelated employer": eve, "another worker": ben, "Olga before Ana applies": olga} {
			if sees(who) {
				t.Fatalf("%s sees the details", name)
			}
		}
		// Listing her certifications shows the same.
		var list struct {
			Node struct {
				Certifications struct {
					Edges []struct{ Node certView }
				}
			}
		}
		env.Must(eve.Token, `query($id: ID!) { node(id: $id) { ... on WorkerProfile { certifications(first: 5) {
			edges { node { title status details { documentURL } } } } } } }`, map[string]any{"id": workerOf(t, env, ana)}, &list)
		if e := list.Node.Certifications.Edges; len(e) != 1 || e[0].Node.Title == "" || e[0].Node.Details != nil {
			t.Fatalf("Eve's list of Ana's certifications: %+v", e)
		}
		if r := env.Do("", `query($id: ID!) { node(id: $id) { ... on Certification { details { documentURL } } } }`,
			map[string]any{"id": id}); r.Code() != "UNAUTHENTICATED" {
			t.Fatalf("anonymous: %+v", r.Errors)
		}

		// Once Ana applies to Olga's shift, Olga may check her papers; once
		// she withdraws, no longer.
		shift := postShift(t, env, olga, emp, nil)
		app := apply(env, ana, shift)
		if !sees(olga) {
			t.Fatal("Olga cannot see the papers of her applicant")
		}
		if sees(eve) {
			t.Fatal("Eve sees papers of Olga's applicant")
		}
		env.MustOp(ana.Token, "WithdrawApplication", input(map[string]any{"applicationID": app}), &struct{}{})
		if sees(olga) {
			t.Fatal("Olga still sees the papers after Ana withdrew")
		}
		// Hired, Olga sees them until the shift is worked and approved; the
		// application stays HIRED for ever, the dealing does not.
		shift = postShift(t, env, olga, emp, nil)
		app = apply(env, ana, shift)
		hire := newChain(t, env, olga, ana, app)
		hire.hire()
		if !sees(olga) {
			t.Fatal("Olga cannot see the papers of her hire")
		}
		hire.workAndApprove()
		if sees(olga) {
			t.Fatal("Olga still sees the papers after the shift was worked and approved")
		}

		// A document link lasts 5 minutes.
		if localClock {
			url := *viewCert(t, env, ana, id).Details.DocumentURL
			env.Clock.Advance(6 * time.Minute)
			if status, _ := storagetest.Get(t, url); status != http.StatusForbidden {
				t.Fatalf("a 6-minute-old document link: HTTP %d, want 403", status)
			}
		}
	})
}

// TestATamperedDocumentIsNotVerified: if the stored document changes after
// its upload completed (someone with access to the bucket), staff are told
// when they open it, and cannot verify it.
func TestATamperedDocumentIsNotVerified(t *testing.T) {
	eachStore(t, func(t *testing.T, db *entdb.DB, store servertest.Option, _ bool) {
		env := servertest.Start(t, db, store)
		forklift := skillID(t, db, "forklift")
		ana := newWorker(t, env, "ana@example.com", "Ana", forklift)
		staff := makeStaff(t, env, db, "sam@example.com")
		id := uploaded(t, env, ana, forklift)
		other := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("someone else's licence "), 30)...)
		form := startUpload(t, env, ana, certInput(env, forklift, other))
		if s := form.post(t, "other.pdf", other); s/100 != 2 {
			t.Fatalf("upload: HTTP %d", s)
		}
		if r := complete(env, ana, form.Certification.ID); r.Code() != "" {
			t.Fatal(r.Errors)
		}
		worker := workerOf(t, env, ana)
		if err := env.Server.Store.Copy(context.Background(), "certifications/"+worker+"/"+form.Certification.ID,
			"certifications/"+worker+"/"+id); err != nil {
			t.Fatal(err)
		}
		r := env.Do(staff.Token, `query($id: ID!) { node(id: $id) { ... on Certification { details { documentURL } } } }`, map[string]any{"id": id})
		if r.Code() != "DOCUMENT_CHANGED" {
			t.Fatalf("staff opening a changed document: %+v", r.Errors)
		}
		r = env.Op(staff.Token, "ReviewCertification", input(map[string]any{"certificationID": id, "decision": "VERIFY"}))
		if r.Code() != "DOCUMENT_CHANGED" {
			t.Fatalf("verifying a changed document: %+v", r.Errors)
		}
		if v := viewCert(t, env, ana, id); v.Status != "PENDING_REVIEW" {
			t.Fatalf("after the refused verification the certificate is %s", v.Status)
		}
	})
}

// TestCertificateReviewIsStaffWork: only staff review and revoke, a
// rejection says why, and each decision reaches the worker and her record.
func TestCertificateReviewIsStaffWork(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env := servertest.Start(t, db)
		forklift := skillID(t, db, "forklift")
		ana := newWorker(t, env, "ana@example.com", "Ana", forklift)
		olga := env.SignUp("olga@example.com", "Olga")
		createEmployer(t, env, olga, "Spree Logistics")
		staff := makeStaff(t, env, db, "sam@example.com")
		const reviewQ = `mutation($id: ID!, $d: CertificationDecision!, $r: String) { reviewCertification(input: {certificationID: $id, decision: $d, reason: $r}) { certification { status } } }`
		const revokeQ = `mutation($id: ID!, $r: String!) { revokeCertification(input: {certificationID: $id, reason: $r}) { certification { status } } }`
		first := uploaded(t, env, ana, forklift)
		for name, who := range map[string]servertest.Account{"the worker herself": ana, "an employer": olga} {
			if r := env.Do(who.Token, reviewQ, map[string]any{"id": first, "d": "VERIFY"}); r.Code() != "FORBIDDEN" {
				t.Fatalf("%s verifying: %+v", name, r.Errors)
			}
			if r := env.Do(who.Token, `{ certificationQueue(first: 10) { totalCount } }`, nil); r.Code() != "FORBIDDEN" {
				t.Fatalf("%s reading the queue: %+v", name, r.Errors)
			}
		}
		if r := env.Do(staff.Token, reviewQ, map[string]any{"id": first, "d": "REJECT"}); r.Code() != "BAD_USER_INPUT" || r.Fields()[0] != "reason" {
			t.Fatalf("rejecting without a reason: %+v", r.Errors)
		}
		env.Must(staff.Token, reviewQ, map[string]any{"id": first, "d": "REJECT", "r": "The photo is unreadable"}, &struct{}{})
		if v := viewCert(t, env, ana, first); v.Status != "REJECTED" || v.Details.ReviewReason != "The photo is unreadable" {
			t.Fatalf("Ana's rejected certificate: %+v %+v", v, v.Details)
		}
		if r := env.Do(staff.Token, reviewQ, map[string]any{"id": first, "d": "VERIFY"}); r.Code() != "CERTIFICATION_NOT_PENDING" {
			t.Fatalf("verifying a rejected certificate: %+v", r.Errors)
		}

		second := uploaded(t, env, ana, forklift)
		env.Must(staff.Token, reviewQ, map[string]any{"id": second, "d": "VERIFY"}, &struct{}{})
		if r := env.Do(olga.Token, revokeQ, map[string]any{"id": second, "r": "forged"}); r.Code() != "FORBIDDEN" {
			t.Fatalf("an employer revoking: %+v", r.Errors)
		}
		env.Must(staff.Token, revokeQ, map[string]any{"id": second, "r": "The issuer says it is forged"}, &struct{}{})
		inbox := inboxTitles(t, env, ana)
		for _, want := range []string{"Certificate not accepted", "Certificate verified", "Certificate revoked"} {
			if !strings.Contains(inbox, want) {
				t.Fatalf("Ana's inbox lacks %q:\n%s", want, inbox)
			}
		}
		var report creditReport
		env.Must(ana.Token, creditQ, map[string]any{"id": workerOf(t, env, ana)}, &report)
		kinds := map[string]int{}
		for _, f := range report.CreditReport.Factors {
			for _, e := range f.Events {
				kinds[e.Kind]++
			}
		}
		if kinds["CERTIFICATE_REJECTED"] != 1 || kinds["CERTIFICATE_VERIFIED"] != 1 || kinds["CERTIFICATE_REVOKED"] != 1 ||
			report.CreditReport.Score != 600+15-40 {
			t.Fatalf("Ana's credit: %+v", report.CreditReport)
		}
		// Two reviews and a revocation, each in the chain (with its credit event).
		if n, err := env.Server.Market.VerifyLedger(rule.System(context.Background())); err != nil || n < 6 {
			t.Fatalf("ledger: %d entries, %v", n, err)
		}
	})
}

// TestUnfinishedUploadsAreCleanedUp: a certificate whose document arrived
// but was never completed is gone a day later, file and all.
func TestUnfinishedUploadsAreCleanedUp(t *testing.T) {
	eachStore(t, func(t *testing.T, db *entdb.DB, store servertest.Option, _ bool) {
		env := servertest.Start(t, db, store)
		forklift := skillID(t, db, "forklift")
		ana := newWorker(t, env, "ana@example.com", "Ana", forklift)
		form := startUpload(t, env, ana, certInput(env, forklift, pdf))
		if s := form.post(t, "licence.pdf", pdf); s/100 != 2 {
			t.Fatalf("upload: HTTP %d", s)
		}
		key := "uploads/" + workerOf(t, env, ana) + "/" + form.Certification.ID
		ctx := context.Background()
		sweep := func() {
			if err := env.Server.Market.Sweep(ctx); err != nil {
				t.Fatal(err)
			}
		}
		env.Clock.Advance(23 * time.Hour)
		sweep()
		if _, err := env.Server.Store.Stat(ctx, key); err != nil {
			t.Fatalf("a 23-hour-old upload is gone: %v", err)
		}
		env.Clock.Advance(2 * time.Hour)
		sweep()
		if _, err := env.Server.Store.Stat(ctx, key); !errors.Is(err, storage.ErrNotFound) {
			t.Fatalf("a 25-hour-old unfinished upload is still stored: %v", err)
		}
		if r := complete(env, ana, form.Certification.ID); r.Code() != "NOT_FOUND" {
			t.Fatalf("completing a cleaned-up upload: %+v", r.Errors)
		}
	})
}
