package market

import (
	"context"

	"flexwork/ent"
	"flexwork/ent/schema/week"
	"flexwork/ent/viewer"
)

// private returns value when the viewer is the user it belongs to, or staff,
// and nil to everyone else — who cannot tell a hidden value from an unset one.
func private[T any](ctx context.Context, ownerUserID string, value *T) *T {
	v := viewer.FromContext(ctx)
	if v == nil || (v.UserID != ownerUserID && !v.Staff) {
		return nil
	}
	return value
}

// UserEmail is a user's email, shown only to them and staff.
func (m *Market) UserEmail(ctx context.Context, u *ent.User) *string {
	return private(ctx, u.ID, u.Email)
}

// UserPhone is a user's phone number, shown only to them and staff.
func (m *Market) UserPhone(ctx context.Context, u *ent.User) *string {
	return private(ctx, u.ID, u.Phone)
}

// TravelRadiusKm is how far a worker will travel, shown only to them and staff.
func (m *Market) TravelRadiusKm(ctx context.Context, p *ent.WorkerProfile) *int {
	return private(ctx, p.UserID, &p.TravelRadiusKm)
}

// HomeLocation is a worker's home, shown only to the worker and staff.
func (m *Market) HomeLocation(ctx context.Context, p *ent.WorkerProfile) *GeoPoint {
	if p.HomeLat == nil || p.HomeLng == nil {
		return nil
	}
	return private(ctx, p.UserID, &GeoPoint{Lat: *p.HomeLat, Lng: *p.HomeLng})
}

// Availability is when a worker can work, shown only to them and staff.
func (m *Market) Availability(ctx context.Context, p *ent.WorkerProfile) *week.Availability {
	a := p.Availability
	if a.Weekly == nil {
		a.Weekly = []week.Window{}
	}
	if a.Exceptions == nil {
		a.Exceptions = []week.Exception{}
	}
	return private(ctx, p.UserID, &a)
}

// MinHourlyRate is the least a worker accepts, shown only to them and staff.
func (m *Market) MinHourlyRate(ctx context.Context, p *ent.WorkerProfile) *Money {
	if p.MinHourlyRate == nil {
		return nil
	}
	return private(ctx, p.UserID, &Money{Amount: *p.MinHourlyRate, Currency: p.Currency})
}

// ViewerUser returns the signed-in user, or nil for an anonymous request.
func (m *Market) ViewerUser(ctx context.Context) (*ent.User, error) {
	v := viewer.FromContext(ctx)
	if v == nil {
		return nil, nil
	}
	return m.client(ctx).User.Get(ctx, v.UserID)
}
