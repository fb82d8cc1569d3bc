package rule

import (
	"entgo.io/ent/entql"

	"flexwork/ent/privacy"
	"flexwork/ent/viewer"
)

// FilterVisibleReviews keeps reviews double-blind: anyone signed in sees a
// review once it is revealed and not hidden by staff; before that only its
// author sees it.
func FilterVisibleReviews() privacy.QueryRule {
	return filterRule{
		owners: []Owner{User("author_id")},
		extra: func(*viewer.Viewer) []entql.P {
			return []entql.P{entql.And(entql.FieldNotNil("revealed_at"), entql.FieldNil("hidden_at"))}
		},
	}
}
