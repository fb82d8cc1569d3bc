package server

import (
	"context"
	"testing"

	"github.com/99designs/gqlgen/complexity"
	"github.com/vektah/gqlparser/v2"

	"flexwork/graph"
	"flexwork/graph/generated"
	mobileschema "flexwork/mobile-schema"
)

// TestEveryShippedOperationFitsAtTheLargestPage prices every operation the
// apps ship as the server does, with every page at its largest (100), and
// holds it under the default complexity limit: the limit refuses what no
// app sends, never an app's own screen.
func TestEveryShippedOperationFitsAtTheLargestPage(t *testing.T) {
	cfg, err := LoadConfig(nil, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	es := pricedSchema{generated.NewExecutableSchema(graph.NewSchema(&graph.Resolver{}))}
	m, err := mobileschema.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range m.Operations {
		doc, gqlErr := gqlparser.LoadQuery(es.Schema(), op.Body)
		if gqlErr != nil {
			t.Fatal(gqlErr)
		}
		vars := map[string]any{}
		for _, v := range doc.Operations[0].VariableDefinitions {
			if v.Variable == "first" {
				vars[v.Variable] = maxPage
			}
		}
		if c := complexity.Calculate(context.Background(), es, doc.Operations[0], vars, costOptions...); c > cfg.MaxComplexity {
			t.Errorf("%s at first: %d costs %d, over the limit of %d", op.Name, maxPage, c, cfg.MaxComplexity)
		}
	}
}
