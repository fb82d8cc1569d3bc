package market

// MaxAmount bounds every amount the API takes, in minor units: a million
// euros, which no shift pays and no rate reaches, so that amounts times
// minutes stay far inside int64.
const MaxAmount = 100_000_000

// Money is an amount in minor units (cents) of an ISO 4217 currency.
type Money struct {
	Amount   int64  `json:"amount" validate:"gte=0,lte=100000000"`
	Currency string `json:"currency" validate:"currency"`
}

// currencies are the ISO 4217 codes flexwork pays in, with the number of
// digits after the decimal point.
var currencies = map[string]int{
	"EUR": 2, "GBP": 2, "USD": 2, "CHF": 2, "PLN": 2, "CZK": 2, "SEK": 2, "NOK": 2, "DKK": 2,
	"HUF": 2, "RON": 2, "CAD": 2, "AUD": 2, "NZD": 2, "SGD": 2, "HKD": 2, "CNY": 2, "INR": 2,
	"BRL": 2, "MXN": 2, "ZAR": 2, "JPY": 0, "KRW": 0,
}

// IsCurrency reports whether code is a currency flexwork accepts.
func IsCurrency(code string) bool {
	_, ok := currencies[code]
	return ok
}
