package notifications

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"firebase.google.com/go/v4/errorutils"
	"firebase.google.com/go/v4/messaging"
)

// Push is one message to one device.
type Push struct {
	Token       string
	Title, Body string
	Data        map[string]string
}

// Outcome is what became of one push.
type Outcome struct {
	Sent bool
	// Gone: the token is dead (UNREGISTERED, SENDER_ID_MISMATCH); disable it.
	Gone bool
	// Retry: a passing failure (429, 5xx); try again after RetryAfter.
	Retry      bool
	RetryAfter time.Duration
	Err        error
}

// Sender delivers pushes, at most MaxBatch at a time; outcomes come back in
// the order of the pushes.
type Sender interface {
	Send(ctx context.Context, batch []Push) ([]Outcome, error)
}

// MaxBatch is FCM's limit for one SendEach.
const MaxBatch = 500

// FCM sends pushes through Firebase Cloud Messaging with the Admin SDK.
type FCM struct{ Client *messaging.Client }

// Send sends a batch with SendEach and reads each result in order. The SDK
// retries 503 itself but not 429; both come back as Retry, with the server's
// Retry-After when it gave one.
func (f FCM) Send(ctx context.Context, batch []Push) ([]Outcome, error) {
	msgs := make([]*messaging.Message, len(batch))
	for i, p := range batch {
		msgs[i] = &messaging.Message{
			Token:        p.Token,
			Notification: &messaging.Notification{Title: p.Title, Body: p.Body},
			Data:         p.Data,
		}
	}
	resp, err := f.Client.SendEach(ctx, msgs)
	if err != nil {
		return nil, err
	}
	out := make([]Outcome, len(batch))
	for i, r := range resp.Responses {
		switch {
		case r.Success:
			out[i].Sent = true
		case messaging.IsUnregistered(r.Error), messaging.IsSenderIDMismatch(r.Error):
			out[i].Gone, out[i].Err = true, r.Error
		case messaging.IsQuotaExceeded(r.Error), messaging.IsUnavailable(r.Error), messaging.IsInternal(r.Error),
			errorutils.IsResourceExhausted(r.Error), errorutils.IsUnavailable(r.Error), errorutils.IsInternal(r.Error):
			out[i].Retry, out[i].Err, out[i].RetryAfter = true, r.Error, retryAfter(errorutils.HTTPResponse(r.Error))
		default:
			out[i].Err = r.Error
		}
	}
	return out, nil
}

// retryAfter reads a Retry-After header in seconds (or as an HTTP date).
func retryAfter(resp *http.Response) time.Duration {
	if resp == nil {
		return 0
	}
	v := resp.Header.Get("Retry-After")
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return time.Until(t)
	}
	return 0
}

// LogSender stands in for FCM when there are no Firebase credentials: it
// logs each push (with the token shortened) and counts it sent.
type LogSender struct{ Log *slog.Logger }

// Send logs the batch.
func (l LogSender) Send(ctx context.Context, batch []Push) ([]Outcome, error) {
	out := make([]Outcome, len(batch))
	for i, p := range batch {
		l.Log.InfoContext(ctx, "push (not sent: no Firebase credentials)", "token", ShortToken(p.Token), "title", p.Title)
		out[i].Sent = true
	}
	return out, nil
}

// ShortToken is how a device token appears in logs: never whole.
func ShortToken(t string) string {
	if len(t) <= 8 {
		return "…"
	}
	return "…" + t[len(t)-6:]
}
