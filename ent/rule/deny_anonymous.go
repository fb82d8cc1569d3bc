package rule

import (
	"context"
	"fmt"

	"flexwork/ent/privacy"
	"flexwork/ent/viewer"
)

// ErrAnonymous is the denial of a request that carries no signed-in user; the
// API reports it as UNAUTHENTICATED rather than FORBIDDEN.
var ErrAnonymous = fmt.Errorf("%w: sign in required", privacy.Deny)

// DenyIfAnonymous refuses queries and mutations without a viewer.
func DenyIfAnonymous() privacy.QueryMutationRule {
	return privacy.ContextQueryMutationRule(func(ctx context.Context) error {
		if viewer.FromContext(ctx) == nil {
			return ErrAnonymous
		}
		return privacy.Skip
	})
}
