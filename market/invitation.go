package market

import (
	"context"
	"strings"
	"time"

	"flexwork/ent"
	"flexwork/ent/employer"
	"flexwork/ent/employerinvitation"
	"flexwork/ent/membership"
	"flexwork/ent/rule"
	"flexwork/ent/user"
	"flexwork/ent/viewer"
)

// Invitations last a week; an employer has at most 20 out at once, since
// each sends mail to an address of the inviter's choosing.
const (
	InvitationTTL         = 7 * 24 * time.Hour
	MaxPendingInvitations = 20
)

// AddEmployerMemberInput invites a person, by e-mail address, to a role in
// an employer.
type AddEmployerMemberInput struct {
	EmployerID string          `json:"employerID" validate:"required"`
	Email      string          `json:"email" validate:"required,email,max=254"`
	Role       membership.Role `json:"role" validate:"required"`
}

// AddEmployerMember invites the owner of an e-mail address to a role:
// owners and managers invite, only owners invite owners. The answer is the
// same whether or not the address has an account, and an account joins
// only when its owner accepts. An address with an account hears of it in
// its inbox and by mail, one without by mail (to sign up with). Inviting an
// address again replaces its pending invitation.
func (m *Market) AddEmployerMember(ctx context.Context, in AddEmployerMemberInput) (*Changed, error) {
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
	if _, err := manager(ctx, in.EmployerID, "invite members"); err != nil {
		return nil, err
	}
	if in.Role == membership.RoleOWNER && v.Roles[in.EmployerID] != viewer.RoleOwner {
		return nil, Forbidden("only owners can invite owners")
	}
	var out *ent.EmployerInvitation
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		now := m.Now()
		// The employer's row queues its invitations, so that the cap holds.
		emp, err := c.Employer.UpdateOneID(in.EmployerID).SetUpdatedAt(now).Save(ctx)
		if err != nil {
			return err
		}
		if _, err := c.EmployerInvitation.Update().Where(employerinvitation.EmployerID(in.EmployerID),
			employerinvitation.Email(in.Email), employerinvitation.StatusEQ(employerinvitation.StatusPENDING)).
			SetStatus(employerinvitation.StatusREVOKED).SetRespondedAt(now).Save(ctx); err != nil {
			return err
		}
		pending, err := c.EmployerInvitation.Query().Where(employerinvitation.EmployerID(in.EmployerID),
			employerinvitation.StatusEQ(employerinvitation.StatusPENDING), employerinvitation.ExpiresAtGT(now)).Count(ctx)
		if err != nil {
			return err
		}
		if pending >= MaxPendingInvitations {
			return Errorf(CodeTooManyPendingInvitations, "%d invitations are waiting for an answer; revoke some or wait for them to expire", pending)
		}
		// Whose the address is stays the system's business.
		create := c.EmployerInvitation.Create().SetEmployerID(in.EmployerID).SetEmail(in.Email).
			SetRole(employerinvitation.Role(in.Role)).SetInvitedByID(v.UserID).SetExpiresAt(now.Add(InvitationTTL))
		invitee, err := c.User.Query().Where(user.Email(in.Email), user.DisabledAtIsNil()).OnlyID(rule.System(ctx))
		switch {
		case err == nil:
			create.SetInviteeID(invitee)
		case !ent.IsNotFound(err):
			return err
		}
		if out, err = create.Save(ctx); err != nil {
			return err
		}
		return m.emit(ctx, c, Event{Kind: MemberInvited, ID: out.ID, EmployerID: in.EmployerID, UserID: invitee,
			Email: in.Email, Title: emp.Name, When: out.ExpiresAt, Detail: string(in.Role)})
	})
	if err != nil {
		return nil, err
	}
	return &Changed{Invitation: out}, nil
}

// AcceptEmployerInvitation makes the invitee a member with the invited role.
// Someone already a member keeps the role they have.
func (m *Market) AcceptEmployerInvitation(ctx context.Context, id string) (*Changed, error) {
	return m.answerInvitation(ctx, id, employerinvitation.StatusACCEPTED)
}

// DeclineEmployerInvitation turns an invitation down.
func (m *Market) DeclineEmployerInvitation(ctx context.Context, id string) (*Changed, error) {
	return m.answerInvitation(ctx, id, employerinvitation.StatusDECLINED)
}

