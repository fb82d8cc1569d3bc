package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"flexwork/ent"
	"flexwork/ent/entdb"
	"flexwork/ent/passwordreset"
	"flexwork/ent/rule"
	"flexwork/ent/schema/pulid"
	"flexwork/ent/session"
	"flexwork/ent/user"
	"flexwork/ent/viewer"
	"flexwork/i18n"
	"flexwork/market"
	"flexwork/notifications"
	"flexwork/server/ratelimit"
)

// A forgotten password is reset with a code mailed to the account's
// address: six digits, 30 minutes, 5 tries, as for sign-up. Asking answers
// alike whether or not the address has an account. A new password — reset
// or changed — signs the account out everywhere (every refresh token is
// revoked; access tokens lapse within their 15 minutes) and starts one new
// session for the device that made the change.

const (
	resetCodeTTL      = 30 * time.Minute
	resetCodeKeyLabel = "flexwork password reset codes"
)

var (
	resetPerClient = ratelimit.Limit{Rate: 20, Period: time.Hour, Burst: 10}
	resetPerEmail  = ratelimit.Limit{Rate: 5, Period: time.Hour, Burst: 3} // each may send a mail
)

// ResetPending is requestPasswordReset's answer, the same for every address.
type ResetPending struct {
	Email         string    `json:"email"`
	CodeExpiresAt time.Time `json:"codeExpiresAt"`
}

// ResetPasswordInput trades a mailed code for a new password.
type ResetPasswordInput struct {
	Email       string `json:"email" validate:"required,email,max=254"`
	Code        string `json:"code" validate:"required,len=6,numeric"`
	NewPassword string `json:"newPassword" validate:"required,min=10,max=128"`
}

// ChangePasswordInput changes the signed-in user's password.
type ChangePasswordInput struct {
	CurrentPassword string `json:"currentPassword" validate:"required,max=128"`
	NewPassword     string `json:"newPassword" validate:"required,min=10,max=128"`
}

var errBadResetCode = market.BadInput("code", "is wrong or has expired; ask for a new one")

// RequestPasswordReset mails a reset code to the address when it has a
// local account, and answers the same either way.
func (a *Accounts) RequestPasswordReset(ctx context.Context, email string) (*ResetPending, error) {
	if a.Disabled {
		return nil, errLocalDisabled
	}
	email = normalizeEmail(email)
	if err := market.Validate(struct {
		Email string `json:"email" validate:"required,email,max=254"`
	}{email}); err != nil {
		return nil, err
	}
	if err := a.limit(ctx, "reset-client:"+Client(ctx), resetPerClient, "password resets from your network"); err != nil {
		return nil, err
	}
	if err := a.limit(ctx, "reset-email:"+email, resetPerEmail, "password resets for this address"); err != nil {
		return nil, err
	}
	sys := rule.System(ctx)
	now := a.now()
	out := &ResetPending{Email: email, CodeExpiresAt: now.Add(resetCodeTTL)}
	u, err := a.DB.User.Query().Where(user.Email(email), user.DisabledAtIsNil(), user.PasswordHashNEQ("")).Only(sys)
	if ent.IsNotFound(err) {
		return out, nil // nothing to reset, and nothing said
	}
	if err != nil {
		return nil, err
	}
	code, err := newCode()
	if err != nil {
		return nil, err
	}
	id := pulid.New("pwr")
	if err := a.DB.PasswordReset.Create().SetID(id).SetUserID(u.ID).SetEmail(email).SetCodeHash(a.resetHash(id, code)).
		SetExpiresAt(out.CodeExpiresAt).Exec(sys); err != nil {
		return nil, err
	}
	lang, asked := i18n.Asked(ctx) // the app's language, else the account's
	if !asked {
		lang = i18n.Match(u.Locale)
	}
	data := map[string]any{"Code": code}
	if err := a.Mailer.Send(ctx, notifications.Mail{To: email, Subject: i18n.T(lang, "mail.reset_code.subject", data),
		Body: i18n.T(lang, "mail.reset_code.body", data)}); err != nil {
		return nil, fmt.Errorf("reset mail: %w", err)
	}
	return out, nil
}

