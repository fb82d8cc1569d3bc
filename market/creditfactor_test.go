package market

import (
	"testing"

	"flexwork/credit"
	"flexwork/i18n"
)

// TestEveryCreditFactorHasAName: every factor a credit report may hold is
// named in i18n's messages (and so in every language).
func TestEveryCreditFactorHasAName(t *testing.T) {
	for _, name := range credit.FactorNames() {
		if !i18n.Has("credit.factor." + factorKey(name)) {
			t.Errorf("no message credit.factor.%s for %q", factorKey(name), name)
		}
	}
	zh := i18n.T(i18n.Chinese, "credit.factor."+factorKey("no-shows"), nil)
	if zh != "缺勤" {
		t.Errorf("no-shows in Chinese: %q", zh)
	}
}
