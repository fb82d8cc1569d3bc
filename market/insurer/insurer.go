// Package insurer enrols hires in an insurer's cover through its HTTP API
// (the occupational-injury protection flexwork buys for its platform gig
// workers): one enrolment per hire, named by a reference the insurer keeps
// as an idempotency key, so a retried enrolment answers with the first
// policy; and cancellation of a policy whose hire ended unworked.
//
//	POST {base}/enrolments      {"reference","product","insuredName","coversFrom","coversTo"}
//	                            → 200 {"policyNumber","insurer","premium":{"amount","currency"}}
//	POST {base}/enrolments/{policyNumber}/cancel → 200
//
// Both authorise with "Authorization: Bearer {key}". A 4xx is final; any
// other failure may be retried.
package insurer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Enrolment is a hire to cover.
type Enrolment struct {
	Reference   string    `json:"reference"` // the assignment's ID
	Product     string    `json:"product"`   // the kind of cover
	InsuredName string    `json:"insuredName"`
	CoversFrom  time.Time `json:"coversFrom"`
	CoversTo    time.Time `json:"coversTo"`
}

// Policy is what the insurer answers.
type Policy struct {
	PolicyNumber string `json:"policyNumber"`
	Insurer      string `json:"insurer"`
	Premium      struct {
		Amount   int64  `json:"amount"`
		Currency string `json:"currency"`
	} `json:"premium"`
}

// ErrRefused is the insurer's final no.
var ErrRefused = errors.New("insurer: refused")

// Client calls the insurer's API at Base with Key.
type Client struct {
	Base, Key string
	HTTP      *http.Client
}

// New returns a client with a 10-second timeout.
func New(base, key string) *Client {
	return &Client{Base: strings.TrimSuffix(base, "/"), Key: key, HTTP: &http.Client{Timeout: 10 * time.Second}}
}

// Name names the insurer's API on the records it makes.
func (c *Client) Name() string { return "insurer-api" }

// Enrol covers e, once per reference.
func (c *Client) Enrol(ctx context.Context, e Enrolment) (Policy, error) {
	var p Policy
	err := c.post(ctx, "/enrolments", e, e.Reference, &p)
	return p, err
}

// Cancel ends a policy.
func (c *Client) Cancel(ctx context.Context, policyNumber string) error {
	return c.post(ctx, "/enrolments/"+url.PathEscape(policyNumber)+"/cancel", struct{}{}, "", nil)
}

func (c *Client) post(ctx context.Context, path string, body any, key string, out any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.Base+path, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.Key)
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	res, err := c.HTTP.Do(req)
	if err != nil {
		return fmt.Errorf("insurer: %w", err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	switch {
	case res.StatusCode >= 400 && res.StatusCode < 500:
		return fmt.Errorf("%w: HTTP %d: %s", ErrRefused, res.StatusCode, bytes.TrimSpace(data))
	case res.StatusCode != http.StatusOK:
		return fmt.Errorf("insurer: HTTP %d", res.StatusCode)
	case out == nil:
		return nil
	}
	return json.Unmarshal(data, out)
}
