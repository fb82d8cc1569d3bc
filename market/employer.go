package market

import (
	"context"
	"strings"

	"flexwork/ent"
	"flexwork/ent/membership"
	"flexwork/ent/rule"
	"flexwork/ent/user"
	"flexwork/ent/viewer"
)

// CreateEmployerInput founds an employer.
type CreateEmployerInput struct {
	Name        string    `json:"name" validate:"required,min=2,max=120"`
	Description *string   `json:"description" validate:"omitempty,max=4000"`
	Website     *string   `json:"website" validate:"omitempty,http_url,max=200"`
	Address     *string   `json:"address" validate:"omitempty,max=300"`
	Location    *GeoPoint `json:"location"`
}

// CreateEmployer creates an employer with the viewer as its owner.
func (m *Market) CreateEmployer(ctx context.Context, in CreateEmployerInput) (*ent.Employer, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	in.Name = strings.TrimSpace(in.Name)
	if err := Validate(in); err != nil {
		return nil, err
	}
	var out *ent.Employer
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		create := c.Employer.Create().SetName(in.Name)
		if in.Description != nil {
			create.SetDescription(strings.TrimSpace(*in.Description))
		}
		if in.Website != nil {
			create.SetWebsite(*in.Website)
		}
		if in.Address != nil {
			create.SetAddress(strings.TrimSpace(*in.Address))
		}
		if in.Location != nil {
			create.SetLat(in.Location.Lat).SetLng(in.Location.Lng)
		}
		e, err := create.Save(ctx)
		if err != nil {
			return err
		}
		// The founder owns the employer from this moment on.
		ctx = withViewer(ctx, v, func(v *viewer.Viewer) { v.Roles[e.ID] = viewer.RoleOwner })
		if _, err := c.Membership.Create().SetEmployerID(e.ID).SetUserID(v.UserID).SetRole(membership.RoleOWNER).Save(ctx); err != nil {
			return err
		}
		out = e
		return nil
	})
	return out, err
}

// AddEmployerMemberInput gives an existing user a role in an employer.
type AddEmployerMemberInput struct {
	EmployerID string          `json:"employerID" validate:"required"`
	Email      string          `json:"email" validate:"required,email"`
	Role       membership.Role `json:"role" validate:"required"`
}

// AddEmployerMember lets owners and managers add members. Only owners may
// make someone an owner.
func (m *Market) AddEmployerMember(ctx context.Context, in AddEmployerMemberInput) (*ent.Membership, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	if err := Validate(in); err != nil {
		return nil, err
	}
	if membership.RoleValidator(in.Role) != nil {
		return nil, BadInput("role", "is not an allowed value")
	}
	if !v.IsMember(in.EmployerID) {
		return nil, NotFound("employer")
	}
	if !v.CanManage(in.EmployerID) {
		return nil, Forbidden("only the employer's owners and managers can add members")
	}
	if in.Role == membership.RoleOWNER && v.Roles[in.EmployerID] != viewer.RoleOwner {
		return nil, Forbidden("only owners can add owners")
	}
	var out *ent.Membership
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		// Emails are private: look the account up as the system, and say no
		// more than whether it exists.
		u, err := c.User.Query().Where(user.Email(in.Email)).Only(rule.System(ctx))
		if ent.IsNotFound(err) {
			return BadInput("email", "no flexwork account uses this email; ask them to sign up first")
		}
		if err != nil {
			return err
		}
		exists, err := c.Membership.Query().
			Where(membership.EmployerID(in.EmployerID), membership.UserID(u.ID)).Exist(ctx)
		if err != nil {
			return err
		}
		if exists {
			return Conflict("%s is already a member of this employer", in.Email)
		}
		out, err = c.Membership.Create().SetEmployerID(in.EmployerID).SetUserID(u.ID).SetRole(in.Role).Save(ctx)
		return err
	})
	return out, err
}
