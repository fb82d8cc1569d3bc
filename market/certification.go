package market

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"entgo.io/contrib/entgql"

	"flexwork/ent"
	"flexwork/ent/application"
	"flexwork/ent/assignment"
	"flexwork/ent/certification"
	"flexwork/ent/creditevent"
	"flexwork/ent/rule"
	"flexwork/ent/schema/pulid"
	"flexwork/ent/staffaction"
	"flexwork/storage"
)

// Certificate upload limits.
const (
	MaxCertificateBytes = 10 << 20
	// MaxOpenUploads is how many certificates a worker may have awaiting
	// their document at once: each holds a signed upload form.
	MaxOpenUploads      = 5
	UploadExpiry        = 15 * time.Minute
	DocumentURLExpiry   = 5 * time.Minute
	UnfinishedUploadTTL = 24 * time.Hour
	ExpiryWarning       = 14 * 24 * time.Hour
)

// Ledger kinds of staff decisions on certificates.
const (
	LedgerCertificationReviewed = "CERTIFICATION_REVIEWED"
	LedgerCertificationRevoked  = "CERTIFICATION_REVOKED"
	LedgerCertificationExpired  = "CERTIFICATION_EXPIRED"
)

// WithStorage gives the market its blob store.
func WithStorage(s storage.Store) Option { return func(m *Market) { m.store = s } }

// StartUploadInput describes a certificate the worker is about to upload.
type StartUploadInput struct {
	SkillID          string     `json:"skillID" validate:"required"`
	Title            string     `json:"title" validate:"required,min=2,max=120"`
	Issuer           *string    `json:"issuer" validate:"omitempty,max=120"`
	CredentialNumber *string    `json:"credentialNumber" validate:"omitempty,max=64"`
	IssuedOn         *time.Time `json:"issuedOn"`
	ExpiresOn        *time.Time `json:"expiresOn"`
	FileName         string     `json:"fileName" validate:"required,max=200"`
	ContentType      string     `json:"contentType" validate:"oneof=application/pdf image/jpeg image/png image/heic"`
	ByteSize         int64      `json:"byteSize" validate:"gte=1,lte=10485760"`
}

// FormField is one field of an upload form.
type FormField struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// UploadTarget tells the app where to upload the file: POST the fields,
// then the file as the part "file", as multipart/form-data.
type UploadTarget struct {
	Certification *ent.Certification `json:"certification"`
	URL           string             `json:"url"`
	Fields        []FormField        `json:"fields"`
	ExpiresAt     time.Time          `json:"expiresAt"`
}

// date keeps only the calendar day, at midnight UTC.
func date(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return &d
}

