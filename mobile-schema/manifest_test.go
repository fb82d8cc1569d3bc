package mobileschema_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	mobileschema "flexwork/mobile-schema"
)

// TestTheManifestHoldsEveryOperation: persisted-queries.json (written by
// Apollo's generator; its freshness is checked by apollo/manifest.mjs
// --check in the test command) holds exactly the operations of the files,
// each validating against schema.graphql and hashing to its id, with the
// __typename Apollo's clients add.
func TestTheManifestHoldsEveryOperation(t *testing.T) {
	sources, err := mobileschema.Files()
	if err != nil {
		t.Fatal(err)
	}
	names, err := mobileschema.Validate(mobileschema.Schema(), sources)
	if err != nil {
		t.Fatalf("the operations do not validate against schema.graphql:\n%v", err)
	}
	m, err := mobileschema.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	schema, gqlErr := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql", Input: mobileschema.Schema()})
	if gqlErr != nil {
		t.Fatal(gqlErr)
	}
	if err := m.Check(schema); err != nil {
		t.Fatalf("persisted-queries.json against schema.graphql:\n%v", err)
	}
	var inManifest []string
	types := map[string]int{}
	for _, op := range m.Operations {
		inManifest = append(inManifest, op.Name)
		types[op.Type]++
		if strings.Contains(op.Body, "node(id:") && !strings.Contains(op.Body, "__typename") {
			t.Errorf("%s asks node(id:) without __typename: not what Apollo's clients send, and their caches need it", op.Name)
		}
	}
	sort.Strings(inManifest)
	if strings.Join(inManifest, ",") != strings.Join(names, ",") {
		t.Fatalf("persisted-queries.json holds %v,\nthe operation files %v: run `go generate ./...` and commit", inManifest, names)
	}
	if types["query"] == 0 || types["mutation"] == 0 || types["subscription"] != 4 {
		t.Fatalf("operations by type: %v", types)
	}
}

// TestManifestsInApollosFormats: both formats Apollo's tools write are read,
// and an operation that does not fit the schema or its id is named.
func TestManifestsInApollosFormats(t *testing.T) {
	schema, gqlErr := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql", Input: mobileschema.Schema()})
	if gqlErr != nil {
		t.Fatal(gqlErr)
	}
	body := "query Me { viewer { id __typename } }"
	sum := sha256.Sum256([]byte(body))
	id := hex.EncodeToString(sum[:])
	for name, src := range map[string]string{
		"persisted query manifest": `{"format":"apollo-persisted-query-manifest","version":1,"operations":[{"id":"` + id + `","name":"Me","type":"query","body":` + strconv.Quote(body) + `}]}`,
		"Apollo iOS identifiers":   `{"` + id + `":{"name":"Me","source":` + strconv.Quote(body) + `}}`,
	} {
		m, err := mobileschema.Parse(name, []byte(src))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(m.Operations) != 1 || m.Operations[0].ID != id || m.Operations[0].Type != "query" || m.Check(schema) != nil {
			t.Fatalf("%s: %+v %v", name, m.Operations, m.Check(schema))
		}
	}
	bad, _ := mobileschema.Parse("app-2.3.json", []byte(`{"`+id+`":{"name":"Me","source":"query Me { viewer { nickname } }"}}`))
	if err := bad.Check(schema); err == nil || !strings.Contains(err.Error(), "app-2.3.json: Me") {
		t.Fatalf("a body that is not its id's: %v", err)
	}
	wrong := "query Me { viewer { nickname } }"
	sum = sha256.Sum256([]byte(wrong))
	bad, _ = mobileschema.Parse("app-2.4.json", []byte(`{"`+hex.EncodeToString(sum[:])+`":{"name":"Me","source":`+strconv.Quote(wrong)+`}}`))
	if err := bad.Check(schema); err == nil || !strings.Contains(err.Error(), "nickname") {
		t.Fatalf("an operation the schema does not have: %v", err)
	}
	if _, err := mobileschema.Parse("x.json", []byte(`{"format":"something-else","version":2,"operations":[]}`)); err == nil {
		t.Fatal("an unknown format was read")
	}
}

