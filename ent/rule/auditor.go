package rule

import (
	"context"

	"flexwork/ent"
	"flexwork/ent/privacy"
	"flexwork/ent/viewer"
)

// AuditorSeesOwn narrows an auditor's reads of a table that holds people's
// data to the auditor's own rows: an auditor (a regulator or an industry
// association) reads the platform's aggregates, never another person.
// Anyone else goes on to the next rule.
func AuditorSeesOwn(owners ...Owner) privacy.QueryRule {
	return privacy.QueryRuleFunc(func(ctx context.Context, q ent.Query) error {
		if v := viewer.FromContext(ctx); v == nil || !v.Auditor {
			return privacy.Skip
		}
		return FilterToOwners(owners...).EvalQuery(ctx, q)
	})
}

// AllowIfAuditor lets auditors through: to the reports issued for them.
func AllowIfAuditor() privacy.QueryMutationRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if v := viewer.FromContext(ctx); v != nil && v.Auditor {
			return privacy.Allow
		}
		return privacy.Skip
	})
}