// StartCertificationUpload records a certificate awaiting its document and
// returns a form that uploads the document straight to storage, for the
// declared size at most, within 15 minutes.
func (m *Market) StartCertificationUpload(ctx context.Context, in StartUploadInput) (*UploadTarget, error) {
	v, err := worker(ctx)
	if err != nil {
		return nil, err
	}
	in.Title, in.FileName = strings.TrimSpace(in.Title), strings.TrimSpace(in.FileName)
	if err := Validate(in); err != nil {
		return nil, err
	}
	in.IssuedOn, in.ExpiresOn = date(in.IssuedOn), date(in.ExpiresOn)
	var errs fieldErrors
	today := *date(ptr(m.Now()))
	if in.ExpiresOn != nil && in.ExpiresOn.Before(today) {
		errs.add("expiresOn", "the certificate has already expired")
	}
	if in.IssuedOn != nil && in.IssuedOn.After(today) {
		errs.add("issuedOn", "must not be in the future")
	}
	if in.IssuedOn != nil && in.ExpiresOn != nil && !in.ExpiresOn.After(*in.IssuedOn) {
		errs.add("expiresOn", "must be after issuedOn")
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	var out *UploadTarget
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		if _, err := knownSkills(ctx, c, []string{in.SkillID}, func(int) string { return "skillID" }); err != nil {
			return err
		}
		// The worker's row queues their uploads, so that two at once cannot
		// both pass the count.
		if err := c.WorkerProfile.UpdateOneID(v.WorkerID).SetUpdatedAt(m.Now()).Exec(ctx); err != nil {
			return err
		}
		open, err := c.Certification.Query().Where(certification.WorkerID(v.WorkerID),
			certification.StatusEQ(certification.StatusAWAITING_UPLOAD)).Count(ctx)
		if err != nil {
			return err
		}
		if open >= MaxOpenUploads {
			return Errorf(CodeTooManyOpenUploads, "you have %d certificates waiting for their document; finish or wait for those first (unfinished ones are dropped after a day)", open)
		}
		// The form writes under uploads/; the document is kept under
		// certifications/, where the server alone writes, copying the
		// upload when it completes.
		id := pulid.New("crt")
		key, uploadKey := "certifications/"+v.WorkerID+"/"+id, "uploads/"+v.WorkerID+"/"+id
		create := c.Certification.Create().SetID(id).SetWorkerID(v.WorkerID).SetSkillID(in.SkillID).SetTitle(in.Title).
			SetNillableIssuedOn(in.IssuedOn).SetNillableExpiresOn(in.ExpiresOn).SetObjectKey(key).SetUploadKey(uploadKey).
			SetFileName(in.FileName).SetContentType(in.ContentType).SetByteSize(in.ByteSize)
		if in.Issuer != nil {
			create.SetIssuer(strings.TrimSpace(*in.Issuer))
		}
		if in.CredentialNumber != nil {
			create.SetCredentialNumber(strings.TrimSpace(*in.CredentialNumber))
		}
		cert, err := create.Save(ctx)
		if err != nil {
			return err
		}
		up, err := m.store.PresignUpload(ctx, uploadKey, in.ContentType, in.ByteSize, UploadExpiry)
		if err != nil {
			return fmt.Errorf("presign upload: %w", err)
		}
		out = &UploadTarget{Certification: cert, URL: up.URL, ExpiresAt: up.ExpiresAt}
		for name, value := range up.Fields {
			out.Fields = append(out.Fields, FormField{Name: name, Value: value})
		}
		sort.Slice(out.Fields, func(i, j int) bool { return out.Fields[i].Name < out.Fields[j].Name })
		return nil
	})
	return out, err
}

// uploadKeyOf is the key a certificate's upload form writes to.
func uploadKeyOf(cert *ent.Certification) string {
	if cert.UploadKey != nil {
		return *cert.UploadKey
	}
	return cert.ObjectKey // from before uploads had keys of their own
}

// UploadWanted says whether a signed upload to key may still be stored: only
// while its certificate awaits the document. The local blob store asks it
// before storing, so a form cannot replace a document once it completed.
func (m *Market) UploadWanted(ctx context.Context, key string) error {
	ok, err := m.db.Certification.Query().Where(certification.StatusEQ(certification.StatusAWAITING_UPLOAD),
		certification.Or(certification.UploadKey(key), certification.And(certification.UploadKeyIsNil(), certification.ObjectKey(key)))).
		Exist(rule.System(ctx))
	if err != nil {
		return err
	}
	if !ok {
		return NotFound("upload")
	}
	return nil
}

