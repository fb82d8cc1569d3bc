// Package idcheck asks an identity-verification service whether a legal
// name and a PRC resident identity number belong together (身份证二要素
// 核验): the check the Ministry of Public Security's database answers,
// sold by cloud marketplaces as one HTTPS call. The service is called with
// the name and number as a form, authorised by the merchant's app code,
// and answers JSON: {"code": "0", "result": "1"|"2"|"3", "orderNo": "…",
// "message": "…"} — result 1 a match, 2 a mismatch, 3 no such number.
// Anything else (a non-200, another code) is an error worth retrying.
package idcheck

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Client calls the service at URL with the merchant's app code.
type Client struct {
	URL, AppCode string
	HTTP         *http.Client
}

// Answer is the service's verdict.
type Answer struct {
	Match  bool
	Ref    string // the service's order number, for a dispute
	Reason string // why not, in the service's words
}

// New returns a client with a 10-second timeout.
func New(url, appCode string) *Client {
	return &Client{URL: url, AppCode: appCode, HTTP: &http.Client{Timeout: 10 * time.Second}}
}

// Name names the service on the record.
func (c *Client) Name() string { return "idcheck" }

// Check asks whether name and number belong together.
func (c *Client) Check(ctx context.Context, name, number string) (Answer, error) {
	form := url.Values{"name": {name}, "idcard": {number}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, strings.NewReader(form.Encode()))
	if err != nil {
		return Answer{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
	req.Header.Set("Authorization", "APPCODE "+c.AppCode)
	res, err := c.HTTP.Do(req)
	if err != nil {
		return Answer{}, fmt.Errorf("idcheck: %w", err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	if res.StatusCode != http.StatusOK {
		return Answer{}, fmt.Errorf("idcheck: HTTP %d", res.StatusCode)
	}
	var out struct {
		Code, Result, OrderNo, Message string
	}
	if err := json.Unmarshal(body, &out); err != nil || out.Code != "0" {
		return Answer{}, fmt.Errorf("idcheck: answer %q: %v", out.Code, err)
	}
	switch out.Result {
	case "1":
		return Answer{Match: true, Ref: out.OrderNo}, nil
	case "2", "3":
		return Answer{Ref: out.OrderNo, Reason: out.Message}, nil
	}
	return Answer{}, fmt.Errorf("idcheck: result %q", out.Result)
}
