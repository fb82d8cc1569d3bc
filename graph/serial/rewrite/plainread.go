package main

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
)

// plainRead is gqlgen's body of a field resolved by reading a struct field
// (no resolver, no method, no directive), non-null or nullable.
// Its object is held by pointer or by value (the first group).
var plainRead = regexp.MustCompile(
	`obj (\*?)[^\s)]+\) \(ret graphql\.Marshaler\) ` +
		`\{\n\treturn graphql\.ResolveField\(\n\t\tctx,\n\t\tec\.OperationContext,\n\t\tfield,\n` +
		`\t\tfunc\(ctx context\.Context, field graphql\.CollectedField\) \(\*graphql\.FieldContext, error\) \{\n\t\t\treturn ec\.(fieldContext_\w+)\(ctx, field\)\n\t\t\},\n` +
		`\t\tfunc\(ctx context\.Context\) \(any, error\) \{\n\t\t\treturn obj\.(\w+), nil\n\t\t\},\n` +
		`\t\tnil,\n` +
		`\t\tfunc\(ctx context\.Context, selections ast\.SelectionSet, v [^)]+\) graphql\.Marshaler \{\n\t\t\treturn ec\.([^(]+)\(ctx, selections, v\)\n\t\t\},\n` +
		`\t\ttrue,\n\t\t(?:true|false),\n\t\)\n\}`)

// plainReads marshals each plain read directly. gqlgen's ResolveField gives
// every field a field context, a context holding it, the field middleware
// chain, a panic guard and a boxed result: some ten allocations, for most
// of the 2,800 fields of a candidates page. For a field whose marshaler
// cannot fail (marshalers) each of them is without effect: reading a
// struct field cannot fail or panic (obj is never nil here: its object's
// marshaler returned null first); no error needs the field's path; and the
// server's field middleware (server/graphql.go) passes such fields through
// unchanged — oneStatementAtATime takes no lock for a field that is
// neither a resolver nor a method — but for emptiness's "" → null in a
// nullable String, which the rewritten field does itself. A field
// middleware added later does not see these fields. A field read into an
// object keeps its field context and panic guard (objectRead).
func plainReads(src []byte) []byte {
	safe, floats, texts := marshalers(src)
	objects := objectMarshalers(src)
	return plainRead.ReplaceAllFunc(src, func(m []byte) []byte {
		g := plainRead.FindSubmatch(m)
		byPointer, fieldContext, field, marshal := len(g[1]) > 0, string(g[2]), string(g[3]), string(g[4])
		open := bytes.Index(m, []byte("{\n"))
		head, body := m[:open], m[open:]
		const mark = "// a plain read: graph/serial/rewrite"
		var out []byte
		switch {
		case floats[marshal]: // finite: written directly; NaN and infinities: gqlgen's error, with its path
			inner := body[len("{\n") : len(body)-len("\n}")]
			out = fmt.Appendf(nil, "{\n\tif v := obj.%s; !math.IsInf(v, 0) && !math.IsNaN(v) {\n\t\treturn scalar.MarshalFiniteFloat(v) %s\n\t}\n%s\n}",
				field, mark, inner)
		case objects[marshal]:
			out = fmt.Appendf(nil, objectRead, fieldContext, field, marshal, field, mark)
		case !safe[marshal]:
			return m
		case texts[marshal] && byPointer: // read in place: serial.String
			out = fmt.Appendf(nil, "{\n\treturn serial.String(&obj.%s) %s\n}", field, mark)
		default:
			out = fmt.Appendf(nil, "{\n\treturn ec.%s(ctx, field.Selections, obj.%s) %s\n}", marshal, field, mark)
		}
		if nullableText[marshal] { // emptiness (server/graphql.go)
			out = fmt.Appendf(nil, "{\n\tif obj.%s == \"\" {\n\t\treturn graphql.Null\n\t}\n%s", field, out[len("{\n"):])
		}
		return append(append([]byte(nil), head...), out...)
	})
}

// nullableText are the marshalers of a nullable String held as Go's
// string: "" is answered as null (gqlschema.OptionalText).
var nullableText = map[string]bool{"marshalOString2string": true}

// textBodies are the generated bodies of the marshalers of a String or an
// ID held as Go's string: gqlgen's scalar call and null check. A plain
// read through one of them writes the entity's string in place
// (serial.String), without the closure MarshalString allocates; only from
// an object held by pointer, as the address of a field of a copy would
// move the copy to the heap.
var textBodies = map[string]string{
	"marshalNString2string": "\t_ = sel\n\tres := scalar.MarshalString(v)\n\tif res == graphql.Null {\n\t\tgraphql.AddInvalidNullFromMarshaler(ctx, \"String!\")\n\t}\n\treturn res\n",
	"marshalOString2string": "\t_ = sel\n\t_ = ctx\n\tres := scalar.MarshalString(v)\n\treturn res\n",
	"marshalNID2string":     "\t_ = sel\n\tres := scalar.MarshalID(v)\n\tif res == graphql.Null {\n\t\tgraphql.AddInvalidNullFromMarshaler(ctx, \"ID!\")\n\t}\n\treturn res\n",
	"marshalOID2string":     "\t_ = sel\n\t_ = ctx\n\tres := scalar.MarshalID(v)\n\treturn res\n",
}

