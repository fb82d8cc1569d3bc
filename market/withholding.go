package market

import (
	"context"
	"encoding/csv"
	"fmt"
	"sort"
	"strings"

	"flexwork/ent/rule"
	"flexwork/ent/timesheet"
	"flexwork/ent/workerprofile"
)

// WithholdingReport is staff's file of the tax withheld in a month, for
// the payers' filings: one CSV row per payer, worker, rule and currency,
// with the income paid under the rule (withheld from or not: a month
// under the threshold is still reported) and the tax withheld, as decimal
// amounts. A payment counts in the month of its date on the shift's clock.
func (m *Market) WithholdingReport(ctx context.Context, year, month int) (string, error) {
	if _, err := staff(ctx, "read the withholding report"); err != nil {
		return "", err
	}
	sys := rule.System(ctx)
	sheets, err := m.paidInMonth(ctx, year, month, timesheet.WithholdingRuleNEQ(""), timesheet.ReleasedAmountGT(0))
	if err != nil {
		return "", err
	}
	type key struct{ payer, worker, rule, currency string }
	type sums struct{ gross, withheld int64 }
	rows := map[key]*sums{}
	var payers, workers []string
	for _, t := range sheets {
		k := key{payerOf(t), t.WorkerID, t.WithholdingRule, t.Currency}
		if rows[k] == nil {
			rows[k] = &sums{}
			payers, workers = append(payers, k.payer), append(workers, k.worker)
		}
		rows[k].gross += t.ReleasedAmount
		rows[k].withheld += t.WithheldAmount
	}
	names, err := m.employers(sys, payers)
	if err != nil {
		return "", err
	}
	profiles, err := m.client(ctx).WorkerProfile.Query().Where(workerprofile.IDIn(workers...)).WithUser().All(sys)
	if err != nil {
		return "", err
	}
	people := map[string]string{}
	for _, p := range profiles {
		if p.Edges.User != nil {
			people[p.ID] = p.Edges.User.DisplayName
		}
	}
	keys := make([]key, 0, len(rows))
	for k := range rows {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		return a.payer+a.worker+a.rule+a.currency < b.payer+b.worker+b.rule+b.currency
	})
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"month", "payer_id", "payer_name", "worker_id", "worker_name", "rule", "currency", "income", "withheld"})
	for _, k := range keys {
		payer := ""
		if e := names[k.payer]; e != nil {
			payer = e.Name
		}
		_ = w.Write([]string{fmt.Sprintf("%04d-%02d", year, month), k.payer, cell(payer), k.worker, cell(people[k.worker]), k.rule, k.currency,
			decimal(rows[k].gross, k.currency), decimal(rows[k].withheld, k.currency)})
	}
	w.Flush()
	return b.String(), w.Error()
}

// cell keeps a name a spreadsheet would read as a formula a name.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// decimal writes minor units as a plain decimal amount ("3500.00").
func decimal(amount int64, currency string) string {
	s := FormatMoney(amount, currency)
	return strings.TrimSuffix(s, " "+currency)
}
