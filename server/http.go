package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"flexwork/market"
	"flexwork/server/auth"
)

// The two media types of GraphQL over HTTP.
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// codeBadRequest: the request is not a GraphQL-over-HTTP request (no JSON,
// no query, a parameter of the wrong type).
const codeBadRequest = "BAD_REQUEST"

// httpTransport serves GraphQL over HTTP as its specification
// (graphql.github.io/graphql-over-http) says, where gqlgen's own POST and
// GET transports part from it:
//
//   - the response media type is negotiated from Accept, with q-values:
//     application/graphql-response+json or application/json (also for */*
//     and no Accept), else 406;
//   - under application/json every well-formed request is answered 200,
//     errors included, so that a client that treats any other status as a
//     transport failure still reads extensions.code; under
//     application/graphql-response+json a request error (no data: the
//     document did not parse or validate, a variable did not coerce, a
//     limit refused it) is a 4xx and the body has no data entry;
//   - a body that is not JSON, or a query, operationName, variables or
//     extensions of the wrong type, is 400; a POST that is not
//     application/json is 415; a mutation by GET is 405 with Allow: POST;
//   - a bad access token is a GraphQL error with code UNAUTHENTICATED —
//     200 under application/json, 401 under graphql-response+json — never a
//     bare HTTP refusal whose body an Apollo client would not read.
//
// documentId (GET and POST) names an operation of the manifest, as
// extensions.persistedQuery does.
type httpTransport struct{}

var _ graphql.Transport = httpTransport{}

func (httpTransport) Supports(r *http.Request) bool {
	return r.Header.Get("Upgrade") == "" && r.Method != http.MethodOptions
}

func (httpTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	media, ok := negotiate(r.Header.Get("Accept"))
	if !ok {
		reply(w, mediaJSON, http.StatusNotAcceptable, requestError(codeBadRequest,
			"this server answers application/graphql-response+json or application/json"))
		return
	}
	if auth.BadToken(ctx) {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		status := http.StatusOK
		if media == mediaGraphQLResponse {
			status = http.StatusUnauthorized
		}
		reply(w, media, status, requestError(string(market.CodeUnauthenticated), "access token is invalid or expired"))
		return
	}
	var (
		params *graphql.RawParams
		err    error
	)
	switch r.Method {
	case http.MethodGet:
		params, err = paramsFromQuery(r.URL.Query())
	case http.MethodPost:
		if mt, _, perr := mime.ParseMediaType(r.Header.Get("Content-Type")); perr != nil || mt != mediaJSON {
			w.Header().Set("Accept-Post", mediaJSON)
			reply(w, media, http.StatusUnsupportedMediaType, requestError(codeBadRequest, "send the request as application/json"))
			return
		}
		params, err = paramsFromBody(r.Body)
	default:
		w.Header().Set("Allow", "GET, POST")
		reply(w, media, http.StatusMethodNotAllowed, requestError(codeBadRequest, "GraphQL is served by GET and POST"))
		return
	}
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		reply(w, media, http.StatusRequestEntityTooLarge, requestError(codeBadRequest, "request body too large"))
		return
	case err != nil:
		reply(w, media, http.StatusBadRequest, requestError(codeBadRequest, err.Error()))
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: graphql.Now(), End: graphql.Now()}

	oc, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		resp := exec.DispatchError(graphql.WithOperationContext(ctx, oc), errs)
		resp.Data = nil // a request error: nothing was executed
		reply(w, media, statusOf(media, resp), resp)
		return
	}
	if r.Method == http.MethodGet && oc.Operation.Operation != ast.Query {
		// A GET may be repeated, cached and prefetched: it never changes anything.
		w.Header().Set("Allow", "POST")
		reply(w, media, http.StatusMethodNotAllowed, requestError(codeBadRequest, "send "+string(oc.Operation.Operation)+"s by POST"))
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, oc)
	resp := responses(ctx)
	reply(w, media, statusOf(media, resp), resp)
}

// negotiate picks the response media type from Accept: the supported type
// of the highest quality, the earlier on a tie; application/json for */*,
// application/* and no Accept at all.
func negotiate(accept string) (string, bool) {
	if strings.TrimSpace(accept) == "" {
		return mediaJSON, true
	}
	type offer struct {
		media string
		q     float64
		at    int
	}
	var offers []offer
	for i, part := range strings.Split(accept, ",") {
		mt, p, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if s, ok := p["q"]; ok {
			if q, err = strconv.ParseFloat(s, 64); err != nil {
				continue
			}
		}
		switch mt {
		case mediaGraphQLResponse, mediaJSON:
		case "*/*", "application/*":
			mt = mediaJSON
		default:
			continue
		}
		if q > 0 {
			offers = append(offers, offer{mt, q, i})
		}
	}
	if len(offers) == 0 {
		return "", false
	}
	sort.SliceStable(offers, func(i, j int) bool { return offers[i].q > offers[j].q })
	return offers[0].media, true
}

// statusOf is the HTTP status of a response: 200 under application/json; under
// graphql-response+json 200 when it has data, else the 4xx (or 5xx) its
// first error's code calls for.
func statusOf(media string, resp *graphql.Response) int {
	if media == mediaJSON || resp.Data != nil {
		return http.StatusOK
	}
	code := ""
	if len(resp.Errors) > 0 {
		code, _ = resp.Errors[0].Extensions["code"].(string)
	}
	switch code {
	case string(market.CodeUnauthenticated):
		return http.StatusUnauthorized
	case string(market.CodeRateLimited):
		return http.StatusTooManyRequests
	case codeInternal:
		return http.StatusInternalServerError
	}
	return http.StatusBadRequest
}

