// Package storage keeps blobs — certificates, avatars — behind one
// interface with two backends: a local directory (the embedded default),
// whose uploads and downloads the server itself serves at URLs it signs, and
// any S3 (MinIO, AWS S3, GCS interop) through minio-go. Apps upload straight
// to storage with a presigned form and download with a presigned URL; the
// GraphQL server never carries the bytes.
//
// Every call takes a context. Keys are checked by both backends: they are
// relative, slash-separated paths of safe characters that cannot climb out
// of the root.
package storage

import (
	"context"
	"errors"
	"io"
	"mime"
	"regexp"
	"strings"
	"time"
)

// Store is a blob store.
type Store interface {
	// PresignUpload returns a form that uploads one object under key, of
	// the given content type and at most maxBytes, until expires from now.
	PresignUpload(ctx context.Context, key, contentType string, maxBytes int64, expires time.Duration) (*Upload, error)
	// Stat describes a stored object.
	Stat(ctx context.Context, key string) (*Info, error)
	// Open reads length bytes from offset (length < 0: to the end).
	Open(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error)
	// PresignDownload returns a URL that reads the object until expires,
	// answered as an attachment (never rendered inline by a browser) of
	// the type and with the file name given.
	PresignDownload(ctx context.Context, key string, expires time.Duration, as Attachment) (string, error)
	// Copy copies the object at src to dst, replacing what dst held.
	Copy(ctx context.Context, src, dst string) error
	// Delete removes an object; deleting a missing object is not an error.
	Delete(ctx context.Context, key string) error
}

// Attachment is how a download is answered: its Content-Type (the type the
// server found in the bytes, not the uploader's word) and the file name the
// browser saves it under.
type Attachment struct {
	ContentType string
	FileName    string
}

// disposition is the Content-Disposition of an attachment; mime encodes a
// file name that is not plain ASCII (RFC 2231).
func (a Attachment) disposition() string {
	name := strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '/' || r == '\\' {
			return '_'
		}
		return r
	}, a.FileName)
	if name == "" {
		return "attachment"
	}
	return mime.FormatMediaType("attachment", map[string]string{"filename": name})
}

// Upload is a presigned upload: POST the fields, then the file as the last
// part "file", as multipart/form-data to URL.
type Upload struct {
	URL       string
	Fields    map[string]string
	ExpiresAt time.Time
}

// Info describes a stored object.
type Info struct {
	Key         string
	Size        int64
	ContentType string
	Modified    time.Time
}

// Errors every backend maps its own to.
var (
	ErrNotFound    = errors.New("storage: object not found")
	ErrForbidden   = errors.New("storage: access denied")
	ErrUnavailable = errors.New("storage: unavailable")
	ErrInvalidKey  = errors.New("storage: invalid key")
)

var keyPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$`)

// CheckKey refuses keys that are absolute, climb ("..") or carry anything
// but letters, digits, '.', '_', '-' and single '/' between segments.
func CheckKey(key string) error {
	if len(key) == 0 || len(key) > 512 || !keyPattern.MatchString(key) {
		return ErrInvalidKey
	}
	for _, seg := range strings.Split(key, "/") {
		if seg == "." || seg == ".." || strings.HasPrefix(seg, "..") {
			return ErrInvalidKey
		}
	}
	return nil
}
