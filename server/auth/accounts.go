package auth

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"flexwork/ent"
	"flexwork/ent/entdb"
	"flexwork/ent/rule"
	"flexwork/ent/session"
	"flexwork/ent/user"
	"flexwork/market"
	"flexwork/notifications"
	"flexwork/server/ratelimit"
)

// Accounts runs local sign-up, sign-in and token refresh.
type Accounts struct {
	DB         *ent.Client
	Tokens     *Tokens
	RefreshTTL time.Duration
	Now        func() time.Time
	// Disabled refuses local sign-up and sign-in: the server signs users in
	// with Firebase.
	Disabled bool
	// Mailer sends sign-up codes; CodeKey keys their HMACs.
	Mailer  notifications.Mailer
	CodeKey []byte
	// MaxConcurrentHashes bounds the password hashes computed at once
	// (default: one per core).
	MaxConcurrentHashes int
	// Limits counts attempts per client address and per account (nil: no
	// limits); Log hears when its store fails.
	Limits ratelimit.Store
	Log    *slog.Logger

	slotsOnce sync.Once
	slots     chan struct{}
	waiting   atomic.Int64 // requests in or waiting for a hashing slot
}

// Session is what a successful sign-in returns to the app.
type Session struct {
	AccessToken           string    `json:"accessToken"`
	AccessTokenExpiresAt  time.Time `json:"accessTokenExpiresAt"`
	RefreshToken          string    `json:"refreshToken"`
	RefreshTokenExpiresAt time.Time `json:"refreshTokenExpiresAt"`
	User                  *ent.User `json:"user"`
}

// SignUpInput creates a local account.
type SignUpInput struct {
	Email       string  `json:"email" validate:"required,email,max=254"`
	Password    string  `json:"password" validate:"required,min=10,max=128"`
	DisplayName string  `json:"displayName" validate:"required,min=1,max=80"`
	Phone       *string `json:"phone" validate:"omitempty,e164"`
}

// SignInInput signs in to a local account.
type SignInInput struct {
	Email    string `json:"email" validate:"required,email,max=254"`
	Password string `json:"password" validate:"required,max=128"`
}

func (a *Accounts) now() time.Time { return a.Now().UTC() }

var errLocalDisabled = market.Forbidden("this server signs users in with Firebase")

var errWrongCredentials = market.Errorf(market.CodeUnauthenticated, "email or password is wrong")

// SignIn checks a password and starts a session.
func (a *Accounts) SignIn(ctx context.Context, in SignInInput) (*Session, error) {
	if a.Disabled {
		return nil, errLocalDisabled
	}
	in.Email = normalizeEmail(in.Email)
	if err := market.Validate(in); err != nil {
		return nil, err
	}
	if err := a.limit(ctx, "signin-client:"+Client(ctx), signInPerClient, "sign-in attempts from your network"); err != nil {
		return nil, err
	}
	if err := a.locked(ctx, in.Email); err != nil {
		return nil, err
	}
	if err := a.limit(ctx, "signin-account:"+in.Email, signInPerAccount, "sign-in attempts for this account"); err != nil {
		return nil, err
	}
	ctx = rule.System(ctx)
	u, err := a.DB.User.Query().Where(user.Email(in.Email)).Only(ctx)
	if ent.IsNotFound(err) {
		u = &ent.User{PasswordHash: dummyHash} // checked as slowly as a real one
	} else if err != nil {
		return nil, err
	}
	hash := u.PasswordHash
	if hash == "" {
		hash = dummyHash
	}
	ok, err := a.checkPassword(ctx, in.Password, hash)
	if err != nil {
		return nil, err
	}
	if !ok || u.ID == "" || u.PasswordHash == "" {
		// Counted whether or not the address has an account: the lockout
		// must not tell which do.
		a.failed(ctx, in.Email)
		return nil, errWrongCredentials
	}
	a.succeeded(ctx, in.Email)
	if u.DisabledAt != nil {
		return nil, market.Errorf(market.CodeUnauthenticated, "this account is disabled")
	}
	var s *Session
	err = entdb.InTx(ctx, a.DB, func(ctx context.Context, c *ent.Client) error {
		s, err = a.startSession(ctx, c, u, "")
		return err
	})
	return s, err
}

