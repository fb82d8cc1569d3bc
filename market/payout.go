package market

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"time"

	"flexwork/ent"
	"flexwork/ent/payout"
	"flexwork/ent/rule"
	"flexwork/ent/schema/bank"
	"flexwork/ent/workerprofile"
	"flexwork/market/jurisdiction"
	"flexwork/money"
)

// WithPayouts sends workers' payouts through p; without it, none can be
// asked for.
func WithPayouts(p money.PayoutProvider) Option { return func(m *Market) { m.payouts = p } }

// payoutAccount is what a Stripe connected account ID looks like.
var payoutAccount = regexp.MustCompile(`^acct_[A-Za-z0-9]{1,59}$`)

// SetPayoutAccount sets where the viewer's payouts go: their account at
// the payment provider.
func (m *Market) SetPayoutAccount(ctx context.Context, account string) (*Changed, error) {
	v, err := worker(ctx)
	if err != nil {
		return nil, err
	}
	account = strings.TrimSpace(account)
	if !payoutAccount.MatchString(account) {
		return nil, BadInput("account", "give your connected account's ID, acct_ then letters and digits")
	}
	var out *Changed
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		p, err := c.WorkerProfile.UpdateOneID(v.WorkerID).SetPayoutAccount(account).
			SetPayoutMethod(workerprofile.PayoutMethodSTRIPE).Save(ctx)
		if err != nil {
			return err
		}
		out = &Changed{WorkerProfile: p}
		return nil
	})
	return out, err
}

// PayoutAccount is where a worker's payouts go, for them and staff.
func (m *Market) PayoutAccount(ctx context.Context, p *ent.WorkerProfile) *string {
	if p.PayoutAccount == "" {
		return nil
	}
	return private(ctx, p.UserID, &p.PayoutAccount)
}

// PayoutInput asks for a payout: all of the balance in a currency, or an
// amount of it.
type PayoutInput struct {
	Currency string `json:"currency" validate:"currency"`
	Amount   *int64 `json:"amount" validate:"omitempty,gt=0,lte=100000000"`
}

// RequestPayout takes money from the viewer's balance into payouts in
// transit and queues the payout for the provider, in one transaction: two
// phones asking at once for the same balance get it once (the balance
// moves by a conditional update; the loser hears BALANCE_INSUFFICIENT).
func (m *Market) RequestPayout(ctx context.Context, in PayoutInput) (*Changed, error) {
	v, err := worker(ctx)
	if err != nil {
		return nil, err
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	var out *Changed
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		p, err := c.WorkerProfile.Query().Where(workerprofile.ID(v.WorkerID)).Only(ctx)
		if err != nil {
			return err
		}
		route, err := m.payoutRoute(p)
		if err != nil {
			return err
		}
		// Where the law asks it (CN: yuan), money leaves flexwork only for
		// a person whose identity is verified.
		if jurisdiction.ForCurrency(in.Currency).RealNamePayouts {
			if ok, err := realNameVerified(ctx, c, v.WorkerID); err != nil {
				return err
			} else if !ok {
				return State(CodeRealNameRequired, "verify your real name before your first payout in %s", in.Currency)
			}
		}
		balance := money.Account{Kind: money.WorkerBalance, Owner: v.WorkerID, Currency: in.Currency}
		amount := int64(0)
		if in.Amount != nil {
			amount = *in.Amount
		} else if amount, err = money.Balance(ctx, c, balance); err != nil {
			return err
		}
		if amount == 0 {
			return State(CodeBalanceInsufficient, "your %s balance is empty", in.Currency)
		}
		create := c.Payout.Create().SetWorkerID(v.WorkerID).SetAmount(amount).SetCurrency(in.Currency).
			SetProvider(route.provider).SetDestination(route.destination)
		if route.bank != nil {
			create.SetBank(*route.bank)
		}
		po, err := create.Save(rule.System(ctx))
		if err != nil {
			return err
		}
		_, err = m.postMoney(ctx, c, money.Transaction{Key: "payout:" + po.ID, Kind: "PAYOUT", Currency: in.Currency,
			Memo: "payout to " + route.provider + " " + route.destination, Postings: []money.Posting{
				{Account: balance, Amount: -amount},
				{Account: money.Account{Kind: money.PayoutsInTransit, Currency: in.Currency}, Amount: amount},
			}}, po.ID)
		if errors.Is(err, money.ErrInsufficient) {
			return State(CodeBalanceInsufficient, "your balance holds less than %s", FormatMoney(amount, in.Currency))
		}
		if err != nil {
			return err
		}
		// A provider's payout goes out by job; a bank transfer waits for
		// staff's next batch file.
		if route.bank != nil {
			out = &Changed{Payout: po}
			return nil
		}
		if err := m.emit(ctx, c, Event{Kind: PayoutRequested, ID: po.ID, WorkerID: v.WorkerID, Title: FormatMoney(amount, in.Currency)}); err != nil {
			return err
		}
		out = &Changed{Payout: po}
		return nil
	})
	return out, err
}

// payoutRoute is where a worker's payouts go: the method they set last.
type payoutRoute struct {
	provider, destination string
	bank                  *bank.Account // for a bank transfer
}

