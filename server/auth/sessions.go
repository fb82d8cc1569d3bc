package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"time"

	"flexwork/ent/entdb"
	"flexwork/ent/rule"
	"flexwork/ent/session"
	"flexwork/ent/viewer"
	"flexwork/market"
)

// DeviceSession is one signed-in device as its owner sees it: a sign-in and the
// token refreshes since, which share a family.
type DeviceSession struct {
	ID           string    `json:"id"`
	StartedAt    time.Time `json:"startedAt"`
	LastActiveAt time.Time `json:"lastActiveAt"`
	ExpiresAt    time.Time `json:"expiresAt"`
	UserAgent    *string   `json:"userAgent"`
}

// sessionID names a family without showing it: the family is part of a
// token's hash, and the list need not hand it out.
func sessionID(family string) string {
	sum := sha256.Sum256([]byte("flexwork sign-in\x00" + family))
	return "dvs_" + hex.EncodeToString(sum[:12])
}

// Sessions lists the viewer's active sign-ins, the most recently active
// first. A sign-in is active while its newest refresh token is neither
// used, revoked nor expired.
func (a *Accounts) Sessions(ctx context.Context) ([]*DeviceSession, error) {
	v := viewer.FromContext(ctx)
	if v == nil {
		return nil, market.Errorf(market.CodeUnauthenticated, "sign in required")
	}
	rows, err := entdb.Client(ctx, a.DB).Session.Query().Where(session.UserID(v.UserID)).
		Order(session.ByCreatedAt()).All(rule.System(ctx))
	if err != nil {
		return nil, err
	}
	byFamily := map[string]*DeviceSession{}
	var order []string
	now := a.now()
	for _, r := range rows {
		s := byFamily[r.Family]
		if s == nil {
			s = &DeviceSession{ID: sessionID(r.Family), StartedAt: r.CreatedAt}
			byFamily[r.Family] = s
			order = append(order, r.Family)
		}
		s.LastActiveAt, s.ExpiresAt, s.UserAgent = r.CreatedAt, r.ExpiresAt, nil
		if r.UserAgent != "" {
			s.UserAgent = &r.UserAgent
		}
		if r.RevokedAt != nil || r.UsedAt != nil || !r.ExpiresAt.After(now) {
			s.ExpiresAt = time.Time{} // this token is spent; a later one may revive the family
		}
	}
	out := []*DeviceSession{}
	for _, f := range order {
		if s := byFamily[f]; !s.ExpiresAt.IsZero() {
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(x, y *DeviceSession) int { return y.LastActiveAt.Compare(x.LastActiveAt) })
	return out, nil
}

// SignOutSession revokes one of the viewer's sign-ins: that device must sign
// in again once its access token lapses. Another user's ID, or one already
// signed out, revokes nothing.
func (a *Accounts) SignOutSession(ctx context.Context, id string) (*SignedOut, error) {
	v := viewer.FromContext(ctx)
	if v == nil {
		return nil, market.Errorf(market.CodeUnauthenticated, "sign in required")
	}
	sys, c := rule.System(ctx), entdb.Client(ctx, a.DB) // the mutation's transaction
	families, err := c.Session.Query().Where(session.UserID(v.UserID), session.RevokedAtIsNil()).
		Unique(true).Select(session.FieldFamily).Strings(sys)
	if err != nil {
		return nil, err
	}
	for _, f := range families {
		if sessionID(f) == id {
			n, err := c.Session.Update().Where(session.Family(f), session.RevokedAtIsNil()).SetRevokedAt(a.now()).Save(sys)
			return &SignedOut{Revoked: n > 0}, err
		}
	}
	return &SignedOut{}, nil
}
