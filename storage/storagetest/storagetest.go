// Package storagetest is the contract every storage backend passes: the
// same tests, through the same HTTP a phone would use, against the local
// directory and against a real S3 server.
package storagetest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"flexwork/storage"
)

// Backend is a store under test and a way to let its presigned URLs expire.
type Backend struct {
	Store storage.Store
	// Expire makes every URL presigned so far stale: the local store moves
	// its clock, S3 waits out the expiry.
	Expire func()
	// ShortExpiry is the expiry to presign with before calling Expire.
	ShortExpiry time.Duration
	// ServesItself is true of a backend whose own handler answers
	// downloads, and so can add X-Content-Type-Options (S3 cannot).
	ServesItself bool
}

// asPDF is how the contract's documents are downloaded.
var asPDF = storage.Attachment{ContentType: "application/pdf", FileName: "Führerschein.pdf"}

// PostForm uploads content with a presigned form, as the apps do: the
// fields, then the file as the last part. It returns the HTTP status.
func PostForm(t testing.TB, u *storage.Upload, name string, content []byte) int {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range u.Fields {
		_ = mw.WriteField(k, v)
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(content)
	mw.Close()
	resp, err := http.Post(u.URL, mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatalf("POST %s: %v", u.URL, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

// Get downloads url, as the apps follow a document link, and returns the
// HTTP status and body.
func Get(t testing.TB, url string) (int, []byte) {
	t.Helper()
	status, _, body := GetWithHeaders(t, url)
	return status, body
}

// GetWithHeaders is Get with the response's headers.
func GetWithHeaders(t testing.TB, url string) (int, http.Header, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

func ok(status int) bool { return status >= 200 && status < 300 }

// Run runs the contract against a fresh backend per test.
func Run(t *testing.T, newBackend func(t *testing.T) Backend) {
	ctx := context.Background()
	pdf := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("certificate "), 100)...)

	t.Run("upload, stat, read a range, download, delete", func(t *testing.T) {
		b := newBackend(t)
		u, err := b.Store.PresignUpload(ctx, "certifications/wkr_1/crt_1", "application/pdf", 10<<20, 15*time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if !u.ExpiresAt.After(time.Now().Add(14*time.Minute)) || u.URL == "" {
			t.Fatalf("upload form = %+v", u)
		}
		if s := PostForm(t, u, "cert.pdf", pdf); !ok(s) {
			t.Fatalf("upload: status %d", s)
		}
		info, err := b.Store.Stat(ctx, "certifications/wkr_1/crt_1")
		if err != nil || info.Size != int64(len(pdf)) || info.ContentType != "application/pdf" {
			t.Fatalf("stat = %+v, %v", info, err)
		}
		r, err := b.Store.Open(ctx, "certifications/wkr_1/crt_1", 0, 5)
		if err != nil {
			t.Fatal(err)
		}
		head, _ := io.ReadAll(r)
		r.Close()
		if string(head) != "%PDF-" {
			t.Fatalf("first 5 bytes = %q", head)
		}
		r, err = b.Store.Open(ctx, "certifications/wkr_1/crt_1", 9, -1)
		if err != nil {
			t.Fatal(err)
		}
		rest, _ := io.ReadAll(r)
		r.Close()
		if !bytes.Equal(rest, pdf[9:]) {
			t.Fatalf("reading from offset 9: %d bytes", len(rest))
		}
		url, err := b.Store.PresignDownload(ctx, "certifications/wkr_1/crt_1", 5*time.Minute, asPDF)
		if err != nil {
			t.Fatal(err)
		}
		s, h, got := GetWithHeaders(t, url)
		if s != 200 || !bytes.Equal(got, pdf) {
			t.Fatalf("download: %d, %d bytes", s, len(got))
		}
		// An attachment of the type found in the bytes: a browser saves it,
		// never renders it as a page of this origin.
		if d := h.Get("Content-Disposition"); !strings.HasPrefix(d, "attachment") || !strings.Contains(d, "F%C3%BChrerschein.pdf") {
			t.Fatalf("Content-Disposition = %q", d)
		}
		if ct := h.Get("Content-Type"); ct != "application/pdf" {
			t.Fatalf("Content-Type = %q", ct)
		}
		if b.ServesItself && h.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("X-Content-Type-Options = %q", h.Get("X-Content-Type-Options"))
		}
		if err := b.Store.Delete(ctx, "certifications/wkr_1/crt_1"); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Store.Stat(ctx, "certifications/wkr_1/crt_1"); !errors.Is(err, storage.ErrNotFound) {
			t.Fatalf("stat after delete: %v", err)
		}
		if _, err := b.Store.Open(ctx, "certifications/wkr_1/crt_1", 0, 1); !errors.Is(err, storage.ErrNotFound) {
			t.Fatalf("open after delete: %v", err)
		}
		if err := b.Store.Delete(ctx, "certifications/wkr_1/crt_1"); err != nil {
			t.Fatalf("deleting twice: %v", err)
		}
	})

	t.Run("the storage refuses more bytes than the form allows", func(t *testing.T) {
		b := newBackend(t)
		u, err := b.Store.PresignUpload(ctx, "certifications/wkr_1/big", "application/pdf", 1000, 15*time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if s := PostForm(t, u, "big.pdf", bytes.Repeat([]byte("x"), 1001)); ok(s) {
			t.Fatalf("1001 bytes through a 1000-byte form: status %d", s)
		}
		if _, err := b.Store.Stat(ctx, "certifications/wkr_1/big"); !errors.Is(err, storage.ErrNotFound) {
			t.Fatalf("a refused upload left an object: %v", err)
		}
	})

	t.Run("a form uploads only its own key", func(t *testing.T) {
		b := newBackend(t)
		u, err := b.Store.PresignUpload(ctx, "certifications/wkr_1/mine", "application/pdf", 1<<20, 15*time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		u.Fields["key"] = "certifications/wkr_2/theirs"
		if s := PostForm(t, u, "x.pdf", pdf); ok(s) {
			t.Fatalf("a form rewritten to another key: status %d", s)
		}
		if _, err := b.Store.Stat(ctx, "certifications/wkr_2/theirs"); !errors.Is(err, storage.ErrNotFound) {
			t.Fatalf("the rewritten key was written: %v", err)
		}
	})

	t.Run("stale presigned URLs are refused", func(t *testing.T) {
		b := newBackend(t)
		good, _ := b.Store.PresignUpload(ctx, "certifications/wkr_1/a", "application/pdf", 1<<20, 15*time.Minute)
		if s := PostForm(t, good, "a.pdf", pdf); !ok(s) {
			t.Fatalf("upload: %d", s)
		}
		stale, err := b.Store.PresignUpload(ctx, "certifications/wkr_1/b", "application/pdf", 1<<20, b.ShortExpiry)
		if err != nil {
			t.Fatal(err)
		}
		download, err := b.Store.PresignDownload(ctx, "certifications/wkr_1/a", b.ShortExpiry, asPDF)
		if err != nil {
			t.Fatal(err)
		}
		b.Expire()
		if s := PostForm(t, stale, "b.pdf", pdf); ok(s) {
			t.Fatalf("an expired upload form: status %d", s)
		}
		if s, _ := Get(t, download); s != http.StatusForbidden {
			t.Fatalf("an expired download URL: status %d, want 403", s)
		}
	})

	t.Run("keys cannot escape the root", func(t *testing.T) {
		b := newBackend(t)
		for _, key := range []string{"../outside", "/etc/passwd", "certifications/../../outside", "a//b", "a/./b", "", "a\\..\\b", "..", "a/.."} {
			if _, err := b.Store.PresignUpload(ctx, key, "application/pdf", 1, time.Minute); !errors.Is(err, storage.ErrInvalidKey) {
				t.Errorf("PresignUpload(%q): %v", key, err)
			}
			if _, err := b.Store.Stat(ctx, key); !errors.Is(err, storage.ErrInvalidKey) {
				t.Errorf("Stat(%q): %v", key, err)
			}
			if _, err := b.Store.Open(ctx, key, 0, 1); !errors.Is(err, storage.ErrInvalidKey) {
				t.Errorf("Open(%q): %v", key, err)
			}
			if _, err := b.Store.PresignDownload(ctx, key, time.Minute, asPDF); !errors.Is(err, storage.ErrInvalidKey) {
				t.Errorf("PresignDownload(%q): %v", key, err)
			}
			if err := b.Store.Copy(ctx, key, "certifications/x"); !errors.Is(err, storage.ErrInvalidKey) {
				t.Errorf("Copy(%q, …): %v", key, err)
			}
			if err := b.Store.Copy(ctx, "certifications/x", key); !errors.Is(err, storage.ErrInvalidKey) {
				t.Errorf("Copy(…, %q): %v", key, err)
			}
			if err := b.Store.Delete(ctx, key); !errors.Is(err, storage.ErrInvalidKey) {
				t.Errorf("Delete(%q): %v", key, err)
			}
		}
	})

	t.Run("a copy is the object's own and outlives the original", func(t *testing.T) {
		b := newBackend(t)
		u, _ := b.Store.PresignUpload(ctx, "uploads/wkr_1/crt_1", "application/pdf", 1<<20, 15*time.Minute)
		if s := PostForm(t, u, "a.pdf", pdf); !ok(s) {
			t.Fatalf("upload: %d", s)
		}
		if err := b.Store.Copy(ctx, "uploads/wkr_1/crt_1", "certifications/wkr_1/crt_1"); err != nil {
			t.Fatal(err)
		}
		// The form is used again, for other bytes: the copy does not change.
		if s := PostForm(t, u, "b.pdf", []byte("%PDF-other bytes")); !ok(s) {
			t.Fatalf("second upload: %d", s)
		}
		if err := b.Store.Delete(ctx, "uploads/wkr_1/crt_1"); err != nil {
			t.Fatal(err)
		}
		r, err := b.Store.Open(ctx, "certifications/wkr_1/crt_1", 0, -1)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(r)
		r.Close()
		if !bytes.Equal(got, pdf) {
			t.Fatalf("the copy holds %q", got)
		}
		if err := b.Store.Copy(ctx, "uploads/nothing", "certifications/y"); !errors.Is(err, storage.ErrNotFound) {
			t.Fatalf("copying a missing object: %v", err)
		}
	})

	t.Run("missing objects are not found", func(t *testing.T) {
		b := newBackend(t)
		if _, err := b.Store.Stat(ctx, "certifications/nobody"); !errors.Is(err, storage.ErrNotFound) {
			t.Fatalf("stat: %v", err)
		}
		if _, err := b.Store.Open(ctx, "certifications/nobody", 0, -1); !errors.Is(err, storage.ErrNotFound) {
			t.Fatalf("open: %v", err)
		}
	})
}
