package storage_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"flexwork/storage"
	"flexwork/storage/storagetest"
)

// clock is a clock the local backend's tests move.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

func TestLocalContract(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storagetest.Backend {
		c := &clock{now: time.Now()}
		mux := http.NewServeMux()
		hs := httptest.NewServer(mux)
		t.Cleanup(hs.Close)
		l, err := storage.NewLocal(t.TempDir(), []byte("test-secret-0123456789"), hs.URL+"/blobs", c.Now)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { l.Close() })
		mux.Handle("/blobs/", http.StripPrefix("/blobs", l.Handler()))
		return storagetest.Backend{Store: l, ShortExpiry: time.Minute, Expire: func() { c.Advance(2 * time.Minute) }, ServesItself: true}
	})
}

func TestS3Contract(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storagetest.Backend {
		// S3's clock cannot be moved: presign for a second and wait it out.
		return storagetest.Backend{Store: storagetest.S3(t), ShortExpiry: time.Second, Expire: func() { time.Sleep(2100 * time.Millisecond) }}
	})
}

// TestLocalFilesStayUnderTheRoot checks the directory itself after uploads.
func TestLocalFilesStayUnderTheRoot(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "blobs")
	mux := http.NewServeMux()
	hs := httptest.NewServer(mux)
	defer hs.Close()
	l, err := storage.NewLocal(root, []byte("test-secret-0123456789"), hs.URL+"/blobs", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	mux.Handle("/blobs/", http.StripPrefix("/blobs", l.Handler()))
	u, err := l.PresignUpload(context.Background(), "certifications/wkr/crt", "application/pdf", 100, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if s := storagetest.PostForm(t, u, "x.pdf", []byte("%PDF-1.4")); s != 204 {
		t.Fatalf("upload: %d", s)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "blobs" {
		t.Fatalf("files outside the root: %v", entries)
	}
	if _, err := os.Stat(filepath.Join(root, "certifications", "wkr", "crt")); err != nil {
		t.Fatalf("the upload is not where it belongs: %v", err)
	}
}

// TestLocalUploadsAskTheGate: a signed form stores nothing once the gate
// says its upload is no longer wanted.
func TestLocalUploadsAskTheGate(t *testing.T) {
	mux := http.NewServeMux()
	hs := httptest.NewServer(mux)
	defer hs.Close()
	l, err := storage.NewLocal(t.TempDir(), []byte("test-secret-0123456789"), hs.URL+"/blobs", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	mux.Handle("/blobs/", http.StripPrefix("/blobs", l.Handler()))
	var mu sync.Mutex
	open := map[string]bool{"uploads/wkr/crt": true}
	l.GateUploads(func(_ context.Context, key string) error {
		mu.Lock()
		defer mu.Unlock()
		if !open[key] {
			return errors.New("closed")
		}
		return nil
	})
	ctx := context.Background()
	u, _ := l.PresignUpload(ctx, "uploads/wkr/crt", "application/pdf", 100, time.Minute)
	if s := storagetest.PostForm(t, u, "x.pdf", []byte("%PDF-1.4 first")); s != 204 {
		t.Fatalf("an open upload: %d", s)
	}
	mu.Lock()
	open["uploads/wkr/crt"] = false
	mu.Unlock()
	if s := storagetest.PostForm(t, u, "x.pdf", []byte("%PDF-1.4 second")); s != http.StatusForbidden {
		t.Fatalf("a closed upload: %d, want 403", s)
	}
	r, err := l.Open(ctx, "uploads/wkr/crt", 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if b, _ := io.ReadAll(r); string(b) != "%PDF-1.4 first" {
		t.Fatalf("the closed form replaced the upload: %q", b)
	}
}
