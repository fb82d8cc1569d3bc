package auth

import (
	"context"

	"flexwork/ent"
	"flexwork/ent/rule"
	"flexwork/ent/viewer"
	"flexwork/market"
)

// ConfirmPassword checks the signed-in user's own password before an act
// that cannot be undone (deleting the account), counted and locked out like
// a sign-in. An account without a password (Firebase) has nothing to check.
func (a *Accounts) ConfirmPassword(ctx context.Context, password *string) error {
	v := viewer.FromContext(ctx)
	if v == nil {
		return market.Errorf(market.CodeUnauthenticated, "sign in required")
	}
	u, err := a.DB.User.Get(rule.System(ctx), v.UserID)
	if err != nil {
		return err
	}
	if u.PasswordHash == "" || u.Email == nil {
		return nil
	}
	if password == nil || *password == "" {
		return market.BadInput("password", "enter your password to confirm")
	}
	return a.checkOwnPassword(ctx, u, *password, "password")
}

// checkOwnPassword checks a signed-in user's password (of an account with
// an email and a password), counted and locked out like a sign-in; a wrong
// one is named by field.
func (a *Accounts) checkOwnPassword(ctx context.Context, u *ent.User, password, field string) error {
	email := *u.Email
	if err := a.locked(ctx, email); err != nil {
		return err
	}
	if err := a.limit(ctx, "signin-account:"+email, signInPerAccount, "password attempts for this account"); err != nil {
		return err
	}
	ok, err := a.checkPassword(ctx, password, u.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		a.failed(ctx, email)
		return market.BadInput(field, "is wrong")
	}
	a.succeeded(ctx, email)
	return nil
}
