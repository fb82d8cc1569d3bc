package contractpdf

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ledongthuc/pdf"
)

// text reads a PDF's text back with a PDF text extractor.
func text(t *testing.T, b []byte) string {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for i := 1; i <= r.NumPage(); i++ {
		p := r.Page(i)
		if p.V.IsNull() {
			continue
		}
		rows, err := p.GetTextByRow()
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			for _, w := range row.Content {
				out.WriteString(w.S)
			}
			out.WriteString("\n")
		}
	}
	return out.String()
}

func TestAContractPDFReadsBackInBothLanguages(t *testing.T) {
	b, err := Render(Contract{ID: "ctr_1", Sha256: "ab12", TemplateVersion: "flexwork-contract/cn/2026-12/v1", Revision: 1,
		Title: "灵活用工合同", Signatures: []string{"劳动者 Worker: 2026-12-01 09:00 UTC"},
		Body: "灵活用工合同（中华人民共和国）\n\n第一条 合同各方\n用人单位（劳务派遣单位）：申城人力\n\nArticle 1. Parties\nWorker: Li Na"})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.ReplaceAll(text(t, b), " ", "")
	for _, want := range []string{"灵活用工合同（中华人民共和国）", "第一条合同各方", "用人单位（劳务派遣单位）：申城人力", "Article1.Parties", "Worker:LiNa", "ctr_1"} {
		if !strings.Contains(got, want) {
			t.Errorf("the PDF's text lacks %q:\n%s", want, got)
		}
	}
	if len(b) > 400_000 {
		t.Errorf("the PDF is %d bytes: the font is not subset", len(b))
	}
	again, _ := Render(Contract{ID: "ctr_1", Sha256: "ab12", TemplateVersion: "flexwork-contract/cn/2026-12/v1", Revision: 1,
		Title: "灵活用工合同", Signatures: []string{"劳动者 Worker: 2026-12-01 09:00 UTC"},
		Body: "灵活用工合同（中华人民共和国）\n\n第一条 合同各方\n用人单位（劳务派遣单位）：申城人力\n\nArticle 1. Parties\nWorker: Li Na"})
	if !bytes.Equal(b, again) {
		t.Error("the same contract rendered to different bytes")
	}
}
