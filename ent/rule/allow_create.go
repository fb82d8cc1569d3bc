package rule

import (
	"context"

	"flexwork/ent"
	"flexwork/ent/privacy"
	"flexwork/ent/viewer"
)

// AllowCreateByOwner allows a create when every listed owner column of the
// new row belongs to the viewer: a worker applies as themself, a manager posts
// shifts for their own employer.
func AllowCreateByOwner(owners ...Owner) privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		if !m.Op().Is(ent.OpCreate) {
			return privacy.Skip
		}
		v := viewer.FromContext(ctx)
		if v == nil {
			return ErrAnonymous
		}
		for _, o := range owners {
			value, _ := m.Field(o.Column)
			s, _ := value.(string)
			if !o.owns(v, s) {
				return privacy.Skip
			}
		}
		return privacy.Allow
	})
}
