package jurisdiction

import (
	"bytes"
	"embed"
	"fmt"
	"slices"
	"strings"
	"text/template"
	"time"

	"flexwork/ent/schema/enum"
	"flexwork/i18n"
)

// ContractTemplate is a pack's contract wording: a version that changes with
// every change of the text (signed contracts keep it), the language whose
// text prevails, and one template per language in contracts/.
type ContractTemplate struct {
	Version  string
	Prevails string // i18n language whose text prevails when both are given
	// Bilingual: every contract carries both texts (CN: Chinese prevailing,
	// English beside it); otherwise the second text is the worker's
	// language when it is not the prevailing one.
	Bilingual bool
	file      string // contracts/<file>.<lang>.tmpl
}

var (
	genericContract = ContractTemplate{Version: "flexwork-contract/generic/2026-12/v3", Prevails: i18n.English, file: "generic"}
	cnContract      = ContractTemplate{Version: "flexwork-contract/cn/2026-12/v1", Prevails: i18n.Chinese, Bilingual: true, file: "cn"}
)

//go:embed contracts/*.tmpl
var contractFiles embed.FS

var contractTemplates = func() map[string]*template.Template {
	out := map[string]*template.Template{}
	for _, t := range []ContractTemplate{genericContract, cnContract} {
		for _, lang := range i18n.Languages {
			name := t.file + "." + lang + ".tmpl"
			out[name] = template.Must(template.ParseFS(contractFiles, "contracts/"+name))
		}
	}
	return out
}()

// Terms are the facts a contract states.
type Terms struct {
	Engagement               enum.EngagementType
	Employer, Agency, Worker string // the parties' names; Agency is "" without a third party
	Title, Address           string
	Lat, Lng                 float64
	Geofence                 int
	StartsAt, EndsAt         time.Time
	Location                 *time.Location
	BreakMinutes             int
	Pay                      i18n.Money
	PerHour                  bool
	PayCycleDays             int
	CancellationFee          i18n.Money
	NDA                      bool
	PostNature               string
	PostMonths               int
	// City is the place's city in the minimum-wage table (zero outside
	// it): its name, and whether it runs occupational-injury protection.
	City City
}

// Render writes the contract of a hire. The pack's prevailing language comes
// first; the other texts follow (the pack's second language, the worker's),
// each under a statement of which text prevails, so each party reads the
// contract in their language and all hold one text with one digest.
func (t ContractTemplate) Render(terms Terms, readers ...string) (string, error) {
	langs := []string{t.Prevails}
	if t.Bilingual {
		for _, l := range i18n.Languages {
			if l != t.Prevails {
				langs = append(langs, l)
			}
		}
	}
	for _, r := range readers {
		if l := i18n.Match(r); !slices.Contains(langs, l) {
			langs = append(langs, l)
		}
	}
	var b strings.Builder
	for i, lang := range langs {
		if i > 0 {
			b.WriteString("\n" + strings.Repeat("=", 60) + "\n\n")
		}
		if len(langs) > 1 {
			b.WriteString(i18n.T(lang, "contract.prevails", map[string]any{"Language": i18n.T(lang, "language."+t.Prevails, nil)}) + "\n\n")
		}
		text, err := t.render(terms, lang)
		if err != nil {
			return "", err
		}
		b.WriteString(text)
	}
	return b.String(), nil
}

func (t ContractTemplate) render(terms Terms, lang string) (string, error) {
	tmpl := contractTemplates[t.file+"."+lang+".tmpl"]
	var b bytes.Buffer
	unit := i18n.T(lang, "contract.unit.shift", nil)
	if terms.PerHour {
		unit = i18n.T(lang, "contract.unit.hour", nil)
	}
	city := terms.City.In(lang)
	err := tmpl.Execute(&b, map[string]any{
		"Version": t.Version, "Engagement": string(terms.Engagement),
		"Employer": terms.Employer, "Agency": terms.Agency, "Worker": terms.Worker,
		"Title": terms.Title, "Address": terms.Address,
		"Coordinates": fmt.Sprintf("%.5f, %.5f", terms.Lat, terms.Lng), "Geofence": terms.Geofence,
		"Start":    i18n.Day{T: terms.StartsAt, Loc: terms.Location}.In(lang) + " " + i18n.Clock{T: terms.StartsAt, Loc: terms.Location}.In(lang),
		"End":      i18n.Day{T: terms.EndsAt, Loc: terms.Location}.In(lang) + " " + i18n.Clock{T: terms.EndsAt, Loc: terms.Location}.In(lang),
		"TimeZone": terms.Location.String(), "Break": terms.BreakMinutes,
		"Pay": terms.Pay.In(lang), "Unit": unit, "PayCycleDays": terms.PayCycleDays,
		"Fee": terms.CancellationFee.In(lang), "NDA": terms.NDA,
		"PostNature": terms.PostNature, "PostMonths": terms.PostMonths,
		"InjuryCover": terms.City.InjuryCover, "City": city,
	})
	return b.String(), err
}
