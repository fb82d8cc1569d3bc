package market

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"slices"
	"strings"

	"flexwork/ent"
	"flexwork/ent/payout"
	"flexwork/ent/payoutbatch"
	"flexwork/ent/rule"
	"flexwork/ent/schema/bank"
	"flexwork/ent/workerprofile"
)

// bankTransfer is the provider name of payouts staff send by batch file.
const bankTransfer = "bank"

// BankAccountInput is a worker's bank account for payouts.
type BankAccountInput struct {
	HolderName    string `json:"holderName" validate:"required,max=70"`
	BankName      string `json:"bankName" validate:"required,max=100"`
	AccountNumber string `json:"accountNumber" validate:"required,max=60"`
}

// SetBankAccount makes the viewer's payouts go to their bank account, by
// staff's batch transfer. A mistyped number (its IBAN or card check digit
// wrong) is refused here rather than bounced by the bank a week later.
func (m *Market) SetBankAccount(ctx context.Context, in BankAccountInput) (*Changed, error) {
	v, err := worker(ctx)
	if err != nil {
		return nil, err
	}
	in.HolderName, in.BankName = strings.TrimSpace(in.HolderName), strings.TrimSpace(in.BankName)
	if err := Validate(in); err != nil {
		return nil, err
	}
	number, err := bank.NormalizeAccountNumber(in.AccountNumber)
	if err != nil {
		return nil, BadInput("accountNumber", "check the number: it is neither an IBAN nor a bank card number whose check digit matches")
	}
	var out *Changed
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		p, err := c.WorkerProfile.UpdateOneID(v.WorkerID).
			SetPayoutBank(bank.Account{Holder: in.HolderName, Bank: in.BankName, Number: number}).
			SetPayoutMethod(workerprofile.PayoutMethodBANK_TRANSFER).Save(ctx)
		if err != nil {
			return err
		}
		out = &Changed{WorkerProfile: p}
		return nil
	})
	return out, err
}

// BankAccountView is a worker's bank account as anyone sees it: the
// number's last four digits only.
type BankAccountView struct {
	HolderName string `json:"holderName"`
	BankName   string `json:"bankName"`
	Last4      string `json:"last4"`
}

// BankAccount is the worker's bank account, for them and staff.
func (m *Market) BankAccount(ctx context.Context, p *ent.WorkerProfile) *BankAccountView {
	if p.PayoutBank.Number == "" || private(ctx, p.UserID, p) == nil {
		return nil
	}
	return &BankAccountView{HolderName: p.PayoutBank.Holder, BankName: p.PayoutBank.Bank, Last4: p.PayoutBank.Last4()}
}

// PayoutMethod is how the worker's payouts go, for them and staff.
func (m *Market) PayoutMethod(ctx context.Context, p *ent.WorkerProfile) *workerprofile.PayoutMethod {
	if p.PayoutMethod == nil && p.PayoutAccount != "" {
		s := workerprofile.PayoutMethodSTRIPE // set before there was a choice
		return private(ctx, p.UserID, &s)
	}
	return private(ctx, p.UserID, p.PayoutMethod)
}

// errNothingToBatch ends a batch's transaction when no payout waits.
var errNothingToBatch = errors.New("market: no bank payouts waiting")

// BatchPayouts gathers every pending bank payout in currency that no batch
// holds yet into a new batch, for staff to take to the bank; nil when none
// waits. Each payout is claimed by a conditional update, so two staff
// batching at once put every payout in exactly one file.
func (m *Market) BatchPayouts(ctx context.Context, currency string) (*ent.PayoutBatch, error) {
	v, err := staff(ctx, "batch bank payouts")
	if err != nil {
		return nil, err
	}
	if err := Validate(struct {
		Currency string `json:"currency" validate:"currency"`
	}{currency}); err != nil {
		return nil, err
	}
	var out *ent.PayoutBatch
	err = m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		sys := rule.System(ctx)
		b, err := c.PayoutBatch.Create().SetCurrency(currency).SetCreatedBy(v.UserID).Save(sys)
		if err != nil {
			return err
		}
		n, err := c.Payout.Update().Where(payout.StatusEQ(payout.StatusPENDING), payout.Provider(bankTransfer),
			payout.Currency(currency), payout.BatchIDIsNil()).SetBatchID(b.ID).Save(sys)
		if err != nil {
			return err
		}
		if n == 0 {
			return errNothingToBatch // and the empty batch goes with the transaction
		}
		in, err := c.Payout.Query().Where(payout.BatchID(b.ID)).All(sys)
		if err != nil {
			return err
		}
		total := int64(0)
		for _, p := range in {
			total += p.Amount
		}
		out, err = b.Update().SetCount(len(in)).SetTotal(total).Save(sys)
		return err
	})
	if errors.Is(err, errNothingToBatch) {
		return nil, nil
	}
	return out, err
}

