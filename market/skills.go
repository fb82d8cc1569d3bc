package market

import (
	"context"
	"strings"

	"flexwork/ent"
	"flexwork/ent/rule"
	"flexwork/ent/skill"
	"flexwork/i18n"
)

// SkillDef is one entry of the skills taxonomy. Its name, in each language,
// is the message skill.<slug> (i18n/messages).
type SkillDef struct {
	Slug     string
	Category skill.Category
	// CertificateRequired marks regulated skills: shifts usually require a
	// verified certificate for them.
	CertificateRequired bool
}

// Taxonomy is the skills list flexwork ships with. EnsureSkills keeps the
// database in step with it; add entries, never rename a slug (apps keep them).
var Taxonomy = []SkillDef{
	// Hospitality
	{"barista", skill.CategoryHOSPITALITY, false},
	{"bartender", skill.CategoryHOSPITALITY, false},
	{"waiter", skill.CategoryHOSPITALITY, false},
	{"line-cook", skill.CategoryHOSPITALITY, false},
	{"kitchen-porter", skill.CategoryHOSPITALITY, false},
	{"prep-cook", skill.CategoryHOSPITALITY, false},
	{"host", skill.CategoryHOSPITALITY, false},
	{"food-handling", skill.CategoryHOSPITALITY, true},
	{"banquet-server", skill.CategoryHOSPITALITY, false},
	{"room-attendant", skill.CategoryHOSPITALITY, false},
	// Retail
	{"cashier", skill.CategoryRETAIL, false},
	{"shelf-stocking", skill.CategoryRETAIL, false},
	{"sales-assistant", skill.CategoryRETAIL, false},
	{"inventory-count", skill.CategoryRETAIL, false},
	{"visual-merchandising", skill.CategoryRETAIL, false},
	{"fitting-room", skill.CategoryRETAIL, false},
	{"customer-service", skill.CategoryRETAIL, false},
	// Warehouse and logistics
	{"order-picking", skill.CategoryWAREHOUSE, false},
	{"packing", skill.CategoryWAREHOUSE, false},
	{"forklift", skill.CategoryWAREHOUSE, true},
	{"reach-truck", skill.CategoryWAREHOUSE, true},
	{"pallet-jack", skill.CategoryWAREHOUSE, false},
	{"loading", skill.CategoryWAREHOUSE, false},
	{"rf-scanner", skill.CategoryWAREHOUSE, false},
	{"goods-receiving", skill.CategoryWAREHOUSE, false},
	{"quality-check", skill.CategoryWAREHOUSE, false},
	// Events
	{"event-setup", skill.CategoryEVENTS, false},
	{"stagehand", skill.CategoryEVENTS, false},
	{"security-guard", skill.CategoryEVENTS, true},
	{"crowd-steward", skill.CategoryEVENTS, false},
	{"ticketing", skill.CategoryEVENTS, false},
	{"cloakroom", skill.CategoryEVENTS, false},
	{"promoter", skill.CategoryEVENTS, false},
	{"runner", skill.CategoryEVENTS, false},
	// Cleaning
	{"office-cleaning", skill.CategoryCLEANING, false},
	{"industrial-cleaning", skill.CategoryCLEANING, false},
	{"window-cleaning", skill.CategoryCLEANING, false},
	{"deep-cleaning", skill.CategoryCLEANING, false},
	{"laundry", skill.CategoryCLEANING, false},
	{"hazardous-cleaning", skill.CategoryCLEANING, true},
	// Care
	{"elderly-care", skill.CategoryCARE, true},
	{"childcare", skill.CategoryCARE, true},
	{"first-aid", skill.CategoryCARE, true},
	{"disability-support", skill.CategoryCARE, true},
	{"companion", skill.CategoryCARE, false},
	{"medication-assist", skill.CategoryCARE, true},
	// Delivery
	{"bike-courier", skill.CategoryDELIVERY, false},
	{"van-driver", skill.CategoryDELIVERY, true},
	{"truck-driver", skill.CategoryDELIVERY, true},
	{"parcel-sorting", skill.CategoryDELIVERY, false},
	{"food-delivery", skill.CategoryDELIVERY, false},
	{"route-planning", skill.CategoryDELIVERY, false},
	{"moving-help", skill.CategoryDELIVERY, false},
	// Office
	{"reception", skill.CategoryOFFICE, false},
	{"data-entry", skill.CategoryOFFICE, false},
	{"call-center", skill.CategoryOFFICE, false},
	{"mailroom", skill.CategoryOFFICE, false},
	{"admin-assistant", skill.CategoryOFFICE, false},
	{"bookkeeping", skill.CategoryOFFICE, false},
	{"translation", skill.CategoryOFFICE, false},
}

// SkillName is a skill's name in its reader's language: the message
// skill.<slug>, or the stored name for a skill the taxonomy does not know.
type SkillName struct{ Slug, Stored string }

// In implements i18n.Localized.
func (n SkillName) In(lang string) string {
	if n.Slug != "" {
		if id := "skill." + n.Slug; i18n.Has(id) {
			return i18n.T(lang, id, nil)
		}
	}
	return n.Stored
}

// skillNames lists skills' names in their reader's language.
type skillNames []SkillName

// In implements i18n.Localized.
func (ns skillNames) In(lang string) string {
	sep := ", "
	if lang == i18n.Chinese {
		sep = "、"
	}
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.In(lang)
	}
	return strings.Join(out, sep)
}

// EnsureSkills adds the taxonomy's missing skills; the server runs it at
// start, so a new entry reaches every database without a data migration.
func EnsureSkills(ctx context.Context, c *ent.Client) error {
	ctx = rule.System(ctx)
	have, err := c.Skill.Query().Select(skill.FieldSlug).Strings(ctx)
	if err != nil {
		return err
	}
	known := make(map[string]bool, len(have))
	for _, s := range have {
		known[s] = true
	}
	var creates []*ent.SkillCreate
	for _, d := range Taxonomy {
		if !known[d.Slug] {
			creates = append(creates, c.Skill.Create().
				SetSlug(d.Slug).SetName(i18n.T(i18n.English, "skill."+d.Slug, nil)).SetCategory(d.Category).SetCertificateRequired(d.CertificateRequired))
		}
	}
	if len(creates) == 0 {
		return nil
	}
	return c.Skill.CreateBulk(creates...).OnConflictColumns(skill.FieldSlug).DoNothing().Exec(ctx)
}
