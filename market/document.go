package market

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
)

// sniff names the document type of a file from its first bytes; the
// client's word is not trusted.
func sniff(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return "application/pdf"
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return "image/jpeg"
	case bytes.HasPrefix(head, []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}):
		return "image/png"
	case len(head) >= 12 && string(head[4:8]) == "ftyp":
		switch string(head[8:12]) {
		case "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1":
			return "image/heic"
		}
	}
	return ""
}

// activeMarkers betray a file that is also a web page or carries script: a
// PDF that a browser would render as HTML (a polyglot), or a PDF with
// JavaScript or launch actions. A scan or photo of a certificate has none.
// Matched without regard to case.
var activeMarkers = [][]byte{
	[]byte("<html"), []byte("<script"), []byte("<body"), []byte("<iframe"), []byte("<svg"), []byte("<!doctype"),
	[]byte("<object"), []byte("<embed"), []byte("<meta"), []byte("javascript:"),
	[]byte("/javascript"), []byte("/launch"),
}

// documentScan reads a stored document once: its type by the first bytes,
// its size, its SHA-256, and the first active-content marker in it, if any.
type documentScan struct {
	Kind, Sha256, Marker string
	Size                 int64
}

func scanDocument(r io.Reader) (documentScan, error) {
	var (
		out     documentScan
		h       = sha256.New()
		buf     = make([]byte, 64<<10)
		carry   []byte // the tail of the last chunk: a marker may straddle two
		longest = 0
	)
	for _, m := range activeMarkers {
		longest = max(longest, len(m))
	}
	first := true
	for {
		n, err := io.ReadFull(r, buf)
		if n > 0 {
			chunk := buf[:n]
			if first {
				out.Kind, first = sniff(chunk[:min(n, 16)]), false
			}
			h.Write(chunk)
			out.Size += int64(n)
			if out.Marker == "" {
				window := bytes.ToLower(append(carry, chunk...))
				for _, m := range activeMarkers {
					if bytes.Contains(window, m) {
						out.Marker = string(m)
						break
					}
				}
				carry = append(carry[:0], window[max(0, len(window)-longest+1):]...)
			}
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return out, err
		}
	}
	out.Sha256 = hex.EncodeToString(h.Sum(nil))
	return out, nil
}