// CompleteCertificationUpload checks what the storage really holds — that
// it is there, within the size declared and 10 MiB, by its first bytes a
// PDF, JPEG, PNG or HEIC, and neither a web page nor carrying script — and
// queues the certificate for staff review. The upload is first copied to
// the certificate's own key, which no form can write, and everything is
// checked and hashed on that copy: what staff verify and employers download
// is what was checked here. Anything wrong deletes the upload and leaves the
// certificate awaiting one, with an error that says why.
func (m *Market) CompleteCertificationUpload(ctx context.Context, id string) (*Changed, error) {
	v, err := worker(ctx)
	if err != nil {
		return nil, err
	}
	var out *Changed
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		cert, err := c.Certification.Get(ctx, id)
		if ent.IsNotFound(err) || (err == nil && cert.WorkerID != v.WorkerID) {
			return NotFound("certification upload")
		}
		if err != nil {
			return err
		}
		if cert.Status != certification.StatusAWAITING_UPLOAD {
			out = &Changed{Certification: cert} // a retry: the upload completed, and the certificate is where it is
			return nil
		}
		uploadKey := uploadKeyOf(cert)
		info, err := m.store.Stat(ctx, uploadKey)
		if errors.Is(err, storage.ErrNotFound) {
			return State(CodeUploadMissing, "nothing has been uploaded yet; upload the file with the form, then complete")
		}
		if err != nil {
			return err
		}
		refuse := func(msg string) error {
			for _, key := range []string{uploadKey, cert.ObjectKey} {
				if err := m.store.Delete(context.WithoutCancel(ctx), key); err != nil {
					return err
				}
			}
			return BadInput("file", msg)
		}
		if info.Size > MaxCertificateBytes || info.Size > cert.ByteSize {
			return refuse(fmt.Sprintf("the file holds %d bytes, more than the %d declared (10 MiB at most); upload it again", info.Size, cert.ByteSize))
		}
		if uploadKey != cert.ObjectKey {
			if err := m.store.Copy(ctx, uploadKey, cert.ObjectKey); err != nil {
				return err
			}
		}
		r, err := m.store.Open(ctx, cert.ObjectKey, 0, MaxCertificateBytes+1)
		if err != nil {
			return err
		}
		doc, err := scanDocument(r)
		r.Close()
		switch {
		case err != nil:
			return err
		case doc.Size > MaxCertificateBytes || doc.Size > cert.ByteSize:
			return refuse(fmt.Sprintf("the file holds more than the %d bytes declared; upload it again", cert.ByteSize))
		case doc.Kind == "":
			return refuse("the file is not a PDF, JPEG, PNG or HEIC document")
		case doc.Marker != "":
			return refuse(fmt.Sprintf("the file carries web page or script content (%q); upload a plain scan or photo", doc.Marker))
		}
		if uploadKey != cert.ObjectKey {
			// The form's key is emptied now and again once the form expires
			// (CleanUpUploads): what the form writes is never read.
			if err := m.store.Delete(ctx, uploadKey); err != nil {
				return err
			}
		}
		cert, err = c.Certification.UpdateOneID(id).SetStatus(certification.StatusPENDING_REVIEW).
			SetByteSize(doc.Size).SetContentType(doc.Kind).SetSha256(doc.Sha256).
			SetUploadedAt(m.Now()).Save(ctx)
		if err != nil {
			return err
		}
		out = &Changed{Certification: cert}
		return m.emit(ctx, c, Event{Kind: CertificationSubmitted, ID: id, WorkerID: cert.WorkerID, Title: cert.Title})
	})
	return out, err
}

// documentIntact checks that the stored document still hashes to the
// SHA-256 recorded when its upload completed.
func (m *Market) documentIntact(ctx context.Context, cert *ent.Certification) error {
	r, err := m.store.Open(ctx, cert.ObjectKey, 0, MaxCertificateBytes+1)
	if err != nil {
		return err
	}
	defer r.Close()
	doc, err := scanDocument(r)
	if err != nil {
		return err
	}
	if doc.Sha256 != cert.Sha256 {
		return Errorf(CodeDocumentChanged, "the stored document is not the one the worker uploaded (SHA-256 %s, recorded %s); reject it and ask for a new upload", doc.Sha256, cert.Sha256)
	}
	return nil
}

// CertificationQueue is staff's list of certificates awaiting review,
// oldest first.
func (m *Market) CertificationQueue(ctx context.Context, first *int, after *entgql.Cursor[string]) (*ent.CertificationConnection, error) {
	if _, err := staff(ctx, "review certificates"); err != nil {
		return nil, err
	}
	return m.client(ctx).Certification.Query().Where(certification.StatusEQ(certification.StatusPENDING_REVIEW)).
		Paginate(ctx, after, first, nil, nil, ent.WithCertificationOrder(&ent.CertificationOrder{
			Direction: entgql.OrderDirectionAsc, Field: ent.CertificationOrderFieldCreatedAt}))
}

