package jurisdiction

import (
	"testing"

	"flexwork/ent/schema/enum"
)

// TestCNLabourRemunerationIsWithheldPerMonth: the advance tax on a gig
// worker's month from one payer, payment by payment, comes to the tax on
// the month's total; wages of other forms are not withheld by flexwork.
func TestCNLabourRemunerationIsWithheldPerMonth(t *testing.T) {
	for _, c := range []struct {
		income, tax int64 // fen
	}{
		{80000, 0},          // 800 yuan: nothing
		{100000, 4000},      // 1,000: (1,000 − 800) × 20 % = 40
		{400000, 64000},     // 4,000: 3,200 × 20 % = 640
		{500000, 80000},     // 5,000: 4,000 × 20 % = 800
		{3000000, 520000},   // 30,000: 24,000 × 30 % − 2,000 = 5,200
		{10000000, 2500000}, // 100,000: 80,000 × 40 % − 7,000 = 25,000
	} {
		if got := cnLabourTax(c.income); got != c.tax {
			t.Errorf("tax on %d fen: %d, want %d", c.income, got, c.tax)
		}
	}
	// Three payments in a month: 500, then 3,500, then 1,000 yuan.
	var earlier, withheld int64
	for _, gross := range []int64{50000, 350000, 100000} {
		w := cnWithholding(Payment{Engagement: enum.PlatformGig, Gross: gross, Earlier: earlier, WithheldEarlier: withheld})
		earlier, withheld = earlier+gross, withheld+w.Amount
		if w.Rule != RuleCNLabourRemuneration {
			t.Fatalf("rule %q", w.Rule)
		}
	}
	if withheld != cnLabourTax(500000) {
		t.Fatalf("withheld over the month: %d, want the tax on its total, %d", withheld, cnLabourTax(500000))
	}
	if w := cnWithholding(Payment{Engagement: enum.PartTime, Gross: 500000}); w.Amount != 0 || w.Rule != "" {
		t.Fatalf("part-time wages: %+v", w)
	}
}
