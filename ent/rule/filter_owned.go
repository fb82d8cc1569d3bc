package rule

import (
	"context"

	"entgo.io/ent/entql"

	"flexwork/ent"
	"flexwork/ent/privacy"
	"flexwork/ent/viewer"
)

// FilterToOwners narrows queries, updates and deletes to the rows whose
// owner columns belong to the viewer, then allows them. Rows of other people
// are simply not there: a query returns fewer rows, an update of one by ID
// fails with not found. Creates are not its business (a create has no rows
// to filter); AllowCreateByOwner decides those.
func FilterToOwners(owners ...Owner) privacy.QueryMutationRule {
	return filterRule{owners: owners}
}

type filterRule struct {
	owners []Owner
	extra  func(*viewer.Viewer) []entql.P
}

func (r filterRule) apply(ctx context.Context, f privacy.Filter) error {
	v := viewer.FromContext(ctx)
	if v == nil {
		return ErrAnonymous
	}
	var extra []entql.P
	if r.extra != nil {
		extra = r.extra(v)
	}
	f.Where(anyOf(v, r.owners, extra...))
	return privacy.Allow
}

func (r filterRule) EvalQuery(ctx context.Context, q ent.Query) error {
	return privacy.FilterFunc(r.apply).EvalQuery(ctx, q)
}

func (r filterRule) EvalMutation(ctx context.Context, m ent.Mutation) error {
	if m.Op().Is(ent.OpCreate) {
		return privacy.Skip
	}
	return privacy.FilterFunc(r.apply).EvalMutation(ctx, m)
}
