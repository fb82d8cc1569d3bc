package rule

import (
	"entgo.io/ent/entql"

	"flexwork/ent/privacy"
	"flexwork/ent/viewer"
)

// FilterVisibleShifts shows every signed-in user the shifts that have been
// published (including filled, running, finished and cancelled ones, which
// applicants and hires need to see), and drafts only to the members of the
// employer that is writing them.
func FilterVisibleShifts() privacy.QueryRule {
	return filterRule{
		owners: []Owner{Member("employer_id")},
		extra: func(*viewer.Viewer) []entql.P {
			return []entql.P{entql.FieldNEQ("status", "DRAFT")}
		},
	}
}
