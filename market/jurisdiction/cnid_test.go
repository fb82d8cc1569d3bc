package jurisdiction

import (
	"testing"
	"time"
)

// The numbers are the standards' published examples and numbers made to
// pass the checksum; the bad ones differ by one character.
func TestResidentIDChecksums(t *testing.T) {
	for _, ok := range []string{"11010519491231002X", "11010519491231002x", "440524188001010014", "110101199003074477"} {
		if _, valid := ValidResidentID(ok); !valid {
			t.Errorf("%s refused", ok)
		}
	}
	for _, bad := range []string{"110105194912310021", "11010519491331002X", "1101051949123100", "11010519491231002Y", "A10105194912310021", ""} {
		if _, valid := ValidResidentID(bad); valid {
			t.Errorf("%s accepted", bad)
		}
	}
}

func TestCreditCodeChecksums(t *testing.T) {
	for _, ok := range []string{"91350100M000100Y43", "91110000600037341L"} {
		if _, valid := ValidCreditCode(ok); !valid {
			t.Errorf("%s refused", ok)
		}
	}
	for _, bad := range []string{"91350100M000100Y44", "91350100M000100I43", "9135010M000100Y43", ""} {
		if _, valid := ValidCreditCode(bad); valid {
			t.Errorf("%s accepted", bad)
		}
	}
}

func TestMadeResidentIDsAreValid(t *testing.T) {
	for seq := range 50 {
		id := ResidentID(time.Date(1990, 3, 7, 0, 0, 0, 0, time.UTC), seq)
		if _, ok := ValidResidentID(id); !ok {
			t.Fatalf("%s is not valid", id)
		}
	}
}

func TestMadeCreditCodesAreValid(t *testing.T) {
	for seq := range 50 {
		if c := CreditCode(seq); len(c) != 18 {
			t.Fatalf("%s is not 18 long", c)
		} else if _, ok := ValidCreditCode(c); !ok {
			t.Fatalf("%s is not valid", c)
		}
	}
}

func TestMaskID(t *testing.T) {
	if got := MaskID("11010519491231002X"); got != "1101**********002X" {
		t.Fatalf("masked: %s", got)
	}
}
