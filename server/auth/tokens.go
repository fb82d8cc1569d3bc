package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const issuer = "flexwork"

// Tokens signs and verifies access tokens with an HMAC key.
type Tokens struct {
	key []byte
	ttl time.Duration
	now func() time.Time
}

// NewTokens returns a signer. The key must hold at least 32 bytes.
func NewTokens(key []byte, ttl time.Duration, now func() time.Time) (*Tokens, error) {
	if len(key) < 32 {
		return nil, errors.New("auth: the token signing key must hold at least 32 bytes")
	}
	if now == nil {
		now = time.Now
	}
	return &Tokens{key: key, ttl: ttl, now: now}, nil
}

// Issue returns a signed access token for userID and when it expires.
func (t *Tokens) Issue(userID string) (string, time.Time, error) {
	now := t.now()
	exp := now.Add(t.ttl)
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.RegisteredClaims{
		Issuer:    issuer,
		Subject:   userID,
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(exp),
	})
	s, err := tok.SignedString(t.key)
	return s, exp, err
}

// Verify returns the user ID of a valid, unexpired access token.
func (t *Tokens) Verify(token string) (string, error) {
	var claims jwt.RegisteredClaims
	_, err := jwt.ParseWithClaims(token, &claims, func(*jwt.Token) (any, error) { return t.key, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(issuer),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(t.now),
	)
	if err != nil {
		return "", fmt.Errorf("auth: %w", err)
	}
	if claims.Subject == "" {
		return "", errors.New("auth: token has no subject")
	}
	return claims.Subject, nil
}

// newRefreshToken returns a random refresh token and the hash to store.
func newRefreshToken() (token, hash string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token)
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
