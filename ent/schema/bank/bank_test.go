package bank

import "testing"

func TestAccountNumbersAreChecked(t *testing.T) {
	for in, want := range map[string]string{
		"DE89 3704 0044 0532 0130 00":       "DE89370400440532013000", // the ECBS example IBAN
		"fr14 2004 1010 0505 0001 3m02 606": "FR1420041010050500013M02606",
		"6222 0202 0000 0000 006":           "6222020200000000006", // a UnionPay-style card, Luhn-valid
		"4111111111111111":                  "4111111111111111",
	} {
		got, err := NormalizeAccountNumber(in)
		if err != nil || got != want {
			t.Errorf("%q: got %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{
		"DE88 3704 0044 0532 0130 00", // one check digit off
		"6222 0202 0000 0000 008",     // Luhn fails
		"4111-1111-1111-1111",
		"12345",
		"",
		"DE89370400440532013000DE89370400440532013000",
	} {
		if got, err := NormalizeAccountNumber(in); err == nil {
			t.Errorf("%q accepted as %q", in, got)
		}
	}
}
