package jurisdiction

import (
	"fmt"
	"strings"
	"time"
)

// ValidResidentID checks a PRC resident identity card number (GB
// 11643-1999): 17 digits — a region code, the date of birth as YYYYMMDD,
// a sequence — and a check character, the ISO 7064 MOD 11-2 checksum of
// the 17 (X stands for 10). It returns the number upper-cased, or false.
func ValidResidentID(s string) (string, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) != 18 {
		return "", false
	}
	sum := 0
	for i := range 17 {
		c := s[i]
		if c < '0' || c > '9' {
			return "", false
		}
		// Weights are 2^(17-i) mod 11.
		sum += int(c-'0') * residentWeights[i]
	}
	if s[17] != "10X98765432"[sum%11] {
		return "", false
	}
	born, err := time.Parse("20060102", s[6:14])
	if err != nil || born.Year() < 1850 || born.After(time.Now()) {
		return "", false
	}
	return s, true
}

var residentWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// ValidCreditCode checks a unified social credit code (统一社会信用代码, GB
// 32100-2015), the number on every PRC business licence: 18 characters
// from 0-9 and the capitals but I, O, Z, S and V, the last a check
// character of the other 17 (weights 3^i mod 31). It returns the code
// upper-cased, or false.
func ValidCreditCode(s string) (string, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) != 18 {
		return "", false
	}
	sum := 0
	for i := range 17 {
		v := strings.IndexByte(creditAlphabet, s[i])
		if v < 0 {
			return "", false
		}
		sum += v * creditWeights[i]
	}
	check := (31 - sum%31) % 31
	if s[17] != creditAlphabet[check] {
		return "", false
	}
	return s, true
}

const creditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// MaskID shows an identity or licence number the way Chinese apps do: the
// first and last four characters, stars between.
func MaskID(s string) string {
	if len(s) <= 8 {
		return strings.Repeat("*", len(s))
	}
	return s[:4] + strings.Repeat("*", len(s)-8) + s[len(s)-4:]
}

// ResidentID makes a well-formed resident identity number for a person
// born on born with sequence seq (0–999) in Beijing's Chaoyang district
// (110105), its check character computed: for demo and test people, who
// must not carry anyone's real number.
func ResidentID(born time.Time, seq int) string {
	s := "110105" + born.Format("20060102") + fmt.Sprintf("%03d", seq%1000)
	sum := 0
	for i := range 17 {
		sum += int(s[i]-'0') * residentWeights[i]
	}
	return s + string("10X98765432"[sum%11])
}

// CreditCode makes a well-formed unified social credit code for an
// enterprise (91) registered in Shanghai (310000) with sequence seq, its
// check character computed: for demo and test organisations.
func CreditCode(seq int) string {
	s := "91310000MA1" + fmt.Sprintf("%06d", seq%1000000)
	sum := 0
	for i := range 17 {
		sum += strings.IndexByte(creditAlphabet, s[i]) * creditWeights[i]
	}
	return s + string(creditAlphabet[(31-sum%31)%31])
}