// ReviewCertification is staff verifying or rejecting a certificate. Either
// way the worker is told, and a credit event and a ledger entry record it.
func (m *Market) ReviewCertification(ctx context.Context, id, decision string, reason *string) (*Changed, error) {
	if _, err := staff(ctx, "review certificates"); err != nil {
		return nil, err
	}
	why := ""
	if reason != nil {
		why = strings.TrimSpace(*reason)
	}
	to, kind, event := certification.StatusVERIFIED, creditevent.KindCERTIFICATE_VERIFIED, CertificationVerified
	switch {
	case decision == "REJECT" && why == "":
		return nil, BadInput("reason", "say why the certificate is rejected; the worker will read it")
	case decision == "REJECT":
		to, kind, event = certification.StatusREJECTED, creditevent.KindCERTIFICATE_REJECTED, CertificationRejected
	case decision != "VERIFY":
		return nil, BadInput("decision", "is not an allowed value")
	}
	if len(why) > 500 {
		return nil, BadInput("reason", "must have at most 500 characters")
	}
	if to == certification.StatusVERIFIED {
		// Staff verify what they were shown only if it is what was checked.
		cert, err := m.client(ctx).Certification.Get(ctx, id)
		if ent.IsNotFound(err) {
			return nil, NotFound("certification")
		}
		if err != nil {
			return nil, err
		}
		if cert.Status == certification.StatusPENDING_REVIEW {
			if err := m.documentIntact(ctx, cert); err != nil {
				return nil, err
			}
		}
	}
	return withCertification(m.moveCertification(ctx, id, []certification.Status{certification.StatusPENDING_REVIEW}, to, why, kind,
		LedgerCertificationReviewed, event))
}

// RevokeCertification is staff withdrawing a verified certificate.
func (m *Market) RevokeCertification(ctx context.Context, id, reason string) (*Changed, error) {
	if _, err := staff(ctx, "revoke certificates"); err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || len(reason) > 500 {
		return nil, BadInput("reason", "say why, in at most 500 characters")
	}
	return withCertification(m.moveCertification(ctx, id, []certification.Status{certification.StatusVERIFIED}, certification.StatusREVOKED,
		reason, creditevent.KindCERTIFICATE_REVOKED, LedgerCertificationRevoked, CertificationRevoked))
}

// withCertification is what a certificate's transition changed.
func withCertification(c *ent.Certification, err error) (*Changed, error) {
	if err != nil {
		return nil, err
	}
	return &Changed{Certification: c}, nil
}

// moveCertification makes one certificate transition with its credit
// event, ledger entry and notification.
func (m *Market) moveCertification(ctx context.Context, id string, from []certification.Status, to certification.Status,
	reason string, kind creditevent.Kind, ledger string, event EventKind) (*ent.Certification, error) {
	var out *ent.Certification
	err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		cert, err := c.Certification.Get(ctx, id)
		if ent.IsNotFound(err) {
			return NotFound("certification")
		}
		if err != nil {
			return err
		}
		up := c.Certification.Update().Where(certification.ID(id), certification.StatusIn(from...)).SetStatus(to).
			SetReviewReason(reason)
		if actor := actor(ctx); actor != "" {
			up.SetReviewedByID(actor).SetReviewedAt(m.Now())
		}
		n, err := up.Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			if cur, err := c.Certification.Get(ctx, id); err == nil && cur.Status == to && cur.ReviewReason == reason {
				out = cur // a retry: decided as asked
				return nil
			}
			code := CodeCertificationNotPending
			if slices.Contains(from, certification.StatusVERIFIED) {
				code = CodeCertificationNotVerified
			}
			return State(code, "the certification is %s", humanStatus(cert.Status.String()))
		}
		if _, err := m.appendLedger(ctx, c, ledger, id, actor(ctx), map[string]any{
			"worker": cert.WorkerID, "status": to.String(), "reason": reason, "sha256": cert.Sha256,
		}); err != nil {
			return err
		}
		if _, err := m.recordCredit(ctx, c, creditFact{kind: kind, workerID: cert.WorkerID, sourceID: id}); err != nil {
			return err
		}
		if err := m.emit(ctx, c, Event{Kind: event, ID: id, WorkerID: cert.WorkerID, Title: cert.Title}); err != nil {
			return err
		}
		out, err = c.Certification.Get(ctx, id)
		return err
	})
	return out, err
}

