package market

import (
	"context"
	"strings"

	"flexwork/ent"
	"flexwork/ent/application"
	"flexwork/ent/offer"
	"flexwork/ent/rosterentry"
	"flexwork/ent/rule"
	"flexwork/ent/workerprofile"
)

// RosterInput puts a worker on an employer's favourites or block list.
type RosterInput struct {
	EmployerID string           `json:"employerID" validate:"required"`
	WorkerID   string           `json:"workerID" validate:"required"`
	Kind       rosterentry.Kind `json:"kind" validate:"required"`
	Note       *string          `json:"note" validate:"omitempty,max=500"`
}

// SetRoster files a worker as a favourite (invited directly, told first) or
// blocked (cannot apply, never shown). A worker is one or the other.
func (m *Market) SetRoster(ctx context.Context, in RosterInput) (*Changed, error) {
	v, err := manager(ctx, in.EmployerID, "keep a roster")
	if err != nil {
		return nil, err
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	if rosterentry.KindValidator(in.Kind) != nil {
		return nil, BadInput("kind", "is not an allowed value")
	}
	var out *Changed
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		if ok, err := c.WorkerProfile.Query().Where(workerprofile.ID(in.WorkerID)).Exist(ctx); err != nil {
			return err
		} else if !ok {
			return BadInput("workerID", "is not a worker")
		}
		note := ""
		if in.Note != nil {
			note = strings.TrimSpace(*in.Note)
		}
		id, err := c.RosterEntry.Create().
			SetEmployerID(in.EmployerID).SetWorkerID(in.WorkerID).SetKind(in.Kind).SetNote(note).SetAddedByID(v.UserID).
			OnConflictColumns(rosterentry.FieldEmployerID, rosterentry.FieldWorkerID).
			UpdateNewValues().
			ID(ctx)
		if err != nil {
			return err
		}
		out = &Changed{RosterEntry: &ent.RosterEntry{ID: id}, RevokedOffers: []*ent.Offer{}}
		if in.Kind == rosterentry.KindBLOCKED {
			// A blocked worker is not hired through an offer already out.
			revoked, err := m.closeOffers(ctx, c, offer.StatusREVOKED, application.StatusREJECTED, "the employer is no longer taking you on",
				offer.EmployerID(in.EmployerID), offer.WorkerID(in.WorkerID), offer.StatusEQ(offer.StatusPENDING))
			if err != nil {
				return err
			}
			out.RevokedOffers = append(out.RevokedOffers, revoked...)
		}
		return out.reload(ctx, c)
	})
	return out, err
}

// RemoveFromRoster takes a worker off the employer's roster; removing one who
// is on no list changes nothing.
func (m *Market) RemoveFromRoster(ctx context.Context, employerID, workerID string) (*Changed, error) {
	if _, err := manager(ctx, employerID, "keep a roster"); err != nil {
		return nil, err
	}
	out := &Changed{}
	err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		e, err := c.RosterEntry.Query().Where(rosterentry.EmployerID(employerID), rosterentry.WorkerID(workerID)).Only(ctx)
		if ent.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		out.RemovedRosterEntryID = &e.ID
		return c.RosterEntry.DeleteOneID(e.ID).Exec(ctx)
	})
	return out, err
}

// onRoster reports how an employer has filed workers (system view).
func onRoster(ctx context.Context, c *ent.Client, employerID string, workerIDs []string) (map[string]rosterentry.Kind, error) {
	entries, err := c.RosterEntry.Query().
		Where(rosterentry.EmployerID(employerID), rosterentry.WorkerIDIn(workerIDs...)).All(rule.System(ctx))
	if err != nil {
		return nil, err
	}
	out := make(map[string]rosterentry.Kind, len(entries))
	for _, e := range entries {
		out[e.WorkerID] = e.Kind
	}
	return out, nil
}
