package market

import (
	"context"

	"flexwork/ent"
	"flexwork/ent/rule"
	"flexwork/ent/skill"
)

// SkillDef is one entry of the skills taxonomy.
type SkillDef struct {
	Slug, Name string
	Category   skill.Category
	// CertificateRequired marks regulated skills: shifts usually require a
	// verified certificate for them.
	CertificateRequired bool
}

// Taxonomy is the skills list flexwork ships with. EnsureSkills keeps the
// database in step with it; add entries, never rename a slug (apps keep them).
var Taxonomy = []SkillDef{
	// Hospitality
	{"barista", "Barista", skill.CategoryHOSPITALITY, false},
	{"bartender", "Bartender", skill.CategoryHOSPITALITY, false},
	{"waiter", "Waiter / waitress", skill.CategoryHOSPITALITY, false},
	{"line-cook", "Line cook", skill.CategoryHOSPITALITY, false},
	{"kitchen-porter", "Kitchen porter / dishwasher", skill.CategoryHOSPITALITY, false},
	{"prep-cook", "Prep cook", skill.CategoryHOSPITALITY, false},
	{"host", "Host / hostess", skill.CategoryHOSPITALITY, false},
	{"food-handling", "Food handling and hygiene", skill.CategoryHOSPITALITY, true},
	{"banquet-server", "Banquet server", skill.CategoryHOSPITALITY, false},
	{"room-attendant", "Hotel room attendant", skill.CategoryHOSPITALITY, false},
	// Retail
	{"cashier", "Cashier", skill.CategoryRETAIL, false},
	{"shelf-stocking", "Shelf stocking / merchandising", skill.CategoryRETAIL, false},
	{"sales-assistant", "Sales assistant", skill.CategoryRETAIL, false},
	{"inventory-count", "Inventory counting", skill.CategoryRETAIL, false},
	{"visual-merchandising", "Visual merchandising", skill.CategoryRETAIL, false},
	{"fitting-room", "Fitting room attendant", skill.CategoryRETAIL, false},
	{"customer-service", "Customer service", skill.CategoryRETAIL, false},
	// Warehouse and logistics
	{"order-picking", "Order picking", skill.CategoryWAREHOUSE, false},
	{"packing", "Packing", skill.CategoryWAREHOUSE, false},
	{"forklift", "Forklift operation", skill.CategoryWAREHOUSE, true},
	{"reach-truck", "Reach truck operation", skill.CategoryWAREHOUSE, true},
	{"pallet-jack", "Electric pallet jack", skill.CategoryWAREHOUSE, false},
	{"loading", "Loading and unloading", skill.CategoryWAREHOUSE, false},
	{"rf-scanner", "RF scanner / WMS", skill.CategoryWAREHOUSE, false},
	{"goods-receiving", "Goods receiving", skill.CategoryWAREHOUSE, false},
	{"quality-check", "Quality inspection", skill.CategoryWAREHOUSE, false},
	// Events
	{"event-setup", "Event set-up and breakdown", skill.CategoryEVENTS, false},
	{"stagehand", "Stagehand", skill.CategoryEVENTS, false},
	{"security-guard", "Security guard", skill.CategoryEVENTS, true},
	{"crowd-steward", "Crowd steward", skill.CategoryEVENTS, false},
	{"ticketing", "Ticketing and entry control", skill.CategoryEVENTS, false},
	{"cloakroom", "Cloakroom attendant", skill.CategoryEVENTS, false},
	{"promoter", "Brand promoter", skill.CategoryEVENTS, false},
	{"runner", "Runner", skill.CategoryEVENTS, false},
	// Cleaning
	{"office-cleaning", "Office cleaning", skill.CategoryCLEANING, false},
	{"industrial-cleaning", "Industrial cleaning", skill.CategoryCLEANING, false},
	{"window-cleaning", "Window cleaning", skill.CategoryCLEANING, false},
	{"deep-cleaning", "Deep cleaning", skill.CategoryCLEANING, false},
	{"laundry", "Laundry", skill.CategoryCLEANING, false},
	{"hazardous-cleaning", "Hazardous materials cleaning", skill.CategoryCLEANING, true},
	// Care
	{"elderly-care", "Elderly care assistant", skill.CategoryCARE, true},
	{"childcare", "Childcare", skill.CategoryCARE, true},
	{"first-aid", "First aid", skill.CategoryCARE, true},
	{"disability-support", "Disability support", skill.CategoryCARE, true},
	{"companion", "Companion / home help", skill.CategoryCARE, false},
	{"medication-assist", "Medication assistance", skill.CategoryCARE, true},
	// Delivery
	{"bike-courier", "Bike courier", skill.CategoryDELIVERY, false},
	{"van-driver", "Van driver (category B)", skill.CategoryDELIVERY, true},
	{"truck-driver", "Truck driver (category C)", skill.CategoryDELIVERY, true},
	{"parcel-sorting", "Parcel sorting", skill.CategoryDELIVERY, false},
	{"food-delivery", "Food delivery", skill.CategoryDELIVERY, false},
	{"route-planning", "Route planning", skill.CategoryDELIVERY, false},
	{"moving-help", "Moving help", skill.CategoryDELIVERY, false},
	// Office
	{"reception", "Reception", skill.CategoryOFFICE, false},
	{"data-entry", "Data entry", skill.CategoryOFFICE, false},
	{"call-center", "Call centre agent", skill.CategoryOFFICE, false},
	{"mailroom", "Mailroom clerk", skill.CategoryOFFICE, false},
	{"admin-assistant", "Administrative assistant", skill.CategoryOFFICE, false},
	{"bookkeeping", "Bookkeeping basics", skill.CategoryOFFICE, false},
	{"translation", "Translation / interpreting", skill.CategoryOFFICE, false},
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
				SetSlug(d.Slug).SetName(d.Name).SetCategory(d.Category).SetCertificateRequired(d.CertificateRequired))
		}
	}
	if len(creates) == 0 {
		return nil
	}
	return c.Skill.CreateBulk(creates...).OnConflictColumns(skill.FieldSlug).DoNothing().Exec(ctx)
}
