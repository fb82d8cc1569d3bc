package market_test

import (
	"testing"

	"flexwork/ent/migrate"
	"flexwork/market"
)

// TestEveryColumnIsGraded: every table of the schema is graded, and every
// exception names a column it has — a new table or a renamed column fails
// here until someone says how sensitive it is.
func TestEveryColumnIsGraded(t *testing.T) {
	tables := map[string]bool{}
	for _, tbl := range migrate.Tables {
		tables[tbl.Name] = true
		g, ok := market.Grades[tbl.Name]
		if !ok {
			t.Errorf("table %s is not graded (market/grading.go)", tbl.Name)
			continue
		}
		cols := map[string]bool{}
		for _, c := range tbl.Columns {
			cols[c.Name] = true
		}
		for c := range g.Except {
			if !cols[c] {
				t.Errorf("%s.%s is graded but is no column", tbl.Name, c)
			}
		}
	}
	for name := range market.Grades {
		if !tables[name] {
			t.Errorf("%s is graded but is no table", name)
		}
	}
	if got := market.GradeOf("real_names", "id_number_sealed"); got != market.Sensitive {
		t.Errorf("an identity number is %s", got)
	}
	if got := market.GradeOf("shifts", "title"); got != market.Public {
		t.Errorf("a shift's title is %s", got)
	}
}