// ExpireCertifications warns workers 14 days before a verified certificate
// expires and expires it the day after its expiry date; the sweep runs it.
func (m *Market) ExpireCertifications(ctx context.Context) (int, error) {
	ctx = rule.System(ctx)
	now := m.Now()
	today := *date(&now)
	warn, err := m.db.Certification.Query().Where(certification.StatusEQ(certification.StatusVERIFIED),
		certification.ExpiresOnLTE(today.Add(ExpiryWarning)), certification.ExpiresOnGTE(today),
		certification.ExpiryWarnedAtIsNil()).All(ctx)
	if err != nil {
		return 0, err
	}
	for _, cert := range warn {
		err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
			n, err := c.Certification.Update().Where(certification.ID(cert.ID), certification.ExpiryWarnedAtIsNil()).
				SetExpiryWarnedAt(now).Save(ctx)
			if err != nil || n == 0 {
				return err
			}
			return m.emit(ctx, c, Event{Kind: CertificationExpiring, ID: cert.ID, WorkerID: cert.WorkerID,
				Title: cert.Title, When: *cert.ExpiresOn})
		})
		if err != nil {
			return 0, err
		}
	}
	due, err := m.db.Certification.Query().Where(certification.StatusEQ(certification.StatusVERIFIED),
		certification.ExpiresOnLT(today)).IDs(ctx)
	if err != nil {
		return 0, err
	}
	for _, id := range due {
		if _, err := m.moveCertification(ctx, id, []certification.Status{certification.StatusVERIFIED},
			certification.StatusEXPIRED, "expired", creditevent.KindCERTIFICATE_EXPIRED, LedgerCertificationExpired,
			CertificationExpired); err != nil {
			if _, ok := AsError(err); ok {
				continue // moved meanwhile
			}
			return len(warn), err
		}
	}
	return len(warn) + len(due), nil
}

// CleanUpUploads forgets certificates whose document never arrived within
// 24 hours, and deletes whatever half-arrived; and once the form of a
// completed upload has expired, it deletes whatever the form wrote after
// completion (S3 cannot refuse it) and forgets the form's key. The sweep
// runs it.
func (m *Market) CleanUpUploads(ctx context.Context) (int, error) {
	ctx = rule.System(ctx)
	used, err := m.db.Certification.Query().Where(certification.StatusNEQ(certification.StatusAWAITING_UPLOAD),
		certification.UploadKeyNotNil(), certification.CreatedAtLT(m.Now().Add(-UploadExpiry))).All(ctx)
	if err != nil {
		return 0, err
	}
	for _, cert := range used {
		if err := m.store.Delete(ctx, *cert.UploadKey); err != nil {
			return 0, err
		}
		if err := m.db.Certification.UpdateOneID(cert.ID).ClearUploadKey().Exec(ctx); err != nil {
			return 0, err
		}
	}
	stale, err := m.db.Certification.Query().Where(certification.StatusEQ(certification.StatusAWAITING_UPLOAD),
		certification.CreatedAtLT(m.Now().Add(-UnfinishedUploadTTL))).All(ctx)
	if err != nil {
		return 0, err
	}
	for _, cert := range stale {
		for _, key := range []string{uploadKeyOf(cert), cert.ObjectKey} {
			if err := m.store.Delete(ctx, key); err != nil {
				return 0, err
			}
		}
		if _, err := m.db.Certification.Delete().Where(certification.ID(cert.ID),
			certification.StatusEQ(certification.StatusAWAITING_UPLOAD)).Exec(ctx); err != nil {
			return 0, err
		}
	}
	return len(stale), nil
}

