// Package rule holds the privacy rules that ent/schema composes into each
// entity's Policy, one rule per file. Rules read only the viewer in the
// context, never the database, so evaluating them costs nothing and cannot
// recurse into another policy.
//
// Reading is filtered, not refused: a query returns only the rows the viewer
// may see, so a stranger asking for someone else's node gets NOT_FOUND with no
// hint that it exists. Writing is denied by default: every mutation policy
// ends in privacy.AlwaysDenyRule, and a write passes only when a rule allows
// it. Market code that writes on the system's behalf — the hire that follows
// an accepted offer, a job, the seed — uses System(ctx) after it has checked
// the caller itself.
package rule
