package jurisdiction

import "flexwork/ent/schema/enum"

// Payment is remuneration about to be paid to a worker through flexwork,
// for the pack to say what tax is withheld from it. Earlier and
// WithheldEarlier are what the same payer paid the same worker, in the
// same form of work, earlier in the same month of the payment's local
// calendar, and what was withheld from that: rules that tax a month's
// income as one payment read them.
type Payment struct {
	Engagement      enum.EngagementType
	Gross           int64 // minor units
	Earlier         int64
	WithheldEarlier int64
}

// Withholding is what a pack withholds from a payment, and the rule that
// says so ("" when nothing is withheld by flexwork).
type Withholding struct {
	Amount int64
	Rule   string
}

// RuleCNLabourRemuneration: individual income tax withheld in advance on
// labour remuneration (劳务报酬所得) by the payer, as withholding agent.
// Continuous income from one payer for one kind of service within a
// month counts as one payment (PRC Individual Income Tax Law
// Implementation Regulations art. 14); the advance is 20 % of the taxable
// amount — the income less 800 yuan up to 4,000, less 20 % above — rising
// to 30 % (less 2,000 yuan) above 20,000 and 40 % (less 7,000) above
// 50,000 (State Taxation Administration announcement 2018 No. 61).
// Wages of part-time, dispatched and outsourced work are withheld by the
// employer through its payroll, not by flexwork.
const RuleCNLabourRemuneration = "CN_IIT_LABOUR_REMUNERATION"

func noWithholding(Payment) Withholding { return Withholding{} }

func cnWithholding(p Payment) Withholding {
	if p.Engagement != enum.PlatformGig {
		return Withholding{}
	}
	due := cnLabourTax(p.Earlier+p.Gross) - p.WithheldEarlier
	return Withholding{Amount: min(max(due, 0), p.Gross), Rule: RuleCNLabourRemuneration}
}

// cnLabourTax is the advance tax on one month's labour remuneration, both
// in fen.
func cnLabourTax(income int64) int64 {
	const yuan = 100
	if income <= 800*yuan {
		return 0
	}
	taxable := income - 800*yuan
	if income > 4000*yuan {
		taxable = income * 4 / 5
	}
	switch {
	case taxable <= 20000*yuan:
		return (taxable*20 + 50) / 100
	case taxable <= 50000*yuan:
		return (taxable*30+50)/100 - 2000*yuan
	}
	return (taxable*40+50)/100 - 7000*yuan
}
