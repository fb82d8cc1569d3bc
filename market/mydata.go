package market

import (
	"context"
	"encoding/json"
	"time"

	"flexwork/ent"
	"flexwork/ent/application"
	"flexwork/ent/assignment"
	"flexwork/ent/certification"
	"flexwork/ent/contract"
	"flexwork/ent/creditdispute"
	"flexwork/ent/creditevent"
	"flexwork/ent/device"
	"flexwork/ent/membership"
	"flexwork/ent/moneyaccount"
	"flexwork/ent/notification"
	"flexwork/ent/offer"
	"flexwork/ent/passwordreset"
	"flexwork/ent/payout"
	"flexwork/ent/review"
	"flexwork/ent/rule"
	"flexwork/ent/session"
	"flexwork/ent/signuprequest"
	"flexwork/ent/timesheet"
	"flexwork/ent/user"
	"flexwork/ent/workerprofile"
	"flexwork/ent/workerskill"
	"flexwork/money"
)

// DataExport is everything the marketplace holds about the viewer, as JSON:
// the person's right to a copy of their data.
type DataExport struct {
	GeneratedAt time.Time `json:"generatedAt"`
	JSON        string    `json:"json"`
}

// ExportMyData gathers every row about the viewer — account, devices and
// sessions (without their secrets), memberships, worker profile and
// skills, certificates, applications, offers, hires with their contracts
// and timesheets, reviews by and of them, credit events and disputes, and
// the inbox — into one JSON document.
func (m *Market) ExportMyData(ctx context.Context) (*DataExport, error) {
	v, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	sys, c := rule.System(ctx), m.client(ctx)
	out := map[string]any{}
	u, err := c.User.Get(sys, v.UserID)
	if err != nil {
		return nil, err
	}
	out["account"] = u
	if out["sessions"], err = c.Session.Query().Where(session.UserID(v.UserID)).All(sys); err != nil {
		return nil, err
	}
	if out["devices"], err = c.Device.Query().Where(device.UserID(v.UserID)).All(sys); err != nil {
		return nil, err
	}
	if out["memberships"], err = c.Membership.Query().Where(membership.UserID(v.UserID)).All(sys); err != nil {
		return nil, err
	}
	if out["notifications"], err = c.Notification.Query().Where(notification.UserID(v.UserID)).All(sys); err != nil {
		return nil, err
	}
	if out["reviewsWritten"], err = c.Review.Query().Where(review.AuthorID(v.UserID)).All(sys); err != nil {
		return nil, err
	}
	if p, err := c.WorkerProfile.Query().Where(workerprofile.UserID(v.UserID)).Only(sys); err == nil {
		w := p.ID
		out["workerProfile"] = p
		for key, q := range map[string]func() (any, error){
			"skills":         func() (any, error) { return c.WorkerSkill.Query().Where(workerskill.WorkerID(w)).All(sys) },
			"certifications": func() (any, error) { return c.Certification.Query().Where(certification.WorkerID(w)).All(sys) },
			"applications":   func() (any, error) { return c.Application.Query().Where(application.WorkerID(w)).All(sys) },
			"offers":         func() (any, error) { return c.Offer.Query().Where(offer.WorkerID(w)).All(sys) },
			"assignments":    func() (any, error) { return c.Assignment.Query().Where(assignment.WorkerID(w)).All(sys) },
			"contracts":      func() (any, error) { return c.Contract.Query().Where(contract.WorkerID(w)).All(sys) },
			"timesheets":     func() (any, error) { return c.Timesheet.Query().Where(timesheet.WorkerID(w)).All(sys) },
			"creditEvents":   func() (any, error) { return c.CreditEvent.Query().Where(creditevent.WorkerID(w)).All(sys) },
			"reviewsOfYou": func() (any, error) {
				return c.Review.Query().Where(review.WorkerID(w), review.DirectionEQ(review.DirectionEMPLOYER_TO_WORKER), review.RevealedAtNotNil()).All(sys)
			},
		} {
			if out[key], err = q(); err != nil {
				return nil, err
			}
		}
	} else if !ent.IsNotFound(err) {
		return nil, err
	}
	if out["creditDisputes"], err = c.CreditDispute.Query().Where(creditdispute.OpenedByID(v.UserID)).All(sys); err != nil {
		return nil, err
	}
	body, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, err
	}
	return &DataExport{GeneratedAt: m.Now(), JSON: string(body)}, nil
}

// ErasedName is what a deleted account is called where its name must stay
// (a contract's other party sees the hire happened, not who it was).
const ErasedName = "Former user"