func (m *Market) payoutRoute(p *ent.WorkerProfile) (payoutRoute, error) {
	switch {
	case p.PayoutMethod != nil && *p.PayoutMethod == workerprofile.PayoutMethodBANK_TRANSFER:
		return payoutRoute{provider: bankTransfer, destination: p.PayoutBank.Last4(), bank: &p.PayoutBank}, nil
	case p.PayoutAccount == "":
		return payoutRoute{}, State(CodePayoutAccountMissing, "set the account your payouts go to first")
	case m.payouts == nil:
		return payoutRoute{}, State(CodePayoutsUnavailable, "payouts to a provider account are not set up on this server yet; a bank account works")
	}
	return payoutRoute{provider: m.payouts.Name(), destination: p.PayoutAccount}, nil
}

// SendPayout sends a pending payout to the provider and settles it. A job
// runs it, and runs it again after a failure or a crash: every attempt
// after the first asks the provider first whether the transfer was made
// (its answer may have been lost), and sends under the payout's ID, which
// the provider keeps as the idempotency key, so a payout is never paid
// twice. A final refusal gives the money back to the worker's balance.
func (m *Market) SendPayout(ctx context.Context, id string) error {
	ctx = rule.System(ctx)
	if m.payouts == nil {
		return errors.New("market: no payout provider")
	}
	p, err := m.db.Payout.Get(ctx, id)
	if err != nil || p.Status != payout.StatusPENDING || p.Provider == bankTransfer {
		return err
	}
	// The attempt is counted before the provider hears of it, and kept
	// whatever happens next: the next attempt knows to ask.
	if err := m.db.Payout.UpdateOneID(id).AddAttempts(1).Exec(ctx); err != nil {
		return err
	}
	ref := ""
	if p.Attempts > 0 {
		if ref, err = m.payouts.Find(ctx, id); err != nil {
			return m.payoutFailed(ctx, p, err)
		}
	}
	if ref == "" {
		ref, err = m.payouts.Send(ctx, money.PayoutOrder{Key: id, Destination: p.Destination, Amount: p.Amount, Currency: p.Currency})
	}
	if err != nil {
		return m.payoutFailed(ctx, p, err)
	}
	return m.settlePayout(ctx, p, payout.StatusPAID, ref, "")
}

// payoutFailed gives the money back when the provider refused for good,
// and otherwise notes the error and returns it, for the job to retry.
func (m *Market) payoutFailed(ctx context.Context, p *ent.Payout, err error) error {
	if errors.Is(err, money.ErrPayoutRefused) {
		return m.settlePayout(ctx, p, payout.StatusRETURNED, "", err.Error())
	}
	msg := err.Error()
	if len(msg) > 500 {
		msg = msg[:500]
	}
	if uerr := m.db.Payout.UpdateOneID(p.ID).SetLastError(msg).Exec(ctx); uerr != nil {
		return errors.Join(err, uerr)
	}
	return err
}

// settlePayout ends a pending payout, once: PAID moves the money from
// transit out to the bank; RETURNED moves it back to the worker's balance.
func (m *Market) settlePayout(ctx context.Context, p *ent.Payout, to payout.Status, ref, why string) error {
	return m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		n, err := c.Payout.Update().Where(payout.ID(p.ID), payout.StatusEQ(payout.StatusPENDING)).
			SetStatus(to).SetProviderRef(ref).SetLastError(why).SetSettledAt(m.Now()).Save(ctx)
		if err != nil || n == 0 {
			return err // settled already
		}
		inTransit := money.Account{Kind: money.PayoutsInTransit, Currency: p.Currency}
		t := money.Transaction{Key: "payout-paid:" + p.ID, Kind: "PAYOUT_PAID", Currency: p.Currency, Memo: ref,
			Postings: []money.Posting{{Account: inTransit, Amount: -p.Amount}, {Account: money.Account{Kind: money.Bank, Currency: p.Currency}, Amount: p.Amount}}}
		kind := PayoutPaid
		if to == payout.StatusRETURNED {
			t = money.Transaction{Key: "payout-returned:" + p.ID, Kind: "PAYOUT_RETURNED", Currency: p.Currency, Memo: why,
				Postings: []money.Posting{{Account: inTransit, Amount: -p.Amount}, {Account: money.Account{Kind: money.WorkerBalance, Owner: p.WorkerID, Currency: p.Currency}, Amount: p.Amount}}}
			kind = PayoutReturned
		}
		if _, err := m.postMoney(ctx, c, t, p.ID); err != nil {
			return err
		}
		return m.emit(ctx, c, Event{Kind: kind, ID: p.ID, WorkerID: p.WorkerID, Title: FormatMoney(p.Amount, p.Currency), Detail: why})
	})
}

// StalePayouts are the pending payouts nobody touched for longer than age:
// their job gave up or was lost.
func (m *Market) StalePayouts(ctx context.Context, age time.Duration) ([]string, error) {
	return m.db.Payout.Query().Where(payout.StatusEQ(payout.StatusPENDING), payout.ProviderNEQ(bankTransfer),
		payout.UpdatedAtLT(m.Now().Add(-age))).IDs(rule.System(ctx))
}

// WorkerPayouts are a worker's payouts, newest first, for them and staff.
func (m *Market) WorkerPayouts(ctx context.Context, workerID string, first int) ([]*ent.Payout, error) {
	return m.client(ctx).Payout.Query().Where(payout.WorkerID(workerID)).
		Order(ent.Desc(payout.FieldCreatedAt), ent.Desc(payout.FieldID)).Limit(first).All(ctx)
}
