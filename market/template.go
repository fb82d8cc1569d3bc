package market

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"flexwork/ent"
	"flexwork/ent/schema/week"
	"flexwork/ent/shifttemplate"
)

// SaveShiftTemplateInput saves a shift as a template under a name.
type SaveShiftTemplateInput struct {
	ShiftID string `json:"shiftID" validate:"required"`
	Name    string `json:"name" validate:"required,max=120"`
}

// SaveShiftTemplate keeps everything a shift says but its date under a
// name, for the employer's managers to post again on any day: the draft
// createShift takes, the local time it starts and how long it lasts on
// the clock. A template of the same name is replaced.
func (m *Market) SaveShiftTemplate(ctx context.Context, in SaveShiftTemplateInput) (*Changed, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	name := strings.TrimSpace(in.Name)
	if name == "" {
		return nil, BadInput("name", "give the template a name")
	}
	var out *Changed
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		s, err := m.managedShift(ctx, c, in.ShiftID, "keep shift templates")
		if err != nil {
			return err
		}
		draft := asInput(s)
		draft.PayCycleDays, draft.AgencyID, draft.PostNature, draft.PostMonths = &s.PayCycleDays, s.AgencyID, s.PostNature, s.PostMonths
		draft.StartsAt, draft.EndsAt = time.Time{}, time.Time{} // the day is posting's to say
		raw, err := json.Marshal(draft)
		if err != nil {
			return err
		}
		local := s.StartsAt.In(zone(s.TimeZone))
		_, minutes := week.Span(s.StartsAt, s.EndsAt, zone(s.TimeZone))
		id, err := c.ShiftTemplate.Create().SetEmployerID(s.EmployerID).SetName(name).SetTitle(s.Title).
			SetStartTime(local.Format("15:04")).SetMinutes(minutes).SetTimeZone(s.TimeZone).SetDraft(raw).SetCreatedByID(v.UserID).
			OnConflictColumns(shifttemplate.FieldEmployerID, shifttemplate.FieldName).UpdateNewValues().ID(ctx)
		if err != nil {
			return err
		}
		out = &Changed{Template: &ent.ShiftTemplate{ID: id}}
		return out.reload(ctx, c)
	})
	return out, err
}

// PostFromTemplateInput posts a template's shift on a day.
type PostFromTemplateInput struct {
	TemplateID string    `json:"templateID" validate:"required"`
	Date       time.Time `json:"date" validate:"required"`
	Slots      *int      `json:"slots" validate:"omitempty,gte=1,lte=500"`
}

// PostFromTemplate makes a draft shift from a template on a day: its start
// at the template's local time that day, its end as many minutes later on
// the clock (so a 09:00–17:00 template stays 09:00–17:00 across a DST
// change), with as many slots as asked. Everything createShift checks, it
// checks.
func (m *Market) PostFromTemplate(ctx context.Context, in PostFromTemplateInput) (*Changed, error) {
	if err := Validate(in); err != nil {
		return nil, err
	}
	t, err := m.client(ctx).ShiftTemplate.Get(ctx, in.TemplateID)
	if ent.IsNotFound(err) {
		return nil, NotFound("shift template")
	}
	if err != nil {
		return nil, err
	}
	var draft CreateShiftInput
	if err := json.Unmarshal(t.Draft, &draft); err != nil {
		return nil, fmt.Errorf("template %s: %w", t.ID, err)
	}
	day := in.Date
	at, _ := time.Parse("15:04", t.StartTime) // written by SaveShiftTemplate
	loc := zone(t.TimeZone)
	draft.StartsAt = time.Date(day.Year(), day.Month(), day.Day(), at.Hour(), at.Minute(), 0, 0, loc)
	draft.EndsAt = time.Date(day.Year(), day.Month(), day.Day(), at.Hour(), at.Minute()+t.Minutes, 0, 0, loc)
	if in.Slots != nil {
		draft.Slots = *in.Slots
	}
	return m.CreateShift(ctx, draft)
}

// DeleteShiftTemplate deletes a template; shifts posted from it stay.
func (m *Market) DeleteShiftTemplate(ctx context.Context, id string) (*Changed, error) {
	var out *Changed
	err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		t, err := c.ShiftTemplate.Get(ctx, id)
		if ent.IsNotFound(err) {
			return NotFound("shift template")
		}
		if err != nil {
			return err
		}
		if _, err := manager(ctx, t.EmployerID, "keep shift templates"); err != nil {
			return err
		}
		if err := c.ShiftTemplate.DeleteOneID(id).Exec(ctx); err != nil {
			return err
		}
		out = &Changed{RemovedTemplateID: &id}
		return nil
	})
	return out, err
}