// EraseAccount deletes the viewer's account: personal data is erased
// (email, phone, name, password, home, profile texts, devices, sessions,
// inbox, messages, certificate documents and numbers) or, where a record
// must stay, pseudonymised; contracts, timesheets and payments, credit
// events and the ledger are kept as the README says. It is refused while
// hires are open or money is still to move, and while the viewer is an
// employer's only owner.
func (m *Market) EraseAccount(ctx context.Context) error {
	v, err := signedIn(ctx)
	if err != nil {
		return err
	}
	return m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		sys, now := rule.System(ctx), m.Now()
		if err := m.eraseRefusal(sys, c, v.UserID); err != nil {
			return err
		}
		p, err := c.WorkerProfile.Query().Where(workerprofile.UserID(v.UserID)).Only(sys)
		switch {
		case err == nil:
			if err := c.WorkerProfile.UpdateOneID(p.ID).SetHeadline("").SetBio("").ClearHomeLat().ClearHomeLng().
				ClearMinHourlyRate().Exec(sys); err != nil {
				return err
			}
			if _, err := c.Application.Update().Where(application.WorkerID(p.ID)).SetMessage("").Save(sys); err != nil {
				return err
			}
			certs, err := c.Certification.Query().Where(certification.WorkerID(p.ID)).All(sys)
			if err != nil {
				return err
			}
			for _, cert := range certs {
				if m.store != nil {
					if err := m.store.Delete(ctx, cert.ObjectKey); err != nil {
						return err
					}
				}
			}
			if _, err := c.Certification.Update().Where(certification.WorkerID(p.ID)).
				SetCredentialNumber("").SetFileName("").SetSha256("").Save(sys); err != nil {
				return err
			}
		case !ent.IsNotFound(err):
			return err
		}
		u, err := c.User.Get(sys, v.UserID)
		if err != nil {
			return err
		}
		if u.Email != nil {
			if _, err := c.SignupRequest.Delete().Where(signuprequest.Email(*u.Email)).Exec(sys); err != nil {
				return err
			}
		}
		for _, del := range []func() (int, error){
			func() (int, error) { return c.PasswordReset.Delete().Where(passwordreset.UserID(v.UserID)).Exec(sys) },
			func() (int, error) { return c.Session.Delete().Where(session.UserID(v.UserID)).Exec(sys) },
			func() (int, error) { return c.Device.Delete().Where(device.UserID(v.UserID)).Exec(sys) },
			func() (int, error) { return c.Notification.Delete().Where(notification.UserID(v.UserID)).Exec(sys) },
			func() (int, error) { return c.Membership.Delete().Where(membership.UserID(v.UserID)).Exec(sys) },
		} {
			if _, err := del(); err != nil {
				return err
			}
		}
		if err := c.User.Update().Where(user.ID(v.UserID)).
			ClearEmail().ClearPhone().ClearFirebaseUID().SetPasswordHash("").SetDisplayName(ErasedName).
			ClearQuietHoursStart().ClearQuietHoursEnd().SetDisabledAt(now).Exec(sys); err != nil {
			return err
		}
		_, err = m.appendLedger(ctx, c, LedgerAccountErased, v.UserID, v.UserID, map[string]any{})
		return err
	})
}

// LedgerAccountErased records that an account's personal data was erased.
const LedgerAccountErased = "ACCOUNT_ERASED"

// eraseRefusal says why an account cannot be erased yet, or nil.
func (m *Market) eraseRefusal(sys context.Context, c *ent.Client, userID string) error {
	owned, err := c.Membership.Query().Where(membership.UserID(userID), membership.RoleEQ(membership.RoleOWNER)).All(sys)
	if err != nil {
		return err
	}
	for _, mb := range owned {
		n, err := c.Membership.Query().Where(membership.EmployerID(mb.EmployerID), membership.RoleEQ(membership.RoleOWNER)).Count(sys)
		if err != nil {
			return err
		}
		if n == 1 {
			return State(CodeLastOwner, "you are the only owner of an employer; make someone else an owner first")
		}
	}
	p, err := c.WorkerProfile.Query().Where(workerprofile.UserID(userID)).Only(sys)
	if ent.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if open, err := c.Assignment.Query().Where(assignment.WorkerID(p.ID), assignment.StatusIn(activeAssignments...)).Exist(sys); err != nil {
		return err
	} else if open {
		return State(CodeAccountInUse, "you have hires still open; finish or cancel them first")
	}
	if owed, err := c.Timesheet.Query().Where(timesheet.WorkerID(p.ID), timesheet.PaymentStatusIn(
		timesheet.PaymentStatusNOT_DUE, timesheet.PaymentStatusUNPAID, timesheet.PaymentStatusMARKED_PAID,
		timesheet.PaymentStatusOVERDUE, timesheet.PaymentStatusNOT_RECEIVED)).Exist(sys); err != nil {
		return err
	} else if owed {
		return State(CodeAccountInUse, "money is still to be paid to you; confirm it arrives first")
	}
	// Money flexwork holds for the worker: a balance, or a payout on its way.
	if held, err := c.MoneyAccount.Query().Where(moneyaccount.Kind(string(money.WorkerBalance)), moneyaccount.OwnerID(p.ID),
		moneyaccount.BalanceNEQ(0)).Exist(sys); err != nil {
		return err
	} else if held {
		return State(CodeAccountInUse, "your flexwork balance still holds money; pay it out first")
	}
	if sending, err := c.Payout.Query().Where(payout.WorkerID(p.ID), payout.StatusEQ(payout.StatusPENDING)).Exist(sys); err != nil {
		return err
	} else if sending {
		return State(CodeAccountInUse, "a payout is still on its way to you; wait for it first")
	}
	return nil
}
