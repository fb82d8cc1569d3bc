package rule

import (
	"context"

	"flexwork/ent/privacy"
	"flexwork/ent/viewer"
)

// AllowIfSignedIn lets any signed-in user through: for public information
// such as employers' profiles and workers' public profiles.
func AllowIfSignedIn() privacy.QueryMutationRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if viewer.FromContext(ctx) != nil {
			return privacy.Allow
		}
		return privacy.Skip
	})
}
