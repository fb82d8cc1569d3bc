// Command rewrite changes gqlgen's generated executor in two ways: lists of
// objects are marshalled with serial.MarshalSlice instead of a goroutine per
// element (see package serial for why), and a field read straight from a
// struct into a scalar that cannot be null or fail is marshalled directly
// (plainReads). It runs after gqlgen in `go generate`, so the executor is
// still only ever regenerated; TestGeneratedCodeIsFresh checks the result
// like any other generated file.
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
	out = plainReads(out)
	if bytes.Equal(out, src) {
		return nil // done already
	}
	if out, err = format.Source(out); err != nil {
		return err
	}
	return os.WriteFile(path, out, 0o644)
}

// plainRead is gqlgen's body of a field resolved by reading a struct field
// (no resolver, no method, no directive) into one of neverNull's marshalers.
var plainRead = regexp.MustCompile(
	`\{\n\treturn graphql\.ResolveField\(\n\t\tctx,\n\t\tec\.OperationContext,\n\t\tfield,\n` +
		`\t\tfunc\(ctx context\.Context, field graphql\.CollectedField\) \(\*graphql\.FieldContext, error\) \{\n\t\t\treturn ec\.fieldContext_\w+\(ctx, field\)\n\t\t\},\n` +
		`\t\tfunc\(ctx context\.Context\) \(any, error\) \{\n\t\t\treturn obj\.(\w+), nil\n\t\t\},\n` +
		`\t\tnil,\n` +
		`\t\tfunc\(ctx context\.Context, selections ast\.SelectionSet, v \w+\) graphql\.Marshaler \{\n\t\t\treturn ec\.(\w+)\(ctx, selections, v\)\n\t\t\},\n` +
		`\t\ttrue,\n\t\ttrue,\n\t\)\n\}`)

// neverNull are the generated marshalers of non-null scalars held in Go
// values that cannot be nil, whose scalar functions (graph/scalar, gqlgen's
// MarshalBoolean) never answer null and never fail: given such a value, they
// do not look at the context at all.
var neverNull = map[string]bool{
	"marshalNString2string": true, "marshalNID2string": true, "marshalNInt2int": true,
	"marshalNInt2int64": true, "marshalNBoolean2bool": true,
}

// plainReads marshals each plain read directly. gqlgen's ResolveField gives
// every field a field context, a context holding it, the field middleware
// chain, a panic guard and a boxed result: some ten allocations, for ~1,750
// of the 2,800 fields of a candidates page. For these fields each of them is
// without effect: reading a struct field cannot fail or panic (obj is never
// nil here: its object's marshaler returned null first); the value cannot be
// null, so no error needs the field's path; and the server's field
// middleware (server/graphql.go) passes such fields through unchanged —
// oneStatementAtATime takes no lock for a field that is neither a resolver
// nor a method, and emptiness changes only nullable Strings and lists. A
// field middleware added later does not see these fields.
func plainReads(src []byte) []byte {
	return plainRead.ReplaceAllFunc(src, func(m []byte) []byte {
		g := plainRead.FindSubmatch(m)
		field, marshal := string(g[1]), string(g[2])
		if !neverNull[marshal] {
			return m
		}
		return fmt.Appendf(nil, "{\n\treturn ec.%s(ctx, field.Selections, obj.%s) // a plain read: graph/serial/rewrite\n}", marshal, field)
	})
}