func (m *Market) answerInvitation(ctx context.Context, id string, to employerinvitation.Status) (*Changed, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	out := &Changed{}
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		inv, err := c.EmployerInvitation.Get(ctx, id)
		if ent.IsNotFound(err) || (err == nil && (inv.InviteeID == nil || *inv.InviteeID != v.UserID)) {
			return NotFound("invitation") // members may read it; only the invitee answers
		}
		if err != nil {
			return err
		}
		now := m.Now()
		n, err := c.EmployerInvitation.Update().Where(employerinvitation.ID(inv.ID),
			employerinvitation.StatusEQ(employerinvitation.StatusPENDING), employerinvitation.ExpiresAtGT(now)).
			SetStatus(to).SetRespondedAt(now).Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			if inv.Status == employerinvitation.StatusPENDING {
				return Errorf(CodeInvitationNotPending, "the invitation expired on %s", inv.ExpiresAt.Format("2 Jan 2006"))
			}
			return Errorf(CodeInvitationNotPending, "the invitation is %s", humanStatus(inv.Status.String()))
		}
		if to == employerinvitation.StatusACCEPTED {
			// The invitee is no manager: the membership is the system's to write.
			sys := rule.System(ctx)
			out.Membership, err = c.Membership.Query().Where(membership.EmployerID(inv.EmployerID), membership.UserID(v.UserID)).Only(sys)
			if ent.IsNotFound(err) {
				out.Membership, err = c.Membership.Create().SetEmployerID(inv.EmployerID).SetUserID(v.UserID).
					SetRole(membership.Role(inv.Role)).Save(sys)
			}
			if err != nil {
				return err
			}
		}
		name, err := c.Employer.Query().Where(employer.ID(inv.EmployerID)).Select(employer.FieldName).String(rule.System(ctx))
		if err != nil {
			return err
		}
		kind := MemberJoined
		if to == employerinvitation.StatusDECLINED {
			kind = InvitationDeclined
		}
		if err := m.emit(ctx, c, Event{Kind: kind, ID: inv.ID, EmployerID: inv.EmployerID, UserID: v.UserID, Title: name}); err != nil {
			return err
		}
		out.Invitation, err = c.EmployerInvitation.Get(rule.System(ctx), inv.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RevokeEmployerInvitation withdraws a pending invitation (owners and
// managers).
func (m *Market) RevokeEmployerInvitation(ctx context.Context, id string) (*Changed, error) {
	if _, err := signedIn(ctx); err != nil {
		return nil, err
	}
	out := &Changed{}
	err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		inv, err := c.EmployerInvitation.Get(ctx, id)
		if ent.IsNotFound(err) {
			return NotFound("invitation")
		}
		if err != nil {
			return err
		}
		if _, err := manager(ctx, inv.EmployerID, "revoke invitations"); err != nil {
			return err
		}
		n, err := c.EmployerInvitation.Update().Where(employerinvitation.ID(inv.ID),
			employerinvitation.StatusEQ(employerinvitation.StatusPENDING)).
			SetStatus(employerinvitation.StatusREVOKED).SetRespondedAt(m.Now()).Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return Errorf(CodeInvitationNotPending, "the invitation is %s", humanStatus(inv.Status.String()))
		}
		out.Invitation, err = c.EmployerInvitation.Get(ctx, inv.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// PendingInvitations are the invitations waiting for the viewer's answer;
// for anyone else's user, none.
func (m *Market) PendingInvitations(ctx context.Context, u *ent.User) ([]*ent.EmployerInvitation, error) {
	v := viewer.FromContext(ctx)
	if v == nil || v.UserID != u.ID {
		return []*ent.EmployerInvitation{}, nil
	}
	return m.client(ctx).EmployerInvitation.Query().Where(employerinvitation.InviteeID(v.UserID),
		employerinvitation.StatusEQ(employerinvitation.StatusPENDING), employerinvitation.ExpiresAtGT(m.Now())).
		Order(ent.Desc(employerinvitation.FieldCreatedAt)).All(ctx)
}

// ClaimInvitations gives a new account the invitations sent to its address
// before it existed; sign-up calls it once the address is proven.
func ClaimInvitations(ctx context.Context, c *ent.Client, userID, email string) error {
	return c.EmployerInvitation.Update().Where(employerinvitation.Email(strings.ToLower(email)),
		employerinvitation.InviteeIDIsNil(), employerinvitation.StatusEQ(employerinvitation.StatusPENDING)).
		SetInviteeID(userID).Exec(rule.System(ctx))
}
