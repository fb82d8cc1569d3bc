package main

import (
	"fmt"
	"strings"
	"testing"
)

// TestOnlyMarshalersThatCannotFailAreCalledDirectly: a field is taken out of
// ResolveField only when its marshaler cannot answer null for a non-null
// field nor report an error, which would need the field's context.
func TestOnlyMarshalersThatCannotFailAreCalledDirectly(t *testing.T) {
	for _, c := range []struct {
		name, goType, body string
		want               bool
	}{
		{"non-null String", "string", "\t_ = sel\n\tres := scalar.MarshalString(v)\n\tif res == graphql.Null {\n\t\tgraphql.AddInvalidNullFromMarshaler(ctx, \"String!\")\n\t}\n\treturn res\n", true},
		{"nullable *int", "*int", "\tif v == nil {\n\t\treturn graphql.Null\n\t}\n\t_ = sel\n\t_ = ctx\n\tres := scalar.MarshalInt(*v)\n\treturn res\n", true},
		{"an enum", "application.Status", "\treturn v\n", true},
		{"a nullable enum", "*application.Status", "\tif v == nil {\n\t\treturn graphql.Null\n\t}\n\treturn v\n", true},
		{"a pointer without a nil guard", "*application.Status", "\treturn v\n", false},
		{"a Float, which refuses NaN", "float64", "\t_ = sel\n\tres := graphql.MarshalFloatContext(v)\n\tif res == graphql.Null {\n\t\tgraphql.AddInvalidNullFromMarshaler(ctx, \"Float!\")\n\t}\n\treturn graphql.WrapContextMarshaler(ctx, res)\n", false},
		{"an object", "*ent.Shift", "\tif v == nil {\n\t\treturn graphql.Null\n\t}\n\treturn ec._Shift(ctx, sel, v)\n", false},
		{"a list", "[]string", "\treturn v\n", false},
		{"an unknown scalar", "money.Amount", "\t_ = sel\n\tres := money.Marshal(v)\n\treturn res\n", false},
	} {
		if got := cannotFail(c.goType, c.body); got != c.want {
			t.Errorf("%s: cannotFail = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestPlainReadsOfNullableTextSayNullForEmpty: a nullable String held as
// Go's string answers null for "", as the server's emptiness middleware
// does for the fields it sees.
func TestPlainReadsOfNullableTextSayNullForEmpty(t *testing.T) {
	src := readField("Shift_cancelReason", "*ent.Shift", "CancelReason", "string", "marshalOString2string", false) + `func (ec *executionContext) marshalOString2string(ctx context.Context, sel ast.SelectionSet, v string) graphql.Marshaler {
	_ = sel
	_ = ctx
	res := scalar.MarshalString(v)
	return res
}
`
	out := string(plainReads([]byte(src)))
	want := "{\n\tif obj.CancelReason == \"\" {\n\t\treturn graphql.Null\n\t}\n\treturn serial.String(&obj.CancelReason) // a plain read: graph/serial/rewrite\n}"
	if !strings.Contains(out, want) {
		t.Fatalf("rewritten:\n%s", out)
	}
}

// TestTextIsWrittenInPlaceOnlyFromAPointer: a String read from an object
// held by pointer is written from the entity (serial.String); from an
// object held by value, or through a String marshaler of another body, it
// goes through its marshaler as before.
func TestTextIsWrittenInPlaceOnlyFromAPointer(t *testing.T) {
	src := readField("Skill_name", "*ent.Skill", "Name", "string", "marshalNString2string", true) + `func (ec *executionContext) marshalNString2string(ctx context.Context, sel ast.SelectionSet, v string) graphql.Marshaler {
	_ = sel
	res := scalar.MarshalString(v)
	if res == graphql.Null {
		graphql.AddInvalidNullFromMarshaler(ctx, "String!")
	}
	return res
}
`
	const mark = " // a plain read: graph/serial/rewrite\n}"
	if out := string(plainReads([]byte(src))); !strings.Contains(out, "obj *ent.Skill) (ret graphql.Marshaler) {\n\treturn serial.String(&obj.Name)"+mark) {
		t.Fatalf("by pointer, rewritten:\n%s", out)
	}
	byValue := strings.Replace(src, "obj *ent.Skill", "obj market.SkillRef", 1)
	if out := string(plainReads([]byte(byValue))); !strings.Contains(out, "\treturn ec.marshalNString2string(ctx, field.Selections, obj.Name)"+mark) {
		t.Fatalf("by value, rewritten:\n%s", out)
	}
	other := strings.Replace(src, "scalar.MarshalString(v)", "scalar.MarshalID(v)", 1)
	if out := string(plainReads([]byte(other))); !strings.Contains(out, "\treturn ec.marshalNString2string(ctx, field.Selections, obj.Name)"+mark) {
		t.Fatalf("through another String marshaler, rewritten:\n%s", out)
	}
}

// TestAFloatIsReadDirectlyOnlyWhenFinite: NaN and the infinities still go
// through ResolveField, whose error names the field's path.
func TestAFloatIsReadDirectlyOnlyWhenFinite(t *testing.T) {
	src := readField("Shift_lat", "*ent.Shift", "Lat", "float64", "marshalNFloat2float64", true) + `func (ec *executionContext) marshalNFloat2float64(ctx context.Context, sel ast.SelectionSet, v float64) graphql.Marshaler {
` + finiteOrError + `}
`
	out := string(plainReads([]byte(src)))
	want := "{\n\tif v := obj.Lat; !math.IsInf(v, 0) && !math.IsNaN(v) {\n\t\treturn scalar.MarshalFiniteFloat(v) // a plain read: graph/serial/rewrite\n\t}\n\treturn graphql.ResolveField(\n"
	if !strings.Contains(out, want) || !strings.Contains(out, "return ec.marshalNFloat2float64(ctx, selections, v)") {
		t.Fatalf("rewritten:\n%s", out)
	}
	// A Float marshaler of another shape is left to ResolveField.
	other := strings.Replace(src, "graphql.MarshalFloatContext(v)", "scalar.MarshalMeters(v)", 1)
	if out := string(plainReads([]byte(other))); out != other {
		t.Fatalf("a Float of another marshaler was rewritten:\n%s", out)
	}
}

// TestAnObjectReadFromAStructKeepsItsFieldContext: an object field read
// straight from a struct is marshalled with its own field context (its
// fields' error paths go through it) and panic guard, without the rest of
// ResolveField; a list of objects is left to ResolveField.
func TestAnObjectReadFromAStructKeepsItsFieldContext(t *testing.T) {
	src := readField("ShiftFeedEdge_node", "*market.FeedItem", "Shift", "*ent.Shift", "marshalNShift2ᚖflexworkᚋentᚐShift", true) + `func (ec *executionContext) marshalNShift2ᚖflexworkᚋentᚐShift(ctx context.Context, sel ast.SelectionSet, v *ent.Shift) graphql.Marshaler {
	if v == nil {
		graphql.AddInvalidNullError(ctx, "Shift!")
		return graphql.Null
	}
	return ec._Shift(ctx, sel, v)
}
`
	out := string(plainReads([]byte(src)))
	for _, want := range []string{"\tfc, err := ec.fieldContext_ShiftFeedEdge_node(ctx, field)\n", "\tfc.Result = obj.Shift\n",
		"\tctx = graphql.WithFieldContext(ctx, fc)\n", "\t\t\tec.Error(ctx, ec.Recover(ctx, r))\n",
		"\treturn ec.marshalNShift2ᚖflexworkᚋentᚐShift(ctx, field.Selections, obj.Shift) // a plain read"} {
		if !strings.Contains(out, want) {
			t.Fatalf("rewritten without %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "graphql.ResolveField(") {
		t.Fatalf("still through ResolveField:\n%s", out)
	}
	list := strings.Replace(src, "\tif v == nil {\n\t\tgraphql.AddInvalidNullError(ctx, \"Shift!\")\n\t\treturn graphql.Null\n\t}\n\treturn ec._Shift(ctx, sel, v)\n",
		"\tret := make(graphql.Array, len(v))\n\treturn ret\n", 1)
	if out := string(plainReads([]byte(list))); out != list {
		t.Fatalf("a marshaler of another shape was rewritten:\n%s", out)
	}
}

// readField is gqlgen's generated field fn of an object held as obj, read
// from its struct field field of Go type goType and marshalled by marshal.
func readField(fn, obj, field, goType, marshal string, nonNull bool) string {
	return fmt.Sprintf(`func (ec *executionContext) _%[1]s(ctx context.Context, field graphql.CollectedField, obj %[2]s) (ret graphql.Marshaler) {
	return graphql.ResolveField(
		ctx,
		ec.OperationContext,
		field,
		func(ctx context.Context, field graphql.CollectedField) (*graphql.FieldContext, error) {
			return ec.fieldContext_%[1]s(ctx, field)
		},
		func(ctx context.Context) (any, error) {
			return obj.%[3]s, nil
		},
		nil,
		func(ctx context.Context, selections ast.SelectionSet, v %[4]s) graphql.Marshaler {
			return ec.%[5]s(ctx, selections, v)
		},
		true,
		%[6]t,
	)
}
`, fn, obj, field, goType, marshal, nonNull)
}
