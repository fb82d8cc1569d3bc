package market

import (
	"context"

	"flexwork/ent"
	"flexwork/ent/membership"
	"flexwork/ent/rule"
	"flexwork/ent/viewer"
)

// LedgerMembershipChanged records a role changed, a member removed or gone.
const LedgerMembershipChanged = "MEMBERSHIP_CHANGED"

// An employer keeps at least one owner: the last cannot leave, be removed
// or be made something else. The employer's row queues the changes to its
// memberships, so that two owners removing each other at once leave one.

// ChangeMemberRoleInput gives a member another role.
type ChangeMemberRoleInput struct {
	MembershipID string          `json:"membershipID" validate:"required"`
	Role         membership.Role `json:"role" validate:"required"`
}

// ChangeMemberRole is an owner giving a member another role.
func (m *Market) ChangeMemberRole(ctx context.Context, in ChangeMemberRoleInput) (*Changed, error) {
	if err := Validate(in); err != nil {
		return nil, err
	}
	if membership.RoleValidator(in.Role) != nil {
		return nil, BadInput("role", "is not an allowed value")
	}
	var out *Changed
	err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		ms, v, err := m.lockMembership(ctx, c, in.MembershipID, "change roles")
		if err != nil {
			return err
		}
		if v.Roles[ms.EmployerID] != viewer.RoleOwner {
			return Forbidden("only owners change roles")
		}
		if ms.Role == in.Role {
			out = &Changed{Membership: ms} // a retry, or nothing to change
			return out.reload(ctx, c)
		}
		if ms.Role == membership.RoleOWNER {
			if err := keepAnOwner(ctx, c, ms); err != nil {
				return err
			}
		}
		if err := c.Membership.UpdateOneID(ms.ID).SetRole(in.Role).Exec(rule.System(ctx)); err != nil {
			return err
		}
		if err := m.membershipChanged(ctx, c, ms, map[string]any{"role": in.Role}, RoleChanged); err != nil {
			return err
		}
		out = &Changed{Membership: ms}
		return out.reload(ctx, c)
	})
	return out, err
}

// RemoveMember takes someone out of an employer: owners remove anyone,
// managers remove managers and viewers.
func (m *Market) RemoveMember(ctx context.Context, membershipID string) (*Changed, error) {
	var out *Changed
	err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		ms, v, err := m.lockMembership(ctx, c, membershipID, "remove members")
		if err != nil {
			return err
		}
		if ms.Role == membership.RoleOWNER && v.Roles[ms.EmployerID] != viewer.RoleOwner {
			return Forbidden("only owners remove owners")
		}
		return m.removeMembership(ctx, c, ms, MemberRemoved, &out)
	})
	return out, err
}

// LeaveEmployer is a member leaving an employer.
func (m *Market) LeaveEmployer(ctx context.Context, employerID string) (*Changed, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if !v.IsMember(employerID) {
		return nil, NotFound("employer")
	}
	var out *Changed
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		if err := c.Employer.UpdateOneID(employerID).SetUpdatedAt(m.Now()).Exec(rule.System(ctx)); err != nil {
			return err
		}
		ms, err := c.Membership.Query().Where(membership.EmployerID(employerID), membership.UserID(v.UserID)).Only(rule.System(ctx))
		if ent.IsNotFound(err) {
			return NotFound("employer")
		}
		if err != nil {
			return err
		}
		return m.removeMembership(ctx, c, ms, MemberLeft, &out)
	})
	return out, err
}

// lockMembership loads a membership the viewer manages, with its
// employer's row locked.
func (m *Market) lockMembership(ctx context.Context, c *ent.Client, id, what string) (*ent.Membership, *viewer.Viewer, error) {
	sys := rule.System(ctx)
	ms, err := c.Membership.Get(sys, id)
	if ent.IsNotFound(err) {
		return nil, nil, NotFound("membership")
	}
	if err != nil {
		return nil, nil, err
	}
	v, err := manager(ctx, ms.EmployerID, what)
	if err != nil {
		if e, ok := AsError(err); ok && e.Code == CodeNotFound {
			return nil, nil, NotFound("membership")
		}
		return nil, nil, err
	}
	if err := c.Employer.UpdateOneID(ms.EmployerID).SetUpdatedAt(m.Now()).Exec(sys); err != nil {
		return nil, nil, err
	}
	ms, err = c.Membership.Get(sys, id) // as it stands once the employer's row is ours
	if ent.IsNotFound(err) {
		return nil, nil, NotFound("membership")
	}
	return ms, v, err
}

// keepAnOwner refuses to take away the employer's last owner.
func keepAnOwner(ctx context.Context, c *ent.Client, ms *ent.Membership) error {
	owners, err := c.Membership.Query().Where(membership.EmployerID(ms.EmployerID), membership.RoleEQ(membership.RoleOWNER)).
		Count(rule.System(ctx))
	if err != nil {
		return err
	}
	if owners <= 1 {
		return State(CodeLastOwner, "an employer keeps at least one owner: make another member an owner first")
	}
	return nil
}

func (m *Market) removeMembership(ctx context.Context, c *ent.Client, ms *ent.Membership, kind EventKind, out **Changed) error {
	if ms.Role == membership.RoleOWNER {
		if err := keepAnOwner(ctx, c, ms); err != nil {
			return err
		}
	}
	if err := c.Membership.DeleteOneID(ms.ID).Exec(rule.System(ctx)); err != nil {
		return err
	}
	if err := m.membershipChanged(ctx, c, ms, map[string]any{"removed": true}, kind); err != nil {
		return err
	}
	emp, err := c.Employer.Get(rule.System(ctx), ms.EmployerID)
	if err != nil {
		return err
	}
	*out = &Changed{Employer: emp, RemovedMembershipID: &ms.ID}
	return nil
}

// membershipChanged puts a change on the ledger and tells whom it concerns.
func (m *Market) membershipChanged(ctx context.Context, c *ent.Client, ms *ent.Membership, what map[string]any, kind EventKind) error {
	what["employer"], what["user"], what["was"] = ms.EmployerID, ms.UserID, ms.Role
	if _, err := m.appendLedger(ctx, c, LedgerMembershipChanged, ms.ID, actor(ctx), what); err != nil {
		return err
	}
	name, err := c.Employer.Get(rule.System(ctx), ms.EmployerID)
	if err != nil {
		return err
	}
	return m.emit(ctx, c, Event{Kind: kind, ID: ms.ID, EmployerID: ms.EmployerID, UserID: ms.UserID, Title: name.Name})
}