// TestBadOperationsAreNamed: an operation that does not fit the schema is
// refused with its file and line.
func TestBadOperationsAreNamed(t *testing.T) {
	for name, c := range map[string]struct{ src, want string }{
		"unknown field":   {"query Me { viewer { id nickname } }", `worker/me.graphql:1:24: Cannot query field "nickname" on type "User".`},
		"anonymous":       {"{ viewer { id } }", "worker/me.graphql:1: every operation needs a name"},
		"unused variable": {"query Me($x: ID) { viewer { id } }", `worker/me.graphql:1:10: Variable "$x" is never used in operation "Me".`},
	} {
		_, err := mobileschema.Validate(mobileschema.Schema(), map[string]string{"worker/me.graphql": c.src})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
	_, err := mobileschema.Validate(mobileschema.Schema(), map[string]string{
		"worker/a.graphql": "query Me { viewer { id } }", "employer/b.graphql": "query Me { viewer { displayName } }"})
	if err == nil || !strings.Contains(err.Error(), `There can be only one operation named "Me"`) {
		t.Errorf("two operations named Me: %v", err)
	}
}

const baseSchema = `
type Query {
  shift(id: ID!): Shift
  shifts(first: Int, status: Status): [Shift!]!
}
type Mutation { apply(input: ApplyInput!): Boolean! }
type Shift {
  id: ID!
  title: String!
  description: String
  pay: Int!
  tags: [String!]!
}
enum Status { OPEN FILLED }
input ApplyInput { shiftID: ID! message: String }
union Result = Shift
`

// TestBreakingChanges: the gate names each change that breaks an installed
// app, and lets the safe ones through.
func TestBreakingChanges(t *testing.T) {
	edit := func(pairs ...string) string {
		s := baseSchema
		for i := 0; i < len(pairs); i += 2 {
			if !strings.Contains(s, pairs[i]) {
				t.Fatalf("fixture lacks %q", pairs[i])
			}
			s = strings.Replace(s, pairs[i], pairs[i+1], 1)
		}
		return s
	}
	for name, c := range map[string]struct {
		schema   string
		breaking []string
	}{
		"nothing changed":                     {baseSchema, nil},
		"a field removed":                     {edit("  title: String!\n", ""), []string{"Shift.title: field removed"}},
		"a field added":                       {edit("  pay: Int!\n", "  pay: Int!\n  currency: String\n"), nil},
		"an output made nullable":             {edit("  pay: Int!", "  pay: Int"), []string{"Shift.pay: type changed from Int! to Int"}},
		"an output made non-null":             {edit("  description: String", "  description: String!"), nil},
		"a list element made nullable":        {edit("tags: [String!]!", "tags: [String]!"), []string{"Shift.tags: type changed from [String!]! to [String]!"}},
		"an output type changed":              {edit("  pay: Int!", "  pay: Float!"), []string{"Shift.pay: type changed from Int! to Float!"}},
		"a type removed":                      {edit("union Result = Shift\n", ""), []string{"Result: type removed"}},
		"an enum value removed":               {edit("enum Status { OPEN FILLED }", "enum Status { OPEN }"), []string{"Status.FILLED: enum value removed"}},
		"an enum value added":                 {edit("enum Status { OPEN FILLED }", "enum Status { OPEN FILLED CANCELLED }"), nil},
		"a required argument added":           {edit("shifts(first: Int, status: Status)", "shifts(first: Int, status: Status, near: ID!)"), []string{"Query.shifts(near): required argument added"}},
		"an optional argument added":          {edit("shifts(first: Int, status: Status)", "shifts(first: Int, status: Status, near: ID)"), nil},
		"an argument removed":                 {edit("shifts(first: Int, status: Status)", "shifts(first: Int)"), []string{"Query.shifts(status): argument removed"}},
		"an argument made required":           {edit("shifts(first: Int,", "shifts(first: Int!,"), []string{"Query.shifts(first): type changed from Int to Int!"}},
		"an argument made optional":           {edit("shift(id: ID!)", "shift(id: ID)"), nil},
		"a required input field added":        {edit("message: String }", "message: String rating: Int! }"), []string{"ApplyInput.rating: required input field added"}},
		"an input field removed":              {edit("shiftID: ID! message: String }", "shiftID: ID! }"), []string{"ApplyInput.message: input field removed"}},
		"a union member removed":              {edit("union Result = Shift", "type Other { id: ID }\nunion Result = Other"), []string{"Result: union member Shift removed"}},
		"an enum turned into a scalar":        {edit("enum Status { OPEN FILLED }", "scalar Status"), []string{"Status: changed from enum to scalar"}},
		"a required input field with default": {edit("message: String }", "message: String rating: Int! = 3 }"), nil},
	} {
		changes, err := mobileschema.Diff(baseSchema, c.schema)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var got []string
		for _, ch := range mobileschema.Unacknowledged(changes, nil) {
			got = append(got, ch.String())
		}
		if strings.Join(got, "\n") != strings.Join(c.breaking, "\n") {
			t.Errorf("%s: breaking %q, want %q", name, got, c.breaking)
		}
	}
}

// TestAcknowledgedBreakingChangesPass: a listed change with a reason passes
// the gate; a listed change without one is an error.
func TestAcknowledgedBreakingChangesPass(t *testing.T) {
	changes, err := mobileschema.Diff(baseSchema, strings.Replace(baseSchema, "  title: String!\n", "", 1))
	if err != nil {
		t.Fatal(err)
	}
	acks, err := mobileschema.Acknowledgements("# why\n\nShift.title: field removed | no app asks for it since 2.3\n")
	if err != nil {
		t.Fatal(err)
	}
	if bad := mobileschema.Unacknowledged(changes, acks); len(bad) != 0 {
		t.Fatalf("an acknowledged removal still fails: %v", bad)
	}
	if _, err := mobileschema.Acknowledgements("Shift.title: field removed\n"); err == nil {
		t.Fatal("an acknowledgement without a reason was accepted")
	}
}

// TestNoUnacknowledgedBreakingChanges is the gate on this repository: the
// schema against the newest release in mobile-schema/releases.
func TestNoUnacknowledgedBreakingChanges(t *testing.T) {
	old, ref, err := mobileschema.LatestRelease("..")
	if errors.Is(err, mobileschema.ErrNoBase) {
		t.Skipf("nothing to compare with: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	text, err := os.ReadFile("acknowledged-breaking-changes.txt")
	if err != nil {
		t.Fatal(err)
	}
	acks, err := mobileschema.Acknowledgements(string(text))
	if err != nil {
		t.Fatal(err)
	}
	changes, err := mobileschema.Diff(old, mobileschema.Schema())
	if err != nil {
		t.Fatal(err)
	}
	if bad := mobileschema.Unacknowledged(changes, acks); len(bad) > 0 {
		var names []string
		for _, c := range bad {
			names = append(names, c.String())
		}
		t.Fatalf("breaking changes since %s would break installed apps; keep the old shape or acknowledge them in "+
			"acknowledged-breaking-changes.txt:\n  %s", ref, strings.Join(names, "\n  "))
	}
}

// TestEverythingIsDescribed: every type, field and enum value of the
// schema the apps see says what it is, in words an app developer reads in
// GraphiQL and in Apollo's generated code.
func TestEverythingIsDescribed(t *testing.T) {
	s, gqlErr := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql", Input: mobileschema.Schema()})
	if gqlErr != nil {
		t.Fatal(gqlErr)
	}
	var missing []string
	for name, def := range s.Types {
		if def.BuiltIn || strings.HasPrefix(name, "__") {
			continue
		}
		if def.Description == "" {
			missing = append(missing, name)
		}
		for _, f := range def.Fields {
			if f.Description == "" && !strings.HasPrefix(f.Name, "__") {
				missing = append(missing, name+"."+f.Name)
			}
		}
		for _, v := range def.EnumValues {
			if v.Description == "" {
				missing = append(missing, name+"."+v.Name)
			}
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Fatalf("%d without a description (graph/schema/*.graphql, or ent/gqlschema/descriptions.txt for generated types):\n%s",
			len(missing), strings.Join(missing, "\n"))
	}
}
