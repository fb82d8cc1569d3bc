package rule

import (
	"entgo.io/ent/entql"

	"flexwork/ent/privacy"
	"flexwork/ent/viewer"
)

// FilterVisibleCertifications shows a certification to its worker and to the
// members of an employer the worker has applied to or works for: an employer
// screening a candidate may check their papers, nobody else may.
func FilterVisibleCertifications() privacy.QueryRule {
	return filterRule{
		owners: []Owner{Worker("worker_id")},
		extra: func(v *viewer.Viewer) []entql.P {
			employers := v.MemberOf()
			if len(employers) == 0 {
				return nil
			}
			ids := make([]any, len(employers))
			for i, id := range employers {
				ids[i] = id
			}
			return []entql.P{entql.HasEdgeWith("worker", entql.Or(
				entql.HasEdgeWith("applications", entql.FieldIn("employer_id", ids...)),
				entql.HasEdgeWith("assignments", entql.FieldIn("employer_id", ids...)),
			))}
		},
	}
}
