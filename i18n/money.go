package i18n

import (
	"fmt"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// Money is an amount in minor units of a currency, written the way a reader
// of lang writes money: "CN¥1,250.00", "¥1,250.00", "€15.50". Whole units are
// grouped by x/text's number formatting; the minor units are integer
// arithmetic, never a float.
type Money struct {
	Amount   int64
	Currency string
	Digits   int // minor-unit digits of the currency (2 for CNY and EUR)
}

// symbols are the signs readers of each language know; a currency missing
// here is written with its ISO code.
var symbols = map[string]map[string]string{
	English: {"CNY": "CN¥", "EUR": "€", "USD": "US$", "GBP": "£", "JPY": "JP¥", "HKD": "HK$"},
	Chinese: {"CNY": "¥", "EUR": "€", "USD": "US$", "GBP": "£", "JPY": "JP¥", "HKD": "HK$"},
}

// In implements Localized.
func (m Money) In(lang string) string {
	amount, sign := m.Amount, ""
	if amount < 0 {
		sign, amount = "-", -amount
	}
	div := int64(1)
	for range m.Digits {
		div *= 10
	}
	tag := language.English
	if lang == Chinese {
		tag = language.SimplifiedChinese
	}
	whole := message.NewPrinter(tag).Sprint(number.Decimal(amount / div))
	if m.Digits > 0 {
		whole += fmt.Sprintf(".%0*d", m.Digits, amount%div)
	}
	if s, ok := symbols[Match(lang)][m.Currency]; ok {
		return sign + s + whole
	}
	return sign + whole + " " + m.Currency
}
