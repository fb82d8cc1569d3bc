package demo

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"time"

	"flexwork/ent"
	"flexwork/market"
)

// offerWorker1 has worker1 apply to two shifts of the coming days at other
// employers, and their owners offer them, good for a day: the offers
// screen has something to accept.
func offerWorker1(m *market.Market, board []posting, worker1 context.Context) (int, error) {
	offered, employers := 0, map[context.Context]bool{}
	for _, p := range board {
		if offered == 2 {
			break
		}
		if employers[p.owner] {
			continue
		}
		e, err := m.Eligibility(worker1, p.shiftID)
		if err != nil {
			return offered, err
		}
		if !e.Eligible {
			continue
		}
		applied, err := m.ApplyToShift(worker1, market.ApplyInput{ShiftID: p.shiftID})
		if err != nil {
			return offered, fmt.Errorf("demo: worker1 applying: %w", err)
		}
		day := 24 * 60
		if _, err := m.SendOffer(p.owner, market.SendOfferInput{ApplicationID: &applied.Application.ID, ExpiresInMinutes: &day}); err != nil {
			return offered, fmt.Errorf("demo: offer to worker1: %w", err)
		}
		employers[p.owner] = true
		offered++
	}
	return offered, nil
}

// licence is a small PDF: worker1's forklift licence, for staff's queue.
var licence = append([]byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n"), bytes.Repeat([]byte("Flurfoerderzeugschein "), 40)...)

// uploadLicence has worker1 upload a forklift licence as the app does:
// ask for a form, post the file to storage, say it is done. It then waits
// in staff's queue. handler serves the embedded store's uploads before the
// server listens; an S3 form is posted to S3.
func uploadLicence(ctx context.Context, m *market.Market, handler http.Handler, worker1 context.Context, forklift *ent.Skill) error {
	issuer, number := "IHK Berlin", "FS-2024-118 204"
	expires := m.Now().AddDate(2, 0, 0)
	target, err := m.StartCertificationUpload(worker1, market.StartUploadInput{
		SkillID: forklift.ID, Title: "Forklift licence", Issuer: &issuer, CredentialNumber: &number, ExpiresOn: &expires,
		FileName: "forklift-licence.pdf", ContentType: "application/pdf", ByteSize: int64(len(licence)),
	})
	if err != nil {
		return fmt.Errorf("demo: upload form: %w", err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, f := range target.Fields {
		_ = mw.WriteField(f.Name, f.Value)
	}
	fw, _ := mw.CreateFormFile("file", "forklift-licence.pdf")
	_, _ = fw.Write(licence)
	_ = mw.Close()
	post := func() *http.Request {
		req := httptest.NewRequestWithContext(ctx, http.MethodPost, target.URL, bytes.NewReader(body.Bytes()))
		req.Header.Set("Content-Type", mw.FormDataContentType())
		return req
	}
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, post())
	status := rec.Code
	if status == http.StatusNotFound { // not the embedded store's form: S3's
		req := post()
		req.RequestURI = "" // a client request, not a server's
		resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
		if err != nil {
			return fmt.Errorf("demo: upload: %w", err)
		}
		resp.Body.Close()
		status = resp.StatusCode
	}
	if status/100 != 2 {
		return fmt.Errorf("demo: upload answered HTTP %d", status)
	}
	_, err = m.CompleteCertificationUpload(worker1, target.Certification.ID)
	return err
}
