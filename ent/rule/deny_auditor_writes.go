package rule

import (
	"context"
	"fmt"

	"flexwork/ent"
	"flexwork/ent/privacy"
	"flexwork/ent/viewer"
)

// ErrAuditorReadsOnly is the refusal of a marketplace change asked by an
// auditor.
var ErrAuditorReadsOnly = fmt.Errorf("%w: auditors read, they do not take part", privacy.Deny)

// accountTables are the tables an auditor still writes as any user does:
// signing in and out, devices, notifications read, a password reset.
var accountTables = map[string]bool{
	ent.TypeUser: true, ent.TypeSession: true, ent.TypeDevice: true, ent.TypeNotification: true,
	ent.TypeIdempotencyKey: true, ent.TypePasswordReset: true,
}

// DenyAuditorsMarketWrites refuses an auditor every change outside their
// own account: one who supervises the market does not work, hire or review
// in it.
func DenyAuditorsMarketWrites() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		if v := viewer.FromContext(ctx); v != nil && v.Auditor && !accountTables[m.Type()] {
			return ErrAuditorReadsOnly
		}
		return privacy.Skip
	})
}
