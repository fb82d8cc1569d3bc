package flexwork

import (
	"os"
	"regexp"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	mobileschema "flexwork/mobile-schema"
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