// body is a response as written: the data entry only when the operation
// ran, so that a request error has none (gqlgen's Response writes
// "data": null).
type body struct {
	Errors     gqlerror.List   `json:"errors,omitempty"`
	Data       json.RawMessage `json:"data,omitempty"`
	Extensions map[string]any  `json:"extensions,omitempty"`
}

func reply(w http.ResponseWriter, media string, status int, resp *graphql.Response) {
	if after := retryAfterSeconds(resp); after > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(after))
	}
	parts, err := encodeBody(resp)
	if err != nil {
		status, parts = http.StatusInternalServerError, [][]byte{[]byte(`{"errors":[{"message":"internal server error","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}`)}
	}
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	w.Header().Set("Content-Type", media+"; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(n))
	w.WriteHeader(status)
	for _, p := range parts {
		if _, err := w.Write(p); err != nil {
			return // the client went away
		}
	}
}

// encodeBody is resp as body writes it, in parts to write one after the
// other: the data is gqlgen's own bytes, neither copied (a page of fifty
// candidates is 70–90 KB) nor re-compacted (json.Marshal would re-validate a
// RawMessage: a twelfth of the server's CPU on such a page). gqlgen's
// executor writes data as compact, valid JSON.
func encodeBody(resp *graphql.Response) ([][]byte, error) {
	if len(resp.Data) == 0 {
		b, err := json.Marshal(body{Errors: resp.Errors, Extensions: resp.Extensions})
		return [][]byte{b}, err
	}
	errs, err := json.Marshal(body{Errors: resp.Errors})
	if err != nil {
		return nil, err
	}
	exts, err := json.Marshal(body{Extensions: resp.Extensions})
	if err != nil {
		return nil, err
	}
	// errs and exts are {} or {"errors":…} and {"extensions":…}: the same
	// entries in body's order, errors first as the spec recommends.
	head := []byte{'{'}
	if len(errs) > 2 {
		head = append(append(head, errs[1:len(errs)-1]...), ',')
	}
	head = append(head, `"data":`...)
	tail := []byte{}
	if len(exts) > 2 {
		tail = append(append(tail, ','), exts[1:len(exts)-1]...)
	}
	return [][]byte{head, resp.Data, append(tail, '}')}, nil
}

// retryAfterSeconds is the wait a RATE_LIMITED error asks for.
func retryAfterSeconds(resp *graphql.Response) int {
	for _, e := range resp.Errors {
		if e.Extensions["code"] == string(market.CodeRateLimited) {
			switch s := e.Extensions["retryAfterSeconds"].(type) {
			case int:
				return s
			case int64:
				return int(s)
			case float64:
				return int(s + 0.999)
			}
		}
	}
	return 0
}

func requestError(code, message string) *graphql.Response {
	return &graphql.Response{Errors: gqlerror.List{{Message: message, Extensions: map[string]any{"code": code}}}}
}

// request is a POST body, each parameter kept raw until its type is checked.
type request struct {
	Query         json.RawMessage `json:"query"`
	OperationName json.RawMessage `json:"operationName"`
	Variables     json.RawMessage `json:"variables"`
	Extensions    json.RawMessage `json:"extensions"`
	DocumentID    json.RawMessage `json:"documentId"`
}

func paramsFromBody(r io.Reader) (*graphql.RawParams, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	var req request
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&req); err != nil {
		return nil, errors.New("the body is not a JSON object")
	}
	if dec.More() {
		return nil, errors.New("the body holds more than one JSON value")
	}
	return req.params()
}

// params checks each parameter's type and turns the request into gqlgen's.
func (req request) params() (*graphql.RawParams, error) {
	p := &graphql.RawParams{}
	if err := decodeString(req.Query, "query", &p.Query); err != nil {
		return nil, err
	}
	if err := decodeString(req.OperationName, "operationName", &p.OperationName); err != nil {
		return nil, err
	}
	if err := decodeObject(req.Variables, "variables", &p.Variables); err != nil {
		return nil, err
	}
	if err := decodeObject(req.Extensions, "extensions", &p.Extensions); err != nil {
		return nil, err
	}
	var documentID string
	if err := decodeString(req.DocumentID, "documentId", &documentID); err != nil {
		return nil, err
	}
	return p, finish(p, documentID)
}

func paramsFromQuery(q url.Values) (*graphql.RawParams, error) {
	p := &graphql.RawParams{Query: q.Get("query"), OperationName: q.Get("operationName")}
	if s := q.Get("variables"); s != "" {
		if err := decodeObject(json.RawMessage(s), "variables", &p.Variables); err != nil {
			return nil, err
		}
	}
	if s := q.Get("extensions"); s != "" {
		if err := decodeObject(json.RawMessage(s), "extensions", &p.Extensions); err != nil {
			return nil, err
		}
	}
	return p, finish(p, q.Get("documentId"))
}

// finish turns a documentId into the persisted-query extension the trusted
// documents read, and insists on a document one way or the other.
func finish(p *graphql.RawParams, documentID string) error {
	if documentID != "" {
		if p.Extensions == nil {
			p.Extensions = map[string]any{}
		}
		p.Extensions["persistedQuery"] = map[string]any{"version": 1, "sha256Hash": strings.TrimPrefix(documentID, "sha256:")}
	}
	if p.Query == "" && p.Extensions["persistedQuery"] == nil {
		return errors.New("the request has no query (nor a documentId or a persisted query's id)")
	}
	return nil
}

func decodeString(raw json.RawMessage, name string, out *string) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return errors.New(name + " must be a string")
	}
	return nil
}

// decodeObject reads a JSON object (or null); numbers stay json.Number, as
// gqlgen's own transports keep them, so that Int and Float coerce exactly.
func decodeObject(raw json.RawMessage, name string, out *map[string]any) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(out); err != nil || *out == nil {
		return errors.New(name + " must be a JSON object")
	}
	return nil
}
