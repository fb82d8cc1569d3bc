package market

import (
	"context"
	"time"

	"flexwork/ent"
)

// Changed is what a mutation changed, for its payload: every object it
// touched, as it stands once the change is made, so that an app's
// normalized cache updates without asking again. Each payload type of the
// API shows the objects its mutation touches.
type Changed struct {
	Employer      *ent.Employer
	Membership    *ent.Membership
	Invitation    *ent.EmployerInvitation
	RosterEntry   *ent.RosterEntry
	Template      *ent.ShiftTemplate
	WorkerProfile *ent.WorkerProfile
	User          *ent.User
	Shift         *ent.Shift
	Application   *ent.Application
	Offer         *ent.Offer
	Assignment    *ent.Assignment
	Contract      *ent.Contract
	Timesheet     *ent.Timesheet
	Certification *ent.Certification
	Dispute       *ent.CreditDispute
	Event         *ent.CreditEvent
	Reversal      *ent.CreditEvent
	Review        *ent.Review
	Counterpart   *ent.Review // the other side's review, revealed with this one
	Report        *ent.ReviewReport
	Payout        *ent.Payout
	RealName      *ent.RealName
	Cover         *ent.InsuranceCover

	// What a change swept along.
	CancelledAssignments []*ent.Assignment
	RevokedOffers        []*ent.Offer
	RemovedRosterEntryID *string
	RemovedTemplateID    *string
	RemovedMembershipID  *string

	// sendOffer: the expiry asked for, and whether the shift's start cut it.
	ExpiryShortened    bool
	RequestedExpiresAt time.Time
}

// reload reads every object of ch again, at the end of the change's
// transaction: a payload shows each as the change left it, whatever was
// updated after it was first read.
func (ch *Changed) reload(ctx context.Context, c *ent.Client) error {
	var err error
	get := func(id string, load func(string) error) {
		if err == nil && id != "" {
			err = load(id)
		}
	}
	if ch.Employer != nil {
		get(ch.Employer.ID, func(id string) (e error) { ch.Employer, e = c.Employer.Get(ctx, id); return })
	}
	if ch.Membership != nil {
		get(ch.Membership.ID, func(id string) (e error) { ch.Membership, e = c.Membership.Get(ctx, id); return })
	}
	if ch.Invitation != nil {
		get(ch.Invitation.ID, func(id string) (e error) { ch.Invitation, e = c.EmployerInvitation.Get(ctx, id); return })
	}
	if ch.RosterEntry != nil {
		get(ch.RosterEntry.ID, func(id string) (e error) { ch.RosterEntry, e = c.RosterEntry.Get(ctx, id); return })
	}
	if ch.Template != nil {
		get(ch.Template.ID, func(id string) (e error) { ch.Template, e = c.ShiftTemplate.Get(ctx, id); return })
	}
	if ch.Cover != nil {
		get(ch.Cover.ID, func(id string) (e error) { ch.Cover, e = c.InsuranceCover.Get(ctx, id); return })
	}
	if ch.RealName != nil {
		get(ch.RealName.ID, func(id string) (e error) { ch.RealName, e = c.RealName.Get(ctx, id); return })
	}
	if ch.Payout != nil {
		get(ch.Payout.ID, func(id string) (e error) { ch.Payout, e = c.Payout.Get(ctx, id); return })
	}
	if ch.WorkerProfile != nil {
		get(ch.WorkerProfile.ID, func(id string) (e error) { ch.WorkerProfile, e = c.WorkerProfile.Get(ctx, id); return })
	}
	if ch.User != nil {
		get(ch.User.ID, func(id string) (e error) { ch.User, e = c.User.Get(ctx, id); return })
	}
	if ch.Shift != nil {
		get(ch.Shift.ID, func(id string) (e error) { ch.Shift, e = c.Shift.Get(ctx, id); return })
	}
	if ch.Application != nil {
		get(ch.Application.ID, func(id string) (e error) { ch.Application, e = c.Application.Get(ctx, id); return })
	}
	if ch.Offer != nil {
		get(ch.Offer.ID, func(id string) (e error) { ch.Offer, e = c.Offer.Get(ctx, id); return })
	}
	if ch.Assignment != nil {
		get(ch.Assignment.ID, func(id string) (e error) { ch.Assignment, e = c.Assignment.Get(ctx, id); return })
	}
	if ch.Contract != nil {
		get(ch.Contract.ID, func(id string) (e error) { ch.Contract, e = c.Contract.Get(ctx, id); return })
	}
	if ch.Timesheet != nil {
		get(ch.Timesheet.ID, func(id string) (e error) { ch.Timesheet, e = c.Timesheet.Get(ctx, id); return })
	}
	if ch.Certification != nil {
		get(ch.Certification.ID, func(id string) (e error) { ch.Certification, e = c.Certification.Get(ctx, id); return })
	}
	if ch.Dispute != nil {
		get(ch.Dispute.ID, func(id string) (e error) { ch.Dispute, e = c.CreditDispute.Get(ctx, id); return })
	}
	if ch.Review != nil {
		get(ch.Review.ID, func(id string) (e error) { ch.Review, e = c.Review.Get(ctx, id); return })
	}
	if ch.Report != nil {
		get(ch.Report.ID, func(id string) (e error) { ch.Report, e = c.ReviewReport.Get(ctx, id); return })
	}
	if ch.Counterpart != nil {
		get(ch.Counterpart.ID, func(id string) (e error) { ch.Counterpart, e = c.Review.Get(ctx, id); return })
	}
	for i, a := range ch.CancelledAssignments {
		get(a.ID, func(id string) (e error) { ch.CancelledAssignments[i], e = c.Assignment.Get(ctx, id); return })
	}
	for i, o := range ch.RevokedOffers {
		get(o.ID, func(id string) (e error) { ch.RevokedOffers[i], e = c.Offer.Get(ctx, id); return })
	}
	return err
}