// marshaler is a generated marshaler of a value held directly (a scalar or
// an enum): its name, the Go type of its value and its body.
var marshaler = regexp.MustCompile(`(?m)^func \(ec \*executionContext\) (marshal[NO][^(]+)\(ctx context\.Context, sel ast\.SelectionSet, v ([^)]+)\) graphql\.Marshaler \{\n((?:\t.*\n)*?)\}\n`)

// neverNullScalars are the scalar functions that, given any value of their
// Go type, answer a value (never null) and cannot fail.
var neverNullScalars = []string{"scalar.MarshalString", "scalar.MarshalID", "scalar.MarshalInt", "scalar.MarshalInt64",
	"graphql.MarshalBoolean", "scalar.MarshalDateTime", "scalar.MarshalDate"}

// marshalers names the generated marshalers that cannot fail: each line of
// the body is one of a few known shapes — a nil pointer to null, one of
// neverNullScalars, or a value that marshals itself (an enum, a cursor);
// anything else (a context marshaler, a list, an object) is left to
// ResolveField. A shape gqlgen changes falls back to it. floats names the
// non-null Float marshalers, which fail only for NaN and infinities: their
// fields are read directly when the value is finite. texts names the
// String and ID marshalers of textBodies.
func marshalers(src []byte) (safe, floats, texts map[string]bool) {
	safe, floats, texts = map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, m := range marshaler.FindAllSubmatch(src, -1) {
		if want, ok := textBodies[string(m[1])]; ok && string(m[2]) == "string" && string(m[3]) == want {
			texts[string(m[1])] = true
		}
		switch {
		case cannotFail(string(m[2]), string(m[3])):
			safe[string(m[1])] = true
		case string(m[2]) == "float64" && string(m[3]) == finiteOrError:
			floats[string(m[1])] = true
		}
	}
	return safe, floats, texts
}

// finiteOrError is gqlgen's body of a non-null Float's marshaler: an error
// for NaN and infinities, else the number as MarshalFiniteFloat writes it.
const finiteOrError = "\t_ = sel\n\tres := graphql.MarshalFloatContext(v)\n\tif res == graphql.Null {\n" +
	"\t\tgraphql.AddInvalidNullFromMarshaler(ctx, \"Float!\")\n\t}\n\treturn graphql.WrapContextMarshaler(ctx, res)\n"

func cannotFail(goType, body string) bool {
	body, nilGuard := strings.CutPrefix(body, "\tif v == nil {\n\t\treturn graphql.Null\n\t}\n")
	if strings.HasPrefix(goType, "*") && !nilGuard {
		return false
	}
	if strings.HasPrefix(goType, "[]") || strings.HasPrefix(goType, "map[") || strings.Contains(goType, "interface") || goType == "any" {
		return false
	}
	if body == "\treturn v\n" {
		return true // a type that marshals itself: an enum or a cursor
	}
	for _, line := range strings.Split(strings.TrimSuffix(body, "\n"), "\n") {
		switch {
		case line == "\t_ = sel", line == "\t_ = ctx", line == "\treturn res",
			line == "\tif res == graphql.Null {", line == "\t}",
			strings.HasPrefix(line, "\t\tgraphql.AddInvalidNullFromMarshaler(ctx, "):
		case strings.HasPrefix(line, "\tres := ") && neverNullScalar(strings.TrimPrefix(line, "\tres := ")):
		default:
			return false
		}
	}
	return true
}

func neverNullScalar(call string) bool {
	for _, f := range neverNullScalars {
		if call == f+"(v)" || call == f+"(*v)" {
			return true
		}
	}
	return false
}

// objectRead is a plain read of an object: the field's context, which its
// fields' errors name their path by, and the panic guard, without the
// rest of ResolveField (a closure for each of its three functions, the
// field middleware's closures, the result boxed and unboxed). As for the
// scalars above, the server's field middleware passes such a field
// through: it is neither a resolver nor a method, and emptiness has
// nothing to do for an object.
const objectRead = `{
	fc, err := ec.%s(ctx, field)
	if err != nil {
		return graphql.Null
	}
	fc.Result = obj.%s
	ctx = graphql.WithFieldContext(ctx, fc)
	defer func() {
		if r := recover(); r != nil {
			ec.Error(ctx, ec.Recover(ctx, r))
			ret = graphql.Null
		}
	}()
	return ec.%s(ctx, field.Selections, obj.%s) %s
}`

// objectBody is the generated body of the marshaler of an object, an
// interface or a union: null (and, non-null, an error) for nil, else the
// object's own marshaler. A list's is left to ResolveField, whose field
// middleware makes a nil slice [].
var objectBody = regexp.MustCompile(`^(?:\tif v == nil \{\n(?:\t\tgraphql\.AddInvalidNullError\(ctx, "\w+!"\)\n)?\t\treturn graphql\.Null\n\t\}\n)?\treturn ec\._\w+\(ctx, sel, &?v\)\n$`)

// objectMarshalers names the marshalers of objectBody.
func objectMarshalers(src []byte) map[string]bool {
	out := map[string]bool{}
	for _, m := range marshaler.FindAllSubmatch(src, -1) {
		if objectBody.Match(m[3]) {
			out[string(m[1])] = true
		}
	}
	return out
}
