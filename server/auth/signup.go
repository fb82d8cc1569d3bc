package auth

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"
	"time"

	"flexwork/ent"
	"flexwork/ent/entdb"
	"flexwork/ent/rule"
	"flexwork/ent/schema/pulid"
	"flexwork/ent/signuprequest"
	"flexwork/ent/user"
	"flexwork/i18n"
	"flexwork/market"
	"flexwork/notifications"
)

// Sign-up codes: six digits, good for 30 minutes and 5 tries.
const (
	SignupCodeTTL      = 30 * time.Minute
	maxSignupAttempts  = 5
	signupCodeDigits   = 6
	signupCodeKeyLabel = "flexwork sign-up codes"
)

// SignUpPending is signUp's answer, the same whether or not the address
// already has an account: a code is on its way to the address, or (when it
// has an account) a notice saying so. Only the owner of the address learns
// which.
type SignUpPending struct {
	Email         string    `json:"email"`
	CodeExpiresAt time.Time `json:"codeExpiresAt"`
}

// VerifyEmailInput completes a sign-up with the code mailed to the address.
type VerifyEmailInput struct {
	Email string `json:"email" validate:"required,email,max=254"`
	Code  string `json:"code" validate:"required,len=6,numeric"`
}

var errBadCode = market.BadInput("code", "is wrong or has expired; sign up again for a new one")

// SignUp starts a local account: it mails a code to the address, which
// verifyEmail trades for the account and a session. An address that already
// has an account gets a notice instead, and the caller the same answer, so
// that nobody learns from signUp which addresses are registered.
func (a *Accounts) SignUp(ctx context.Context, in SignUpInput) (*SignUpPending, error) {
	if a.Disabled {
		return nil, errLocalDisabled
	}
	in.Email = normalizeEmail(in.Email)
	in.DisplayName = strings.TrimSpace(in.DisplayName)
	if err := market.Validate(in); err != nil {
		return nil, err
	}
	if err := checkPassword(in.Password, in.Email, in.DisplayName); err != nil {
		return nil, err
	}
	if err := a.limit(ctx, "signup-client:"+Client(ctx), signUpPerClient, "sign-ups from your network"); err != nil {
		return nil, err
	}
	// Per address too, whether or not it has an account: each sends mail.
	if err := a.limit(ctx, "signup-email:"+in.Email, signUpPerEmail, "sign-ups for this address"); err != nil {
		return nil, err
	}
	// Hashed in both cases, so that both answers take as long.
	hash, err := a.hashPassword(ctx, in.Password)
	if err != nil {
		return nil, err
	}
	sys := rule.System(ctx)
	now := a.now()
	out := &SignUpPending{Email: in.Email, CodeExpiresAt: now.Add(SignupCodeTTL)}
	taken, err := a.DB.User.Query().Where(user.Email(in.Email)).Exist(sys)
	if err != nil {
		return nil, err
	}
	lang := i18n.Language(ctx)
	mail := notifications.Mail{To: in.Email, Subject: i18n.T(lang, "mail.signup_taken.subject", nil),
		Body: i18n.T(lang, "mail.signup_taken.body", nil)}
	if !taken {
		code, err := newCode()
		if err != nil {
			return nil, err
		}
		// The code's HMAC covers the request's ID: a code works for its own
		// request only.
		id := pulid.New("sur")
		if _, err := a.DB.SignupRequest.Create().SetID(id).SetEmail(in.Email).SetDisplayName(in.DisplayName).
			SetNillablePhone(in.Phone).SetPasswordHash(hash).SetCodeHash(a.codeHash(id, code)).
			SetExpiresAt(out.CodeExpiresAt).Save(sys); err != nil {
			return nil, err
		}
		data := map[string]any{"Name": in.DisplayName, "Code": code}
		mail = notifications.Mail{To: in.Email, Subject: i18n.T(lang, "mail.signup_code.subject", data),
			Body: i18n.T(lang, "mail.signup_code.body", data)}
	}
	if err := a.Mailer.Send(ctx, mail); err != nil {
		return nil, fmt.Errorf("sign-up mail: %w", err)
	}
	return out, nil
}

// VerifyEmail trades the code of the address's latest sign-up for a new
// account and its first session. Every try counts, even wrong ones made at
// once: after 5 the code is spent.
func (a *Accounts) VerifyEmail(ctx context.Context, in VerifyEmailInput) (*Session, error) {
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
	req, err := a.DB.SignupRequest.Query().Where(signuprequest.Email(in.Email)).
		Order(ent.Desc(signuprequest.FieldCreatedAt), ent.Desc(signuprequest.FieldID)).First(sys)
	if ent.IsNotFound(err) {
		return nil, errBadCode
	}
	if err != nil {
		return nil, err
	}
	spent, err := a.DB.SignupRequest.Update().
		Where(signuprequest.ID(req.ID), signuprequest.CompletedAtIsNil(), signuprequest.ExpiresAtGT(now),
			signuprequest.AttemptsLT(maxSignupAttempts)).
		AddAttempts(1).Save(sys)
	if err != nil {
		return nil, err
	}
	if spent == 0 || !hmac.Equal([]byte(a.codeHash(req.ID, in.Code)), []byte(req.CodeHash)) {
		return nil, errBadCode
	}
	var s *Session
	err = entdb.InTx(sys, a.DB, func(ctx context.Context, c *ent.Client) error {
		n, err := c.SignupRequest.Update().Where(signuprequest.ID(req.ID), signuprequest.CompletedAtIsNil()).
			SetCompletedAt(now).Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return errBadCode
		}
		u, err := c.User.Create().SetEmail(req.Email).SetDisplayName(req.DisplayName).
			SetPasswordHash(req.PasswordHash).SetNillablePhone(req.Phone).SetLocale(i18n.Language(ctx)).Save(ctx)
		if ent.IsConstraintError(err) {
			// The address proved to be theirs; they may know it has an account.
			return market.State(market.CodeAccountExists, "this e-mail address already has an account; sign in")
		}
		if err != nil {
			return err
		}
		if err := market.ClaimInvitations(ctx, c, u.ID, req.Email); err != nil {
			return err
		}
		s, err = a.startSession(ctx, c, u, "")
		return err
	})
	return s, err
}

// CreateAccount makes a verified local account without a code: for
// operators (flexwork admin create) and the demo city.
func (a *Accounts) CreateAccount(ctx context.Context, in SignUpInput) (*ent.User, error) {
	in.Email = normalizeEmail(in.Email)
	in.DisplayName = strings.TrimSpace(in.DisplayName)
	if err := market.Validate(in); err != nil {
		return nil, err
	}
	if err := checkPassword(in.Password, in.Email, in.DisplayName); err != nil {
		return nil, err
	}
	hash, err := a.hashPassword(ctx, in.Password)
	if err != nil {
		return nil, err
	}
	u, err := a.DB.User.Create().SetEmail(in.Email).SetDisplayName(in.DisplayName).SetPasswordHash(hash).
		SetNillablePhone(in.Phone).SetLocale(i18n.Language(ctx)).Save(rule.System(ctx))
	if ent.IsConstraintError(err) {
		return nil, market.BadInput("email", "is already registered")
	}
	return u, err
}

// codeHash is the HMAC of a request's code under the server's code key.
func (a *Accounts) codeHash(requestID, code string) string {
	m := hmac.New(sha256.New, a.CodeKey)
	m.Write([]byte(signupCodeKeyLabel + "\x00" + requestID + "\x00" + code))
	return hex.EncodeToString(m.Sum(nil))
}

// newCode draws six uniformly random digits.
func newCode() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%0*d", signupCodeDigits, n.Int64()), nil
}