// CertificationDetails are what the worker, staff and the employers the
// worker is dealing with may see of a certificate.
type CertificationDetails struct {
	Issuer           string     `json:"issuer"`
	CredentialNumber string     `json:"credentialNumber"`
	IssuedOn         *time.Time `json:"issuedOn"`
	ExpiresOn        *time.Time `json:"expiresOn"`
	ReviewedAt       *time.Time `json:"reviewedAt"`
	ReviewReason     string     `json:"reviewReason"`
	FileName         string     `json:"fileName"`
	ByteSize         int64      `json:"byteSize"`
	Sha256           string     `json:"sha256"`
	DocumentURL      *string    `json:"documentURL"`
}

// activeApplications and activeAssignments are the dealings that let an
// employer see a worker's papers: an application still in play, or a hire
// not yet worked and checked out. A hired application gives way to its
// assignment, which ends; an approved or paid shift shows nothing more.
var (
	activeApplications = []application.Status{application.StatusAPPLIED, application.StatusSHORTLISTED,
		application.StatusOFFERED}
	activeAssignments = []assignment.Status{assignment.StatusSCHEDULED, assignment.StatusCHECKED_IN, assignment.StatusCHECKED_OUT}
)

// Details returns a certificate's details, with a download URL valid for 5
// minutes, to the worker, staff and members of an employer the worker has an
// active application or assignment with; to everyone else nil, with no hint
// that a document exists.
func (m *Market) Details(ctx context.Context, cert *ent.Certification) (*CertificationDetails, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, nil
	}
	ok := v.Staff || v.WorkerID == cert.WorkerID
	if !ok && len(v.MemberOf()) > 0 {
		sys := rule.System(ctx)
		c := m.client(ctx)
		if ok, err = c.Application.Query().Where(application.WorkerID(cert.WorkerID), application.StatusIn(activeApplications...),
			application.EmployerIDIn(v.MemberOf()...)).Exist(sys); err != nil {
			return nil, err
		}
		if !ok {
			if ok, err = c.Assignment.Query().Where(assignment.WorkerID(cert.WorkerID), assignment.StatusIn(activeAssignments...),
				assignment.EmployerIDIn(v.MemberOf()...)).Exist(sys); err != nil {
				return nil, err
			}
		}
	}
	if !ok {
		return nil, nil
	}
	d := &CertificationDetails{Issuer: cert.Issuer, CredentialNumber: cert.CredentialNumber, IssuedOn: cert.IssuedOn,
		ExpiresOn: cert.ExpiresOn, ReviewedAt: cert.ReviewedAt, ReviewReason: cert.ReviewReason, FileName: cert.FileName,
		ByteSize: cert.ByteSize, Sha256: cert.Sha256}
	if cert.UploadedAt != nil {
		if v.Staff && cert.Status == certification.StatusPENDING_REVIEW {
			// Served for review: checked against the hash recorded at upload.
			if err := m.documentIntact(ctx, cert); err != nil {
				return nil, err
			}
		}
		url, err := m.store.PresignDownload(ctx, cert.ObjectKey, DocumentURLExpiry,
			storage.Attachment{ContentType: cert.ContentType, FileName: cert.FileName})
		if err != nil {
			return nil, err
		}
		if v.Staff && v.WorkerID != cert.WorkerID { // staff handed someone's private document
			if err := m.audit(ctx, m.client(ctx), staffaction.ActionDOCUMENT_READ, cert.ID, cert.FileName); err != nil {
				return nil, err
			}
		}
		d.DocumentURL = &url
	}
	return d, nil
}
