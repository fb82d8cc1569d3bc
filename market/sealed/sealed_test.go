package sealed

import (
	"bytes"
	"errors"
	"testing"
)

func key(b byte) []byte { return bytes.Repeat([]byte{b}, 32) }

func TestASealedValueOpensOnlyWhereItWasSealed(t *testing.T) {
	box, err := New(key(1))
	if err != nil {
		t.Fatal(err)
	}
	id := []byte("11010519491231002X")
	s1, _ := box.Seal(id, "real_names:usr_1")
	s2, _ := box.Seal(id, "real_names:usr_1")
	if bytes.Contains(s1, id) || bytes.Equal(s1, s2) {
		t.Fatalf("the sealed value shows the number, or two seals are equal")
	}
	if got, err := box.Open(s1, "real_names:usr_1"); err != nil || !bytes.Equal(got, id) {
		t.Fatalf("open: %q, %v", got, err)
	}
	if _, err := box.Open(s1, "real_names:usr_2"); !errors.Is(err, ErrSealed) {
		t.Fatalf("opened in another row: %v", err)
	}
	tampered := bytes.Clone(s1)
	tampered[len(tampered)-1] ^= 1
	if _, err := box.Open(tampered, "real_names:usr_1"); !errors.Is(err, ErrSealed) {
		t.Fatalf("opened after tampering: %v", err)
	}
	other, _ := New(key(2))
	if _, err := other.Open(s1, "real_names:usr_1"); !errors.Is(err, ErrSealed) {
		t.Fatalf("opened with another master key: %v", err)
	}
	// A new master key takes over; the old one still opens what it sealed.
	rotated, _ := New(key(2), key(1))
	if got, err := rotated.Open(s1, "real_names:usr_1"); err != nil || !bytes.Equal(got, id) {
		t.Fatalf("open after rotation: %q, %v", got, err)
	}
	if _, err := New([]byte("short")); err == nil {
		t.Fatal("a short master key was taken")
	}
}