// PayoutBatchFile is the batch as the bank takes it: a CSV of one credit
// transfer per payout, the payout's ID as each transfer's reference so
// that the statement matches back.
func (m *Market) PayoutBatchFile(ctx context.Context, b *ent.PayoutBatch) (string, error) {
	if _, err := staff(ctx, "read bank payout batches"); err != nil {
		return "", err
	}
	ps, err := m.client(ctx).Payout.Query().Where(payout.BatchID(b.ID)).Order(payout.ByID()).All(rule.System(ctx))
	if err != nil {
		return "", err
	}
	var out strings.Builder
	w := csv.NewWriter(&out)
	_ = w.Write([]string{"batch_id", "reference", "holder_name", "bank_name", "account_number", "amount", "currency"})
	for _, p := range ps {
		_ = w.Write([]string{b.ID, p.ID, cell(p.Bank.Holder), cell(p.Bank.Bank), p.Bank.Number, decimal(p.Amount, p.Currency), p.Currency})
	}
	w.Flush()
	return out.String(), w.Error()
}

// PayoutBatchPayouts are the batch's payouts, for staff.
func (m *Market) PayoutBatchPayouts(ctx context.Context, b *ent.PayoutBatch) ([]*ent.Payout, error) {
	return m.client(ctx).Payout.Query().Where(payout.BatchID(b.ID)).Order(payout.ByID()).All(ctx)
}

// ReturnedPayout is a transfer of a batch the bank sent back, and why.
type ReturnedPayout struct {
	PayoutID string `json:"payoutID" validate:"required"`
	Reason   string `json:"reason" validate:"required,max=200"`
}

// SettleBatchInput is what the bank's statement showed for a batch.
type SettleBatchInput struct {
	BatchID  string           `json:"batchID" validate:"required"`
	Returned []ReturnedPayout `json:"returned" validate:"max=10000,dive"`
}

// SettlePayoutBatch settles a batch from the bank's statement, once: the
// transfers the bank returned go back to their workers' balances with its
// reason, every other one is PAID, the batch's ID its reference.
func (m *Market) SettlePayoutBatch(ctx context.Context, in SettleBatchInput) (*ent.PayoutBatch, error) {
	if _, err := staff(ctx, "settle bank payout batches"); err != nil {
		return nil, err
	}
	if err := Validate(in); err != nil {
		return nil, err
	}
	var out *ent.PayoutBatch
	err := m.inTx(ctx, func(ctx context.Context, c *ent.Client) error {
		sys := rule.System(ctx)
		n, err := c.PayoutBatch.Update().Where(payoutbatch.ID(in.BatchID), payoutbatch.SettledAtIsNil()).
			SetSettledAt(m.Now()).Save(sys)
		if err != nil {
			return err
		}
		if n == 0 {
			if ok, err := c.PayoutBatch.Query().Where(payoutbatch.ID(in.BatchID)).Exist(sys); err != nil || !ok {
				return errors.Join(err, NotFound("payout batch"))
			}
			return State(CodeBatchSettled, "this batch was settled already")
		}
		ps, err := c.Payout.Query().Where(payout.BatchID(in.BatchID)).All(sys)
		if err != nil {
			return err
		}
		returned := map[string]string{}
		for i, r := range in.Returned {
			returned[r.PayoutID] = r.Reason
			if !slices.ContainsFunc(ps, func(p *ent.Payout) bool { return p.ID == r.PayoutID }) {
				return BadInput(fmt.Sprintf("returned[%d].payoutID", i), "this payout is not in the batch")
			}
		}
		for _, p := range ps {
			to, ref, why := payout.StatusPAID, in.BatchID, ""
			if reason, ok := returned[p.ID]; ok {
				to, ref, why = payout.StatusRETURNED, "", reason
			}
			if err := m.settlePayout(sys, p, to, ref, why); err != nil {
				return err
			}
		}
		out, err = c.PayoutBatch.Get(sys, in.BatchID)
		return err
	})
	return out, err
}

// PayoutBatchTotal is what the batch sends, for staff.
func (m *Market) PayoutBatchTotal(ctx context.Context, b *ent.PayoutBatch) *Money {
	return &Money{Amount: b.Total, Currency: b.Currency}
}
