// Package contractpdf renders a contract's stored text as a PDF for the
// parties to download and keep. The text is the signed one, byte for byte;
// the PDF adds only a header with the contract's ID, digest and
// signatures. CJK text needs a TrueType font (fpdf embeds TrueType outlines,
// not CFF): Droid Sans Fallback (Apache-2.0, font/COPYRIGHT) covers Chinese
// and Latin, and fpdf embeds only the glyphs a contract uses.
package contractpdf

import (
	"bytes"
	_ "embed"
	"fmt"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
)

//go:embed font/DroidSansFallbackFull.ttf
var font []byte

// Contract is what the PDF shows.
type Contract struct {
	ID, Sha256, TemplateVersion string
	Revision                    int
	Body                        string
	// Signatures are the parties' signing lines, e.g. "Worker: 2026-12-01 09:00 UTC".
	Signatures []string
	Title      string // the document title in the contract's first language
}

// Render writes the PDF.
func Render(c Contract) ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetTitle(c.Title, true)
	pdf.SetCreator("flexwork", true)
	// A fixed creation date: the same contract renders to the same bytes.
	pdf.SetCreationDate(time.Unix(0, 0).UTC())
	pdf.SetModificationDate(time.Unix(0, 0).UTC())
	pdf.AddUTF8FontFromBytes("droid", "", font)
	pdf.SetMargins(18, 18, 18)
	pdf.SetAutoPageBreak(true, 18)
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont("droid", "", 7)
		pdf.CellFormat(0, 5, fmt.Sprintf("%s · SHA-256 %s · %d/{nb}", c.ID, c.Sha256, pdf.PageNo()), "", 0, "C", false, 0, "")
	})
	pdf.AliasNbPages("")
	pdf.AddPage()
	pdf.SetFont("droid", "", 8)
	pdf.MultiCell(0, 4, fmt.Sprintf("%s · %s · rev. %d\nSHA-256 %s", c.ID, c.TemplateVersion, c.Revision, c.Sha256), "", "L", false)
	for _, s := range c.Signatures {
		pdf.MultiCell(0, 4, s, "", "L", false)
	}
	pdf.Ln(4)
	pdf.SetFont("droid", "", 10)
	for _, line := range strings.Split(c.Body, "\n") {
		if line == "" {
			pdf.Ln(3)
			continue
		}
		pdf.MultiCell(0, 5, line, "", "L", false)
	}
	var b bytes.Buffer
	if err := pdf.Output(&b); err != nil {
		return nil, err
	}
	return fixToUnicode(b.Bytes())
}
