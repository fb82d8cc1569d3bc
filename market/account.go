package market

import (
	"context"
	"strings"

	"flexwork/ent"
	"flexwork/ent/rule"
)

// Locales are the languages a person may read flexwork in.
var Locales = []string{"en", "zh-CN"}

// UpdateAccountInput changes what a person says about themself; fields
// left out stay.
type UpdateAccountInput struct {
	DisplayName *string `json:"displayName" validate:"omitempty,min=1,max=80"`
	Phone       *string `json:"phone" validate:"omitempty,e164"`
	Locale      *string `json:"locale" validate:"omitempty,oneof=en zh-CN"`
}

// UpdateAccount lets the viewer change their name, phone and language.
// Contracts already written keep the name they were signed under.
func (m *Market) UpdateAccount(ctx context.Context, in UpdateAccountInput) (*ent.User, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if in.DisplayName != nil {
		*in.DisplayName = strings.TrimSpace(*in.DisplayName)
		if *in.DisplayName == "" {
			return nil, BadInput("displayName", "must not be empty")
		}
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	up := m.client(ctx).User.UpdateOneID(v.UserID)
	if in.DisplayName != nil {
		up.SetDisplayName(*in.DisplayName)
	}
	if in.Phone != nil {
		up.SetPhone(*in.Phone)
	}
	if in.Locale != nil {
		up.SetLocale(*in.Locale)
	}
	return up.Save(rule.System(ctx)) // the viewer's own row, chosen above
}
