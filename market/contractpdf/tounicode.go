package contractpdf

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// fpdfToUnicode is the ToUnicode CMap fpdf v0.9.0 writes for UTF-8 fonts:
// one bfrange <0000> <FFFF> <0000>. PDF 32000-1 §9.10.3 increments only
// the last byte within a bfrange, so extractors that follow it (ledongthuc/pdf,
// for one) read every character above U+00FF wrongly: Chinese text comes
// out as noise. conformingToUnicode says the same identity map in 256
// ranges whose high byte does not change.
const fpdfToUnicode = "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo\n<</Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n1 beginbfrange\n<0000> <FFFF> <0000>\nendbfrange\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"

var conformingToUnicode = func() string {
	var b strings.Builder
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo\n<</Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	for block := 0; block < 256; block += 100 { // at most 100 entries per section
		n := min(100, 256-block)
		fmt.Fprintf(&b, "%d beginbfrange\n", n)
		for hi := block; hi < block+n; hi++ {
			fmt.Fprintf(&b, "<%02X00> <%02XFF> <%02X00>\n", hi, hi, hi)
		}
		b.WriteString("endbfrange\n")
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend")
	return b.String()
}()

var (
	lengthBefore = regexp.MustCompile(`/Length (\d+)>>\nstream\n$`)
	xrefEntry    = regexp.MustCompile(`(?m)^(\d{10}) 00000 n `)
	startXref    = regexp.MustCompile(`startxref\n(\d+)\n`)
)

// fixToUnicode swaps fpdf's CMap for the conforming one, moving the stream's
// /Length, the cross-reference offsets after it and startxref by the
// difference, so the file stays a valid PDF.
func fixToUnicode(pdf []byte) ([]byte, error) {
	at := bytes.Index(pdf, []byte(fpdfToUnicode))
	if at < 0 {
		return nil, fmt.Errorf("contractpdf: fpdf's ToUnicode CMap not found (fpdf changed?)")
	}
	head := pdf[:at]
	start := max(0, len(head)-40)
	m := lengthBefore.FindSubmatchIndex(head[start:])
	if m == nil {
		return nil, fmt.Errorf("contractpdf: no /Length before the CMap")
	}
	lenFrom, lenTo := start+m[2], start+m[3]
	newLength := strconv.Itoa(len(conformingToUnicode))
	delta := len(newLength) - (lenTo - lenFrom) + len(conformingToUnicode) - len(fpdfToUnicode)
	var out bytes.Buffer
	out.Write(pdf[:lenFrom])
	out.WriteString(newLength)
	out.Write(pdf[lenTo:at])
	out.WriteString(conformingToUnicode)
	rest := pdf[at+len(fpdfToUnicode):]
	shift := func(digits []byte, width int) []byte {
		n, _ := strconv.Atoi(string(digits))
		if n > at {
			n += delta
		}
		return fmt.Appendf(nil, "%0*d", width, n)
	}
	// Only the trailing cross-reference section is rewritten, never
	// stream data that happens to look like it.
	x := bytes.LastIndex(rest, []byte("\nxref\n"))
	if x < 0 {
		return nil, fmt.Errorf("contractpdf: no cross-reference table after the CMap")
	}
	out.Write(rest[:x])
	tail := xrefEntry.ReplaceAllFunc(rest[x:], func(e []byte) []byte {
		return append(shift(e[:10], 10), " 00000 n "...)
	})
	tail = startXref.ReplaceAllFunc(tail, func(s []byte) []byte {
		d := startXref.FindSubmatch(s)[1]
		return append(append([]byte("startxref\n"), shift(d, 0)...), '\n')
	})
	out.Write(tail)
	return out.Bytes(), nil
}
