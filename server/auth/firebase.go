package auth

import (
	"context"
	"strings"

	fbauth "firebase.google.com/go/v4/auth"

	"flexwork/ent"
	"flexwork/ent/rule"
	"flexwork/ent/user"
	"flexwork/market"
)

// Firebase signs users in with Firebase ID tokens, verified by the Firebase
// Admin SDK, and provisions a flexwork user the first time a Firebase user
// appears.
type Firebase struct {
	Client *fbauth.Client
	DB     *ent.Client
}

// UserID verifies idToken and returns the flexwork user it belongs to,
// creating that user on first sign-in. A user created beforehand with the
// same verified email (staff made by `flexwork admin create`) is linked
// instead of duplicated.
func (f *Firebase) UserID(ctx context.Context, idToken string) (string, error) {
	tok, err := f.Client.VerifyIDToken(ctx, idToken)
	if err != nil {
		return "", err
	}
	ctx = rule.System(ctx)
	if id, err := f.DB.User.Query().Where(user.FirebaseUID(tok.UID)).OnlyID(ctx); err == nil {
		return id, nil
	} else if !ent.IsNotFound(err) {
		return "", err
	}
	email, _ := tok.Claims["email"].(string)
	email = normalizeEmail(email)
	verified, _ := tok.Claims["email_verified"].(bool)
	if email != "" && verified {
		n, err := f.DB.User.Update().
			Where(user.Email(email), user.FirebaseUIDIsNil()).
			SetFirebaseUID(tok.UID).
			Save(ctx)
		if err != nil {
			return "", err
		}
		if n == 1 {
			return f.DB.User.Query().Where(user.FirebaseUID(tok.UID)).OnlyID(ctx)
		}
	}
	create := f.DB.User.Create().SetFirebaseUID(tok.UID).SetDisplayName(displayName(tok, email))
	if email != "" && verified {
		if taken, err := f.DB.User.Query().Where(user.Email(email)).Exist(ctx); err == nil && !taken {
			create.SetEmail(email)
		}
	}
	u, err := create.Save(ctx)
	if ent.IsConstraintError(err) {
		// Two first requests raced; the other one created the user.
		return f.DB.User.Query().Where(user.FirebaseUID(tok.UID)).OnlyID(ctx)
	}
	if err != nil {
		return "", err
	}
	if u.Email != nil { // verified by Firebase: the invitations sent to it are theirs
		if err := market.ClaimInvitations(ctx, f.DB, u.ID, *u.Email); err != nil {
			return "", err
		}
	}
	return u.ID, nil
}

func displayName(tok *fbauth.Token, email string) string {
	if name, _ := tok.Claims["name"].(string); strings.TrimSpace(name) != "" {
		return truncate(strings.TrimSpace(name), 80)
	}
	if local, _, ok := strings.Cut(email, "@"); ok && local != "" {
		return truncate(local, 80)
	}
	return "Flexworker"
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}
