// Package auth signs users in and tells the rest of the server who is asking.
//
// Local accounts: argon2id password hashes; short-lived HS256 access tokens;
// rotating refresh tokens stored as SHA-256 hashes, where presenting a used
// token again revokes its whole family (it was stolen, or the app is
// confused — either way the sessions are no longer trustworthy).
//
// Firebase accounts: the apps sign in with Firebase and send the Firebase ID
// token; the server verifies it with the Firebase Admin SDK and provisions
// the user on first sight.
//
// Either way the middleware resolves the token to a viewer.Viewer — user,
// worker profile, staff flag and employer roles, read fresh from the database
// on every request in one statement — so a revoked role stops working at once.
package auth
