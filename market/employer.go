package market

import (
	"context"
	"strings"

	"flexwork/ent"
	"flexwork/ent/employer"
	"flexwork/ent/membership"
	"flexwork/ent/viewer"
)

// CreateEmployerInput founds an employer.
type CreateEmployerInput struct {
	Name         string                 `json:"name" validate:"required,min=2,max=120"`
	Description  *string                `json:"description" validate:"omitempty,max=4000"`
	Website      *string                `json:"website" validate:"omitempty,http_url,max=200"`
	Address      *string                `json:"address" validate:"omitempty,max=300"`
	Location     *GeoPoint              `json:"location"`
	Kind         *employer.Kind         `json:"kind"`
	Jurisdiction *employer.Jurisdiction `json:"jurisdiction"`
}

// CreateEmployer creates an employer with the viewer as its owner.
func (m *Market) CreateEmployer(ctx context.Context, in CreateEmployerInput) (*Changed, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	in.Name = strings.TrimSpace(in.Name)
	if err := Validate(in); err != nil {
		return nil, err
	}
	var out *Changed
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		create := c.Employer.Create().SetName(in.Name).SetNillableKind(in.Kind).SetNillableJurisdiction(in.Jurisdiction).
			SetFundingTerms(m.newEmployerTerms)
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
		mb, err := c.Membership.Create().SetEmployerID(e.ID).SetUserID(v.UserID).SetRole(membership.RoleOWNER).Save(ctx)
		if err != nil {
			return err
		}
		out = &Changed{Employer: e, Membership: mb}
		return nil
	})
	return out, err
}

// UpdateEmployerInput changes an employer's details; fields left out stay.
type UpdateEmployerInput struct {
	EmployerID  string    `json:"employerID" validate:"required"`
	Name        *string   `json:"name" validate:"omitempty,min=2,max=120"`
	Description *string   `json:"description" validate:"omitempty,max=4000"`
	Website     *string   `json:"website" validate:"omitempty,http_url,max=200"`
	Address     *string   `json:"address" validate:"omitempty,max=300"`
	Location    *GeoPoint `json:"location"`
}

// UpdateEmployer lets an owner or manager edit the employer's details.
// Contracts already written keep the name they were signed under.
func (m *Market) UpdateEmployer(ctx context.Context, in UpdateEmployerInput) (*Changed, error) {
	if _, err := manager(ctx, in.EmployerID, "edit the employer"); err != nil {
		return nil, err
	}
	if in.Name != nil {
		*in.Name = strings.TrimSpace(*in.Name)
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	var out *Changed
	err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		up := c.Employer.UpdateOneID(in.EmployerID)
		if in.Name != nil {
			up.SetName(*in.Name)
		}
		if in.Description != nil {
			up.SetDescription(strings.TrimSpace(*in.Description))
		}
		if in.Website != nil {
			up.SetWebsite(*in.Website)
		}
		if in.Address != nil {
			up.SetAddress(strings.TrimSpace(*in.Address))
		}
		if in.Location != nil {
			up.SetLat(in.Location.Lat).SetLng(in.Location.Lng)
		}
		e, err := up.Save(ctx)
		if err != nil {
			return err
		}
		out = &Changed{Employer: e}
		return nil
	})
	return out, err
}
