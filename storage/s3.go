package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3 keeps blobs in an S3 bucket through minio-go.
type S3 struct {
	client *minio.Client
	bucket string
}

// S3Config says which S3 and bucket.
type S3Config struct {
	Endpoint, Bucket, AccessKey, SecretKey, Region string
	UseTLS                                         bool
}

// NewS3 connects to an S3 endpoint and makes the bucket if it is missing.
// The region is set, so presigning never asks the server for it.
func NewS3(ctx context.Context, c S3Config) (*S3, error) {
	if c.Region == "" {
		c.Region = "us-east-1"
	}
	client, err := minio.New(c.Endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(c.AccessKey, c.SecretKey, ""),
		Secure: c.UseTLS,
		Region: c.Region,
	})
	if err != nil {
		return nil, err
	}
	s := &S3{client: client, bucket: c.Bucket}
	ok, err := client.BucketExists(ctx, c.Bucket)
	if err != nil {
		return nil, s.mapError(err)
	}
	if !ok {
		if err := client.MakeBucket(ctx, c.Bucket, minio.MakeBucketOptions{Region: c.Region}); err != nil {
			return nil, s.mapError(err)
		}
	}
	return s, nil
}

// PresignUpload makes a POST policy pinned to the exact key and content type,
// with a content-length-range the server itself enforces.
func (s *S3) PresignUpload(ctx context.Context, key, contentType string, maxBytes int64, expires time.Duration) (*Upload, error) {
	if err := CheckKey(key); err != nil {
		return nil, err
	}
	exp := time.Now().Add(expires).UTC()
	p := minio.NewPostPolicy()
	for _, err := range []error{
		p.SetBucket(s.bucket), p.SetKey(key), p.SetExpires(exp),
		p.SetContentType(contentType), p.SetContentLengthRange(1, maxBytes),
	} {
		if err != nil {
			return nil, err
		}
	}
	u, fields, err := s.client.PresignedPostPolicy(ctx, p)
	if err != nil {
		return nil, s.mapError(err)
	}
	return &Upload{URL: u.String(), Fields: fields, ExpiresAt: exp}, nil
}

// PresignDownload makes a short-lived GET URL whose answer S3 marks as an
// attachment of the given type (response-content-disposition and
// response-content-type are part of the signature). S3 cannot add
// X-Content-Type-Options: a type stated from the bytes and an attachment
// leave a browser nothing to sniff or render.
func (s *S3) PresignDownload(ctx context.Context, key string, expires time.Duration, as Attachment) (string, error) {
	if err := CheckKey(key); err != nil {
		return "", err
	}
	q := url.Values{"response-content-disposition": {as.disposition()}}
	if as.ContentType != "" {
		q.Set("response-content-type", as.ContentType)
	}
	u, err := s.client.PresignedGetObject(ctx, s.bucket, key, expires, q)
	if err != nil {
		return "", s.mapError(err)
	}
	return u.String(), nil
}

// Copy copies an object inside the bucket, on the server side.
func (s *S3) Copy(ctx context.Context, src, dst string) error {
	if err := CheckKey(src); err != nil {
		return err
	}
	if err := CheckKey(dst); err != nil {
		return err
	}
	_, err := s.client.CopyObject(ctx, minio.CopyDestOptions{Bucket: s.bucket, Object: dst},
		minio.CopySrcOptions{Bucket: s.bucket, Object: src})
	if err != nil {
		return s.mapError(err)
	}
	return nil
}

// Stat describes a stored object.
func (s *S3) Stat(ctx context.Context, key string) (*Info, error) {
	if err := CheckKey(key); err != nil {
		return nil, err
	}
	oi, err := s.client.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		return nil, s.mapError(err)
	}
	return &Info{Key: key, Size: oi.Size, ContentType: oi.ContentType, Modified: oi.LastModified}, nil
}

// Open reads a byte range of an object.
func (s *S3) Open(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	if err := CheckKey(key); err != nil {
		return nil, err
	}
	opts := minio.GetObjectOptions{}
	if offset > 0 || length >= 0 {
		end := int64(0)
		if length >= 0 {
			end = offset + length - 1
		}
		if err := opts.SetRange(offset, end); err != nil {
			return nil, err
		}
	}
	obj, err := s.client.GetObject(ctx, s.bucket, key, opts)
	if err != nil {
		return nil, s.mapError(err)
	}
	// GetObject is lazy: ask now, so a missing object is an error here.
	if _, err := obj.Stat(); err != nil {
		obj.Close()
		return nil, s.mapError(err)
	}
	return obj, nil
}

// Delete removes an object.
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	if err := s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{}); err != nil {
		if errors.Is(s.mapError(err), ErrNotFound) {
			return nil
		}
		return s.mapError(err)
	}
	return nil
}

// mapError turns S3's errors into the package's.
func (s *S3) mapError(err error) error {
	var ne net.Error
	if errors.As(err, &ne) {
		return fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	switch r := minio.ToErrorResponse(err); {
	case r.Code == "NoSuchKey" || r.Code == "NoSuchBucket" || r.StatusCode == 404:
		return ErrNotFound
	case r.Code == "AccessDenied" || r.Code == "SignatureDoesNotMatch" || r.Code == "InvalidAccessKeyId" || r.StatusCode == 403:
		return ErrForbidden
	case r.StatusCode >= 500 || r.Code == "SlowDown":
		return fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	return err
}
