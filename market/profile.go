package market

import (
	"context"
	"fmt"
	"strings"

	"flexwork/ent"
	"flexwork/ent/schema/enum"
	"flexwork/ent/schema/week"
	"flexwork/ent/viewer"
	"flexwork/ent/workerskill"
)

// UpdateWorkerProfileInput changes the viewer's worker profile; omitted
// fields stay as they are. Skills, when given, replace the whole list.
type UpdateWorkerProfileInput struct {
	Headline        *string               `json:"headline" validate:"omitempty,max=120"`
	Bio             *string               `json:"bio" validate:"omitempty,max=2000"`
	HomeLocation    *GeoPoint             `json:"homeLocation"`
	TravelRadiusKm  *int                  `json:"travelRadiusKm" validate:"omitempty,gte=1,lte=200"`
	Skills          []WorkerSkillInput    `json:"skills" validate:"omitempty,max=50,unique=SkillID,dive"`
	MinHourlyRate   *Money                `json:"minHourlyRate"`
	EngagementTypes []enum.EngagementType `json:"engagementTypes" validate:"omitempty,unique,dive,enum"`
	Availability    *week.Availability    `json:"availability"`
}

// WorkerSkillInput is one skill and the years of experience in it.
type WorkerSkillInput struct {
	SkillID string `json:"skillID" validate:"required"`
	Years   int    `json:"years" validate:"gte=0,lte=60"`
}

// UpdateWorkerProfile creates the viewer's worker profile on first use and
// updates it after that.
func (m *Market) UpdateWorkerProfile(ctx context.Context, in UpdateWorkerProfileInput) (*Changed, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	if in.Availability != nil {
		if field, problem := in.Availability.Validate(); field != "" {
			return nil, BadInput("availability."+field, problem)
		}
	}
	var out *Changed
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		ids := make([]string, len(in.Skills))
		for i, s := range in.Skills {
			ids[i] = s.SkillID
		}
		if _, err := knownSkills(ctx, c, ids, func(i int) string { return fmt.Sprintf("skills[%d].skillID", i) }); err != nil {
			return err
		}
		id := v.WorkerID
		if id == "" {
			p, err := c.WorkerProfile.Create().SetUserID(v.UserID).Save(ctx)
			if err != nil {
				return err
			}
			id = p.ID
			ctx = withViewer(ctx, v, func(v *viewer.Viewer) { v.WorkerID = id })
		}
		up := c.WorkerProfile.UpdateOneID(id)
		if in.Headline != nil {
			up.SetHeadline(strings.TrimSpace(*in.Headline))
		}
		if in.Bio != nil {
			up.SetBio(strings.TrimSpace(*in.Bio))
		}
		if in.HomeLocation != nil {
			up.SetHomeLat(in.HomeLocation.Lat).SetHomeLng(in.HomeLocation.Lng)
		}
		if in.TravelRadiusKm != nil {
			up.SetTravelRadiusKm(*in.TravelRadiusKm)
		}
		if in.MinHourlyRate != nil {
			up.SetMinHourlyRate(in.MinHourlyRate.Amount).SetCurrency(in.MinHourlyRate.Currency)
		}
		if in.Availability != nil {
			up.SetAvailability(*in.Availability)
		}
		if in.EngagementTypes != nil {
			up.SetEngagementTypes(in.EngagementTypes)
		}
		if _, err := up.Save(ctx); err != nil {
			return err
		}
		if in.Skills != nil {
			if _, err := c.WorkerSkill.Delete().Where(workerskill.WorkerID(id)).Exec(ctx); err != nil {
				return err
			}
			creates := make([]*ent.WorkerSkillCreate, len(in.Skills))
			for i, s := range in.Skills {
				creates[i] = c.WorkerSkill.Create().SetWorkerID(id).SetSkillID(s.SkillID).SetYears(s.Years)
			}
			if err := c.WorkerSkill.CreateBulk(creates...).Exec(ctx); err != nil {
				return err
			}
		}
		out = &Changed{WorkerProfile: &ent.WorkerProfile{ID: id}, User: &ent.User{ID: v.UserID}}
		return out.reload(ctx, c)
	})
	return out, err
}