var errBadRefresh = market.Errorf(market.CodeUnauthenticated, "refresh token is invalid or expired; sign in again")

// Refresh trades a refresh token for a new access token and a new refresh
// token. Each refresh token works once. A second use means two parties hold
// it, so the whole family of sessions descending from that sign-in is
// revoked, and both must sign in again.
func (a *Accounts) Refresh(ctx context.Context, token string) (*Session, error) {
	if err := a.limit(ctx, "refresh-client:"+Client(ctx), refreshPerClient, "token refreshes from your network"); err != nil {
		return nil, err
	}
	ctx = rule.System(ctx)
	now := a.now()
	hash := hashToken(token)
	var s *Session
	err := entdb.InTx(ctx, a.DB, func(ctx context.Context, c *ent.Client) error {
		// Claim the token: only one request can flip used_at from NULL.
		n, err := c.Session.Update().
			Where(session.TokenHash(hash), session.UsedAtIsNil(), session.RevokedAtIsNil(), session.ExpiresAtGT(now)).
			SetUsedAt(now).
			Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return errBadRefresh
		}
		old, err := c.Session.Query().Where(session.TokenHash(hash)).WithUser().Only(ctx)
		if err != nil {
			return err
		}
		if old.Edges.User.DisabledAt != nil {
			return errBadRefresh
		}
		s, err = a.startSession(ctx, c, old.Edges.User, old.Family)
		return err
	})
	if err == errBadRefresh {
		a.revokeIfReused(ctx, hash)
	}
	return s, err
}

// revokeIfReused revokes the family of a token that was already used. It
// runs outside any request transaction: the request fails, but the
// revocation must stay.
func (a *Accounts) revokeIfReused(ctx context.Context, hash string) {
	old, err := a.DB.Session.Query().Where(session.TokenHash(hash), session.UsedAtNotNil()).Only(ctx)
	if err != nil {
		return
	}
	_, _ = a.DB.Session.Update().
		Where(session.Family(old.Family), session.RevokedAtIsNil()).
		SetRevokedAt(a.now()).
		Save(ctx)
}

// SignedOut says whether signing out revoked an active session.
type SignedOut struct {
	Revoked bool `json:"revoked"`
}

// SignOut revokes the session a refresh token belongs to.
func (a *Accounts) SignOut(ctx context.Context, token string) (*SignedOut, error) {
	n, err := a.DB.Session.Update().
		Where(session.TokenHash(hashToken(token)), session.RevokedAtIsNil()).
		SetRevokedAt(a.now()).
		Save(rule.System(ctx))
	if err != nil {
		return nil, err
	}
	return &SignedOut{Revoked: n > 0}, nil
}

// startSession issues an access token and a new refresh token in family
// (a new family when empty).
func (a *Accounts) startSession(ctx context.Context, c *ent.Client, u *ent.User, family string) (*Session, error) {
	access, accessExp, err := a.Tokens.Issue(u.ID)
	if err != nil {
		return nil, err
	}
	refresh, hash := newRefreshToken()
	create := c.Session.Create().
		SetUserID(u.ID).
		SetTokenHash(hash).
		SetUserAgent(userAgent(ctx)).
		SetExpiresAt(a.now().Add(a.RefreshTTL))
	if family != "" {
		create.SetFamily(family)
	} else {
		create.SetFamily(hash[:32])
	}
	row, err := create.Save(ctx)
	if err != nil {
		return nil, err
	}
	return &Session{
		AccessToken:           access,
		AccessTokenExpiresAt:  accessExp,
		RefreshToken:          refresh,
		RefreshTokenExpiresAt: row.ExpiresAt,
		User:                  u,
	}, nil
}

func normalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
