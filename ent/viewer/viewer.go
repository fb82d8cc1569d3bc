// Package viewer carries who is asking through a request's context. The auth
// middleware puts a Viewer in; ent privacy rules, market and the resolvers read
// it. A context without a Viewer is anonymous.
package viewer

import (
	"context"
	"slices"
)

// Role is a user's role in one employer.
type Role string

// Employer roles, from most to least powerful.
const (
	RoleOwner   Role = "OWNER"   // everything, including adding owners
	RoleManager Role = "MANAGER" // post shifts, hire, approve, pay, add managers and viewers
	RoleViewer  Role = "VIEWER"  // read the employer's shifts and candidates, change nothing
)

// Viewer is the signed-in user a request acts for.
type Viewer struct {
	UserID   string
	WorkerID string // the user's worker profile, "" until they create one
	Staff    bool   // platform staff: verify certificates, resolve disputes
	Auditor  bool   // a regulator or industry association: aggregates only, no changes
	Locale   string // the language the user chose (en, zh-CN): theirs when a request does not ask
	// Roles maps employer IDs to the user's role there.
	Roles map[string]Role
}

type ctxKey struct{}

// NewContext returns ctx carrying v.
func NewContext(ctx context.Context, v *Viewer) context.Context {
	return context.WithValue(ctx, ctxKey{}, v)
}

// FromContext returns the viewer in ctx, or nil when the request is anonymous.
func FromContext(ctx context.Context) *Viewer {
	v, _ := ctx.Value(ctxKey{}).(*Viewer)
	return v
}

// IsMember reports whether the viewer has any role in the employer.
func (v *Viewer) IsMember(employerID string) bool {
	_, ok := v.Roles[employerID]
	return ok
}

// CanManage reports whether the viewer may change the employer's data:
// owners and managers may, viewers may not.
func (v *Viewer) CanManage(employerID string) bool {
	r := v.Roles[employerID]
	return r == RoleOwner || r == RoleManager
}

// MemberOf returns the IDs of every employer the viewer belongs to, sorted.
func (v *Viewer) MemberOf() []string { return v.employers(func(Role) bool { return true }) }

// Manages returns the IDs of the employers the viewer owns or manages, sorted.
func (v *Viewer) Manages() []string {
	return v.employers(func(r Role) bool { return r == RoleOwner || r == RoleManager })
}

func (v *Viewer) employers(keep func(Role) bool) []string {
	ids := make([]string, 0, len(v.Roles))
	for id, r := range v.Roles {
		if keep(r) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}
