package market_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"testing"

	"flexwork/i18n"
)

// TestEveryCodeIsDocumented: an app developer learns the error codes from
// the table in mobile-schema/README.md, so every Code this package declares
// must be in it; and every code has a message in every language.
func TestEveryCodeIsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../mobile-schema/README.md")
	if err != nil {
		t.Fatal(err)
	}
	f, err := parser.ParseFile(token.NewFileSet(), "errors.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	ast.Inspect(f, func(node ast.Node) bool {
		spec, ok := node.(*ast.ValueSpec)
		if !ok || spec.Type == nil || !isIdent(spec.Type, "Code") {
			return true
		}
		for _, v := range spec.Values {
			lit, ok := v.(*ast.BasicLit)
			if !ok {
				continue
			}
			code, _ := strconv.Unquote(lit.Value)
			n++
			if !strings.Contains(string(doc), "`"+code+"`") {
				t.Errorf("error code %s is not in the table of mobile-schema/README.md", code)
			}
			if !i18n.Has("error." + code) {
				t.Errorf("error code %s has no message error.%s for readers of other languages (i18n/messages)", code, code)
			}
		}
		return true
	})
	if n < 20 {
		t.Fatalf("found only %d codes in errors.go; has the file moved?", n)
	}
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}
