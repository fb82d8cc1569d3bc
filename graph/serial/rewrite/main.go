// Command rewrite changes gqlgen's generated executor in seven ways: lists
// of objects are marshalled with serial.MarshalSlice instead of a goroutine
// per element (see package serial for why), an object's fields with
// resolvers are resolved in turn rather than in goroutines
// (serial.Resolve), a field read straight from a struct into a scalar or
// enum whose marshaler cannot fail is marshalled directly (plainReads; a
// string is written from its entity, serial.String), an object's
// __typename is a constant (serial.Typename), an object makes a group for
// @defer'd fields only when it has some (serial.DeferredGroup), an
// object's fields are written without a map to find repeated keys
// (serial.Object), and a query's data is written into a buffer of the size
// it had last time (serial.Response). It runs after gqlgen in `go
// generate`, so the executor is still only ever regenerated;
// TestGeneratedCodeIsFresh checks the result like any other generated file.
//
//	go run ./graph/serial/rewrite graph/generated/generated.go
package main

import (
	"bytes"
	"fmt"
	"go/format"
	"os"
	"regexp"
)

// typename is gqlgen's marshaler of a constant GraphQL name.
var typename = regexp.MustCompile(`graphql\.MarshalString\("([_A-Za-z][_0-9A-Za-z]*)"\)`)

func main() {
	if err := rewrite(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "rewrite:", err)
		os.Exit(1)
	}
}

func rewrite(path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out := src
	const from, to = "graphql.MarshalSliceConcurrently(", "serial.MarshalSlice("
	if bytes.Contains(out, []byte(from)) {
		out = bytes.ReplaceAll(out, []byte(from), []byte(to))
		imp := []byte("import (\n")
		i := bytes.Index(out, imp)
		if i < 0 {
			return fmt.Errorf("%s: no import block", path)
		}
		out = append(out[:i+len(imp)], append([]byte("\t\"flexwork/graph/serial\"\n"), out[i+len(imp):]...)...)
	}
	// Every object marshaler schedules its resolved fields with this call,
	// inside its loop over the collected fields (field, ctx in scope).
	out = bytes.ReplaceAll(out, []byte("out.ResolveConcurrently(ec.OperationContext, &deferred, i,"),
		[]byte("serial.Resolve(ctx, out, field, ec.OperationContext, &deferred, i,"))
	out = plainReads(out)
	// An object's __typename is a constant (serial.Typename).
	out = typename.ReplaceAll(out, []byte(`serial.Typename("$1")`))
	// Every object marshaler has fields := graphql.CollectFields(…) before
	// the group (TestGeneratedCodeIsFresh compiles the result).
	out = bytes.ReplaceAll(out, []byte("deferred := graphql.NewDeferredGroup(ctx)"), []byte("deferred := serial.DeferredGroup(ctx, fields)"))
	// …and ends by returning its field set, written as serial.Object.
	out = bytes.ReplaceAll(out, []byte("\t\tec.ProcessDeferredGroup(deferred)\n\t}\n\n\treturn out\n}"),
		[]byte("\t\tec.ProcessDeferredGroup(deferred)\n\t}\n\n\treturn serial.Object(fields, out.Values)\n}"))
	// A query's data is written into a buffer sized by the last one
	// (serial.Response); the query case is the only one that sets
	// response.Data from a local buffer.
	out = bytes.Replace(out, []byte("\t\t\tvar buf bytes.Buffer\n\t\t\tdata.MarshalGQL(&buf)\n\t\t\tresponse.Data = buf.Bytes()\n"),
		[]byte("\t\t\tresponse.Data = serial.Response(opCtx.OperationName, data)\n"), 1)
	if bytes.Equal(out, src) {
		return nil // done already
	}
	if out, err = format.Source(out); err != nil {
		return err
	}
	return os.WriteFile(path, out, 0o644)
}
