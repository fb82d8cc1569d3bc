package rule

import (
	"context"

	"flexwork/ent/privacy"
	"flexwork/ent/viewer"
)

// AllowIfStaff lets platform staff through.
func AllowIfStaff() privacy.QueryMutationRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if v := viewer.FromContext(ctx); v != nil && v.Staff {
			return privacy.Allow
		}
		return privacy.Skip
	})
}
