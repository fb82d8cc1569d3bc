// Package bank is where a bank transfer goes: a worker's bank account for
// payouts by batch file, and the check that catches a mistyped number. It
// lives beside the schema because a WorkerProfile field and a Payout field
// are made of it.
package bank

import (
	"errors"
	"strings"
	"unicode"
)

// Account is where a bank transfer goes: the holder's name as the bank
// knows it, the bank, and the account number (an IBAN, or a bank card's
// number for banks in China). Staff's batch file carries it to the bank.
type Account struct {
	Holder string `json:"holder"`
	Bank   string `json:"bank"`
	Number string `json:"number"`
}

// Last4 is the end of the account number, all anyone sees of it.
func (b Account) Last4() string {
	if len(b.Number) <= 4 {
		return b.Number
	}
	return b.Number[len(b.Number)-4:]
}

// ErrAccountNumber says an account number is neither a valid IBAN nor a
// valid card number: a typo caught here is a transfer the bank never
// bounces.
var ErrAccountNumber = errors.New("bank: not a valid IBAN or bank card number")

// NormalizeAccountNumber takes spaces out and upper-cases an account
// number, and checks it: an IBAN by its ISO 13616 check digits (mod 97),
// a card number (12 to 19 digits, as China UnionPay issues them) by the
// Luhn check digit.
func NormalizeAccountNumber(s string) (string, error) {
	s = strings.ToUpper(strings.Join(strings.Fields(s), ""))
	switch {
	case len(s) >= 15 && len(s) <= 34 && unicode.IsLetter(rune(s[0])):
		if ibanValid(s) {
			return s, nil
		}
	case len(s) >= 12 && len(s) <= 19 && allDigits(s):
		if luhnValid(s) {
			return s, nil
		}
	}
	return "", ErrAccountNumber
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// ibanValid moves the country and check digits to the end, reads letters
// as 10..35, and asks that the number be 1 modulo 97.
func ibanValid(s string) bool {
	if !unicode.IsLetter(rune(s[1])) || !unicode.IsDigit(rune(s[2])) || !unicode.IsDigit(rune(s[3])) {
		return false
	}
	rem := 0
	for _, r := range s[4:] + s[:4] {
		switch {
		case r >= '0' && r <= '9':
			rem = (rem*10 + int(r-'0')) % 97
		case r >= 'A' && r <= 'Z':
			rem = (rem*100 + int(r-'A'+10)) % 97
		default:
			return false
		}
	}
	return rem == 1
}

func luhnValid(s string) bool {
	sum := 0
	for i := range len(s) {
		d := int(s[len(s)-1-i] - '0')
		if i%2 == 1 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}
