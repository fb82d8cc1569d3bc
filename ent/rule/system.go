package rule

import (
	"context"

	"flexwork/ent/privacy"
)

// System returns a context in which every policy allows everything. Use it
// only for work the system does on its own behalf — sign-up before there is
// a viewer, the side effects of a transition market has already authorised,
// jobs, seeding — and never for the caller's own reads.
func System(ctx context.Context) context.Context {
	return privacy.DecisionContext(ctx, privacy.Allow)
}
