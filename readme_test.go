package flexwork

import (
	"flag"
	"os"
	"regexp"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	mobileschema "flexwork/mobile-schema"
	"flexwork/notifications"
)

// TestTheREADMEsOperationsRun: the operations the README gives to paste
// into GraphiQL are valid against the schema as it is.
func TestTheREADMEsOperationsRun(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```graphql\n(.*?)```").FindAllSubmatch(readme, -1)
	if len(blocks) == 0 {
		t.Fatal("the README has no GraphQL to paste")
	}
	schema := gqlparser.MustLoadSchema(&ast.Source{Name: "schema.graphql", Input: mobileschema.Schema()})
	for _, b := range blocks {
		if _, err := gqlparser.LoadQuery(schema, string(b[1])); err != nil {
			t.Errorf("a README operation does not fit the schema: %v", err)
		}
	}
}

var update = flag.Bool("update", false, "rewrite the README's generated table instead of failing")

// TestTheREADMESaysWhoHearsWhat: the README's table of who hears what is
// the one the notifications follow. `go test . -run WhoHears -update`
// rewrites it.
func TestTheREADMESaysWhoHearsWhat(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)<!-- who-hears-what: made from notifications.Table\\(\\) -->\n(.*?)<!-- /who-hears-what -->").FindSubmatchIndex(readme)
	if m == nil {
		t.Fatal("the README has no who-hears-what table")
	}
	if got, want := string(readme[m[2]:m[3]]), notifications.Table(); got != want {
		if *update {
			fresh := append(append(append([]byte{}, readme[:m[2]]...), want...), readme[m[3]:]...)
			if err := os.WriteFile("README.md", fresh, 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Fatalf("the README's who-hears-what table is stale (go test . -run WhoHears -update); it should read:\n%s", want)
	}
}
