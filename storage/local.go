package storage

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"strconv"
	"strings"
	"time"
)

// Local keeps blobs in a directory and serves presigned uploads and
// downloads itself, under a path of the server (Handler). Files are opened
// through an os.Root, so even a key that slipped past CheckKey could not
// reach outside the directory.
type Local struct {
	root    *os.Root
	key     []byte // HMAC key of the signed URLs
	baseURL string // e.g. https://api.example.com/blobs
	now     func() time.Time
	gate    func(ctx context.Context, key string) error
}

// GateUploads makes the handler ask gate before it stores a signed upload,
// and refuse it when gate answers an error: a form is good for as long as
// its upload is wanted (a certificate awaiting its document), not for as
// long as its signature lasts. S3 cannot ask; there no form ever names the
// key a finished document is kept at.
func (l *Local) GateUploads(gate func(ctx context.Context, key string) error) { l.gate = gate }

// NewLocal keeps blobs in dir; URLs are signed with secret and start with
// baseURL (the server's public URL and the path Handler is mounted at).
func NewLocal(dir string, secret []byte, baseURL string, now func() time.Time) (*Local, error) {
	if len(secret) < 16 {
		return nil, errors.New("storage: the local signing secret must hold at least 16 bytes")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	if now == nil {
		now = time.Now
	}
	return &Local{root: root, key: secret, baseURL: strings.TrimSuffix(baseURL, "/"), now: now}, nil
}

// Close releases the directory.
func (l *Local) Close() error { return l.root.Close() }

func (l *Local) sign(parts ...string) string {
	m := hmac.New(sha256.New, l.key)
	for _, p := range parts {
		fmt.Fprintf(m, "%d:%s;", len(p), p)
	}
	return hex.EncodeToString(m.Sum(nil))
}

// PresignUpload signs an upload form for the local handler.
func (l *Local) PresignUpload(_ context.Context, key, contentType string, maxBytes int64, expires time.Duration) (*Upload, error) {
	if err := CheckKey(key); err != nil {
		return nil, err
	}
	exp := l.now().Add(expires).UTC().Truncate(time.Second)
	e := strconv.FormatInt(exp.Unix(), 10)
	m := strconv.FormatInt(maxBytes, 10)
	return &Upload{
		URL: l.baseURL + "/upload",
		Fields: map[string]string{
			"key": key, "Content-Type": contentType, "x-max-bytes": m, "x-expires": e,
			"x-signature": l.sign("upload", key, contentType, m, e),
		},
		ExpiresAt: exp,
	}, nil
}

// PresignDownload signs a download URL for the local handler; the type and
// file name it answers with are signed too.
func (l *Local) PresignDownload(_ context.Context, key string, expires time.Duration, as Attachment) (string, error) {
	if err := CheckKey(key); err != nil {
		return "", err
	}
	e := strconv.FormatInt(l.now().Add(expires).Unix(), 10)
	q := url.Values{"key": {key}, "expires": {e}, "type": {as.ContentType}, "name": {as.FileName},
		"signature": {l.sign("download", key, e, as.ContentType, as.FileName)}}
	return l.baseURL + "/download?" + q.Encode(), nil
}

// Copy copies a stored file, through a temporary file renamed into place.
func (l *Local) Copy(_ context.Context, src, dst string) error {
	if err := CheckKey(src); err != nil {
		return err
	}
	if err := CheckKey(dst); err != nil {
		return err
	}
	in, err := l.root.Open(src)
	if err != nil {
		return mapFSError(err)
	}
	defer in.Close()
	if dir := path.Dir(dst); dir != "." {
		if err := l.root.MkdirAll(dir, 0o755); err != nil {
			return mapFSError(err)
		}
	}
	tmp := dst + ".copy-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	out, err := l.root.Create(tmp)
	if err != nil {
		return mapFSError(err)
	}
	_, err = io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = l.root.Rename(tmp, dst)
	}
	if err != nil {
		_ = l.root.Remove(tmp)
		return mapFSError(err)
	}
	if ct, err := l.root.ReadFile(src + ".type"); err == nil {
		_ = l.root.WriteFile(dst+".type", ct, 0o644)
	}
	return nil
}

// Stat describes a stored file.
func (l *Local) Stat(_ context.Context, key string) (*Info, error) {
	if err := CheckKey(key); err != nil {
		return nil, err
	}
	fi, err := l.root.Stat(key)
	if err != nil {
		return nil, mapFSError(err)
	}
	ct, _ := l.root.ReadFile(key + ".type")
	return &Info{Key: key, Size: fi.Size(), ContentType: string(ct), Modified: fi.ModTime()}, nil
}

// Open reads part of a stored file.
func (l *Local) Open(_ context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	if err := CheckKey(key); err != nil {
		return nil, err
	}
	f, err := l.root.Open(key)
	if err != nil {
		return nil, mapFSError(err)
	}
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	if length < 0 {
		return f, nil
	}
	return struct {
		io.Reader
		io.Closer
	}{io.LimitReader(f, length), f}, nil
}