// ResetPassword sets a new password with the code of the address's latest
// reset, signs the account out everywhere and starts a new session. Every
// try counts: after 5 the code is spent.
func (a *Accounts) ResetPassword(ctx context.Context, in ResetPasswordInput) (*Session, error) {
	if a.Disabled {
		return nil, errLocalDisabled
	}
	in.Email, in.Code = normalizeEmail(in.Email), strings.TrimSpace(in.Code)
	if err := market.Validate(in); err != nil {
		return nil, err
	}
	if err := a.limit(ctx, "verify-client:"+Client(ctx), verifyPerClient, "codes tried from your network"); err != nil {
		return nil, err
	}
	sys := rule.System(ctx)
	now := a.now()
	req, err := a.DB.PasswordReset.Query().Where(passwordreset.Email(in.Email)).
		Order(ent.Desc(passwordreset.FieldCreatedAt), ent.Desc(passwordreset.FieldID)).First(sys)
	if ent.IsNotFound(err) {
		return nil, errBadResetCode
	}
	if err != nil {
		return nil, err
	}
	spent, err := a.DB.PasswordReset.Update().
		Where(passwordreset.ID(req.ID), passwordreset.CompletedAtIsNil(), passwordreset.ExpiresAtGT(now),
			passwordreset.AttemptsLT(maxSignupAttempts)).
		AddAttempts(1).Save(sys)
	if err != nil {
		return nil, err
	}
	if spent == 0 || !hmac.Equal([]byte(a.resetHash(req.ID, in.Code)), []byte(req.CodeHash)) {
		return nil, errBadResetCode
	}
	u, err := a.DB.User.Get(sys, req.UserID)
	if err != nil {
		return nil, err
	}
	if err := checkPassword(in.NewPassword, in.Email, u.DisplayName); err != nil {
		return nil, newPasswordField(err)
	}
	hash, err := a.hashPassword(ctx, in.NewPassword)
	if err != nil {
		return nil, err
	}
	var s *Session
	err = entdb.InTx(sys, a.DB, func(ctx context.Context, c *ent.Client) error {
		n, err := c.PasswordReset.Update().Where(passwordreset.ID(req.ID), passwordreset.CompletedAtIsNil()).
			SetCompletedAt(now).Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return errBadResetCode
		}
		s, err = a.newPassword(ctx, c, u, hash)
		return err
	})
	if err == nil {
		a.succeeded(ctx, in.Email) // the lockout of wrong passwords ends with the new one
	}
	return s, err
}

// ChangePassword sets a new password for the signed-in user, who proves
// the current one (counted as a sign-in attempt).
func (a *Accounts) ChangePassword(ctx context.Context, in ChangePasswordInput) (*Session, error) {
	if a.Disabled {
		return nil, errLocalDisabled
	}
	v := viewer.FromContext(ctx)
	if v == nil {
		return nil, market.Errorf(market.CodeUnauthenticated, "sign in required")
	}
	if err := market.Validate(in); err != nil {
		return nil, err
	}
	sys := rule.System(ctx)
	u, err := a.DB.User.Get(sys, v.UserID)
	if err != nil {
		return nil, err
	}
	if u.PasswordHash == "" || u.Email == nil {
		return nil, market.Forbidden("this account signs in without a password")
	}
	email := *u.Email
	if err := a.checkOwnPassword(ctx, u, in.CurrentPassword, "currentPassword"); err != nil {
		return nil, err
	}
	if err := checkPassword(in.NewPassword, email, u.DisplayName); err != nil {
		return nil, newPasswordField(err)
	}
	hash, err := a.hashPassword(ctx, in.NewPassword)
	if err != nil {
		return nil, err
	}
	var s *Session
	err = entdb.InTx(sys, a.DB, func(ctx context.Context, c *ent.Client) error {
		s, err = a.newPassword(ctx, c, u, hash)
		return err
	})
	return s, err
}

// SignOutEverywhere revokes every session of the signed-in user: each
// device must sign in again once its access token lapses.
func (a *Accounts) SignOutEverywhere(ctx context.Context) (*SignedOut, error) {
	v := viewer.FromContext(ctx)
	if v == nil {
		return nil, market.Errorf(market.CodeUnauthenticated, "sign in required")
	}
	n, err := a.revokeAll(ctx, a.DB, v.UserID)
	if err != nil {
		return nil, err
	}
	return &SignedOut{Revoked: n > 0}, nil
}

// newPassword stores the hash, revokes every session and starts a new one.
func (a *Accounts) newPassword(ctx context.Context, c *ent.Client, u *ent.User, hash string) (*Session, error) {
	if err := c.User.UpdateOneID(u.ID).SetPasswordHash(hash).Exec(ctx); err != nil {
		return nil, err
	}
	if _, err := a.revokeAll(ctx, c, u.ID); err != nil {
		return nil, err
	}
	return a.startSession(ctx, c, u, "")
}

func (a *Accounts) revokeAll(ctx context.Context, c *ent.Client, userID string) (int, error) {
	return c.Session.Update().Where(session.UserID(userID), session.RevokedAtIsNil()).
		SetRevokedAt(a.now()).Save(rule.System(ctx))
}

// newPasswordField names the new password in a password-policy refusal.
func newPasswordField(err error) error {
	if e, ok := market.AsError(err); ok && len(e.Fields) == 1 && e.Fields[0].Field == "password" {
		return market.BadInput("newPassword", e.Fields[0].Message)
	}
	return err
}

// resetHash is the HMAC of a reset's code under the server's code key.
func (a *Accounts) resetHash(id, code string) string {
	m := hmac.New(sha256.New, a.CodeKey)
	m.Write([]byte(resetCodeKeyLabel + "\x00" + id + "\x00" + code))
	return hex.EncodeToString(m.Sum(nil))
}
