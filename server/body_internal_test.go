package server

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// TestEncodeBodyIsJSONMarshalOfBody: the response writer copies data as
// gqlgen wrote it instead of re-compacting it; the bytes must be what
// json.Marshal of the body gave.
func TestEncodeBodyIsJSONMarshalOfBody(t *testing.T) {
	errs := gqlerror.List{{Message: "no", Extensions: map[string]any{"code": "NOT_FOUND"}}}
	ext := map[string]any{"idempotency": map[string]any{"replayed": true}}
	data := json.RawMessage(`{"shift":{"id":"1","title":"Café \u00e9"}}`)
	for name, resp := range map[string]*graphql.Response{
		"data":             {Data: data},
		"data and errors":  {Data: data, Errors: errs},
		"data, extensions": {Data: data, Extensions: ext},
		"everything":       {Data: data, Errors: errs, Extensions: ext},
		"errors alone":     {Errors: errs},
	} {
		want, err := json.Marshal(body{Errors: resp.Errors, Data: resp.Data, Extensions: resp.Extensions})
		if err != nil {
			t.Fatal(err)
		}
		parts, err := encodeBody(resp)
		if err != nil {
			t.Fatal(err)
		}
		got := bytes.Join(parts, nil)
		if string(got) != string(want) {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want)
		}
	}
}