// Delete removes a stored file.
func (l *Local) Delete(_ context.Context, key string) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	_ = l.root.Remove(key + ".type")
	if err := l.root.Remove(key); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return mapFSError(err)
	}
	return nil
}

func mapFSError(err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return ErrNotFound
	case errors.Is(err, fs.ErrPermission):
		return ErrForbidden
	}
	return fmt.Errorf("%w: %v", ErrUnavailable, err)
}

// Handler serves the signed uploads (POST …/upload) and downloads
// (GET …/download); mount it at the path of baseURL.
func (l *Local) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /upload", l.upload)
	mux.HandleFunc("GET /download", l.download)
	return mux
}

// s3Error answers like S3 does, so clients handle both backends alike.
func s3Error(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>%s</Code><Message>%s</Message></Error>", code, message)
}

// upload stores the file of a signed form, enforcing the signed key,
// content type, size and expiry. The file is written aside and renamed into
// place, so a refused or broken upload leaves nothing behind.
func (l *Local) upload(w http.ResponseWriter, r *http.Request) {
	mr, err := r.MultipartReader()
	if err != nil {
		s3Error(w, http.StatusBadRequest, "MalformedPOSTRequest", "expected multipart/form-data")
		return
	}
	fields := map[string]string{}
	for {
		part, err := mr.NextPart()
		if err != nil {
			s3Error(w, http.StatusBadRequest, "MalformedPOSTRequest", "the form has no file")
			return
		}
		if part.FormName() != "file" {
			b, _ := io.ReadAll(io.LimitReader(part, 4096))
			fields[part.FormName()] = string(b)
			continue
		}
		key, ct := fields["key"], fields["Content-Type"]
		max, _ := strconv.ParseInt(fields["x-max-bytes"], 10, 64)
		exp, _ := strconv.ParseInt(fields["x-expires"], 10, 64)
		switch {
		case !hmac.Equal([]byte(fields["x-signature"]), []byte(l.sign("upload", key, ct, fields["x-max-bytes"], fields["x-expires"]))):
			s3Error(w, http.StatusForbidden, "AccessDenied", "invalid signature")
			return
		case l.now().Unix() > exp:
			s3Error(w, http.StatusForbidden, "AccessDenied", "the upload form has expired")
			return
		case CheckKey(key) != nil:
			s3Error(w, http.StatusBadRequest, "InvalidArgument", "invalid key")
			return
		case l.gate != nil && l.gate(r.Context(), key) != nil:
			s3Error(w, http.StatusForbidden, "AccessDenied", "this upload form has been used or withdrawn")
			return
		}
		l.store(w, key, ct, part, max)
		return
	}
}

func (l *Local) store(w http.ResponseWriter, key, contentType string, body io.Reader, max int64) {
	if dir := path.Dir(key); dir != "." {
		if err := l.root.MkdirAll(dir, 0o755); err != nil {
			s3Error(w, http.StatusInternalServerError, "InternalError", "cannot store")
			return
		}
	}
	tmp := key + ".upload-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	f, err := l.root.Create(tmp)
	if err != nil {
		s3Error(w, http.StatusInternalServerError, "InternalError", "cannot store")
		return
	}
	n, err := io.Copy(f, io.LimitReader(body, max+1))
	f.Close()
	switch {
	case err != nil:
		_ = l.root.Remove(tmp)
		s3Error(w, http.StatusBadRequest, "IncompleteBody", "the upload broke off")
		return
	case n > max:
		_ = l.root.Remove(tmp)
		s3Error(w, http.StatusBadRequest, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
		return
	case n == 0:
		_ = l.root.Remove(tmp)
		s3Error(w, http.StatusBadRequest, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size")
		return
	}
	if err := l.root.Rename(tmp, key); err != nil {
		_ = l.root.Remove(tmp)
		s3Error(w, http.StatusInternalServerError, "InternalError", "cannot store")
		return
	}
	_ = l.root.WriteFile(key+".type", []byte(contentType), 0o644)
	w.WriteHeader(http.StatusNoContent)
}

// download serves a file at a signed, unexpired URL, as an attachment of
// the signed type that browsers must not sniff.
func (l *Local) download(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	key, e := q.Get("key"), q.Get("expires")
	as := Attachment{ContentType: q.Get("type"), FileName: q.Get("name")}
	exp, _ := strconv.ParseInt(e, 10, 64)
	if !hmac.Equal([]byte(q.Get("signature")), []byte(l.sign("download", key, e, as.ContentType, as.FileName))) || l.now().Unix() > exp {
		s3Error(w, http.StatusForbidden, "AccessDenied", "Request has expired or its signature is invalid")
		return
	}
	info, err := l.Stat(r.Context(), key)
	if err != nil {
		s3Error(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
		return
	}
	f, err := l.root.Open(key)
	if err != nil {
		s3Error(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
		return
	}
	defer f.Close()
	ct := as.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", as.disposition())
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "private, no-store")
	http.ServeContent(w, r, path.Base(key), info.Modified, f)
}
