package auth

import (
	_ "embed"
	"strings"
	"unicode"

	"flexwork/market"
)

//go:embed common-passwords.txt
var commonPasswordsFile string

// commonPasswords are the whole passwords and base words of
// common-passwords.txt, lower-cased.
var commonPasswords = func() map[string]bool {
	out := map[string]bool{}
	for _, line := range strings.Split(commonPasswordsFile, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			out[strings.ToLower(line)] = true
		}
	}
	return out
}()

// checkPassword refuses, beside the length the input's tags check, the
// passwords guessing tools try first: a listed password; a common word with
// digits or symbols around it ("Password2024!"); one character repeated, a
// run of digits or letters, or a keyboard row ("aaaaaaaaaa", "3456789012",
// "qwertyuiop"); and the person's own e-mail name or display name.
func checkPassword(password, email, displayName string) error {
	p := strings.ToLower(password)
	bad := market.BadInput("password", "is too easy to guess; choose a longer phrase of unrelated words")
	if commonPasswords[p] {
		return bad
	}
	core := strings.TrimFunc(p, func(r rune) bool { return unicode.IsDigit(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || r == ' ' })
	if core == "" || commonPasswords[core] || predictable(p) {
		return bad
	}
	if local, _, _ := strings.Cut(strings.ToLower(email), "@"); len(local) >= 4 && strings.Contains(p, local) {
		return market.BadInput("password", "must not contain your e-mail address")
	}
	for _, part := range strings.Fields(strings.ToLower(displayName)) {
		if len(part) >= 4 && strings.Contains(p, part) {
			return market.BadInput("password", "must not contain your name")
		}
	}
	return nil
}

// keyboardRows are runs a finger can slide along.
var keyboardRows = []string{"1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "qwertzuiop", "yxcvbnm", "azertyuiop"}

// predictable reports whether p is one character repeated, or a run of
// consecutive characters (up or down), or a stretch of a keyboard row or the
// alphabet, possibly repeated ("abcabcabcabc").
func predictable(p string) bool {
	r := []rune(p)
	distinct := map[rune]bool{}
	for _, c := range r {
		distinct[c] = true
	}
	if len(distinct) <= 3 {
		return true
	}
	up, down := true, true
	for i := 1; i < len(r); i++ {
		d := r[i] - r[i-1]
		up = up && (d == 1 || (r[i-1] == '9' && r[i] == '0'))
		down = down && (d == -1 || (r[i-1] == '0' && r[i] == '9'))
	}
	if up || down {
		return true
	}
	for _, row := range append(keyboardRows, "abcdefghijklmnopqrstuvwxyz") {
		if strings.Contains(row+row, p) || strings.Contains(reverse(row+row), p) {
			return true
		}
	}
	return false
}

func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}
