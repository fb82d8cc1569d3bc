package market

import "testing"

// TestSniffTrustsBytesNotNames: the type comes from the first bytes alone.
func TestSniffTrustsBytesNotNames(t *testing.T) {
	for _, c := range []struct {
		head []byte
		want string
	}{
		{[]byte("%PDF-1.4\n%âãÏÓ"), "application/pdf"},
		{[]byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F'}, "image/jpeg"},
		{[]byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13}, "image/png"},
		{[]byte{0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c', 0, 0, 0, 0}, "image/heic"},
		{[]byte{0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'm', 'i', 'f', '1'}, "image/heic"},
		// An MP4 shares the box layout but not the brand.
		{[]byte{0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'}, ""},
		{[]byte("%PDF"), ""},
		{[]byte("<html><body>%PDF-1.4"), ""},
		{[]byte("GIF89a"), ""},
		{nil, ""},
	} {
		if got := sniff(c.head); got != c.want {
			t.Errorf("sniff(%q) = %q, want %q", c.head, got, c.want)
		}
	}
}
