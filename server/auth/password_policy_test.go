package auth

import "testing"

func TestPasswordPolicyRefusesWhatIsGuessedFirst(t *testing.T) {
	for _, p := range []string{
		"1234567890", "Password2024!", "!!qwerty123456", "P@ssw0rd12345", "woaini5201314", "aaaaaaaaaaaa",
		"9876543210", "qwertyuiop", "asdfghjkl;", "abcdefghijkl", "FLEXWORK2026", "1q2w3e4r5t", "ananasana2024",
		"Ana Lopez 2024 me",
	} {
		if err := checkPassword(p, "ananasana@example.com", "Ana Lopez"); err == nil {
			t.Errorf("%q was accepted", p)
		}
	}
	for _, p := range []string{"correct horse battery", "Lagerhalle-Spree-17", "tea kettle umbrella", "W4rehouse!Blue-Fox"} {
		if err := checkPassword(p, "ana@example.com", "Ana Lopez"); err != nil {
			t.Errorf("%q was refused: %v", p, err)
		}
	}
}
