package jurisdiction

import (
	"strconv"
	"time"

	"flexwork/ent/schema/enum"
	"flexwork/i18n"
)

// The CN pack follows the Labour Contract Law of the PRC (劳动合同法, in force
// 1 January 2008, amended 28 December 2012 with effect from 1 July 2013) and
// the Interim Provisions on Labour Dispatch (劳务派遣暂行规定, MOHRSS Order
// No. 22, in force 1 March 2014). Each rule names its article.

// CN rules, as they appear in extensions.failedRules.
const (
	RuleCurrency      = "CN_CURRENCY"         // shifts in China pay in yuan
	RulePartTimeHours = "CN_PART_TIME_HOURS"  // art. 68
	RulePayCycle      = "CN_PAY_CYCLE"        // art. 72
	RuleMinimumWage   = "CN_MINIMUM_WAGE"     // art. 72
	RuleAgency        = "CN_AGENCY"           // art. 58 (dispatch), outsourcing's contractor
	RuleDispatchPost  = "CN_DISPATCH_POST"    // art. 66; Interim Provisions art. 3
	RuleAgencyEmploys = "CN_AGENCY_EMPLOYS"   // art. 58: the agency is the worker's employer
	RuleRealName      = "CN_REAL_NAME"        // Cybersecurity Law art. 24: users' real identities
	RuleLicence       = "CN_BUSINESS_LICENCE" // E-Commerce Law art. 27: the platform verifies who offers work on it
)

// Part-time limits, art. 68: "以小时计酬为主，劳动者在同一用人单位一般平均每日
// 工作时间不超过四小时，每周工作时间累计不超过二十四小时".
const (
	partTimeDaily  = 4 * time.Hour
	partTimeWeekly = 24 * time.Hour
	// Art. 72: "非全日制用工劳动报酬结算支付周期最长不得超过十五日".
	partTimePayCycleDays = 15
	// Art. 66: "临时性工作岗位是指存续时间不超过六个月的岗位".
	temporaryPostMonths = 6
)

func cnPosting(s Shift) []Finding {
	out := []Finding{currency(s), licence(s)}
	switch s.Engagement {
	case enum.PartTime:
		out = append(out, payCycle(s), minimumWage(s))
	case enum.Dispatch:
		out = append(out, agency(s, "AGENCY"), dispatchPost(s))
	case enum.Outsourcing:
		out = append(out, agency(s, "CONTRACTOR"))
	}
	return out
}

func cnHiring(h Hire) []Finding {
	out := []Finding{realName(h)}
	switch h.Shift.Engagement {
	case enum.PartTime:
		out = append(out, partTimeHours(h))
	case enum.Dispatch, enum.Outsourcing:
		if h.Employed {
			out = append(out, pass(RuleAgencyEmploys, "agency_employs.pass", nil))
		} else {
			out = append(out, fail(RuleAgencyEmploys, "agency_employs.fail", nil))
		}
	}
	return out
}

// realName: whoever is hired in China has had their real name verified
// (网络安全法 art. 24: network operators take users' real identities).
func realName(h Hire) Finding {
	if h.RealName {
		return pass(RuleRealName, "real_name.pass", nil)
	}
	return fail(RuleRealName, "real_name.fail", nil)
}

// licence: only an organisation whose business licence staff verified
// posts work in China (电子商务法 art. 27: the platform verifies who
// operates on it) — no fake employers declaring fake workers.
func licence(s Shift) Finding {
	if s.Licensed {
		return pass(RuleLicence, "business_licence.pass", nil)
	}
	return fail(RuleLicence, "business_licence.fail", nil)
}

func currency(s Shift) Finding {
	if s.Currency == "CNY" {
		return pass(RuleCurrency, "currency.pass", nil)
	}
	return fail(RuleCurrency, "currency.fail", map[string]any{"Currency": s.Currency})
}

func payCycle(s Shift) Finding {
	data := map[string]any{"Days": s.PayCycleDays, "Max": partTimePayCycleDays}
	if s.PayCycleDays <= partTimePayCycleDays {
		return pass(RulePayCycle, "pay_cycle.pass", data)
	}
	return fail(RulePayCycle, "pay_cycle.fail", data)
}

// minimumWage compares the hourly pay with the floor of the city the shift
// is in; a place outside the table has no floor on file, which the verdict
// says rather than inventing one.
func minimumWage(s Shift) Finding {
	c, ok := CityAt(s.Lat, s.Lng)
	if !ok {
		return pass(RuleMinimumWage, "minimum_wage.unknown", nil)
	}
	data := map[string]any{"City": c, "Floor": i18n.Money{Amount: c.HourlyFloor, Currency: "CNY", Digits: 2},
		"Rate": i18n.Money{Amount: s.HourlyRate, Currency: s.Currency, Digits: 2}, "Effective": c.Effective.Format(time.DateOnly)}
	if s.HourlyRate >= c.HourlyFloor {
		return pass(RuleMinimumWage, "minimum_wage.pass", data)
	}
	return fail(RuleMinimumWage, "minimum_wage.fail", data)
}

func agency(s Shift, kind string) Finding {
	data := map[string]any{"Kind": kind}
	switch {
	case s.Agency.ID == "":
		return fail(RuleAgency, "agency.missing."+kind, data)
	case s.Agency.Kind != kind:
		return fail(RuleAgency, "agency.kind."+kind, data)
	case s.Agency.Jurisdiction != CN:
		return fail(RuleAgency, "agency.jurisdiction", data)
	}
	return pass(RuleAgency, "agency.pass."+kind, data)
}

func dispatchPost(s Shift) Finding {
	data := map[string]any{"Months": s.PostMonths, "Max": temporaryPostMonths}
	switch s.PostNature {
	case "":
		return fail(RuleDispatchPost, "dispatch_post.missing", data)
	case "TEMPORARY":
		if s.PostMonths < 1 || s.PostMonths > temporaryPostMonths {
			return fail(RuleDispatchPost, "dispatch_post.too_long", data)
		}
	}
	return pass(RuleDispatchPost, "dispatch_post.pass."+s.PostNature, data)
}

// partTimeHours counts the worker's paid hours with the employer in the
// shift's week, this hire included: at most 24 in the week and on average
// at most 4 on each day worked.
func partTimeHours(h Hire) Finding {
	total := h.Shift.Paid()
	days := map[string]bool{h.Shift.StartsAt.In(h.Shift.Location).Format(time.DateOnly): true}
	for _, o := range h.Others {
		total += o.EndsAt.Sub(o.StartsAt) - time.Duration(o.UnpaidBreakMinutes)*time.Minute
		days[o.StartsAt.In(h.Shift.Location).Format(time.DateOnly)] = true
	}
	avg := total / time.Duration(len(days))
	data := map[string]any{"Week": hours(total), "Days": len(days), "Average": hours(avg),
		"MaxWeek": hours(partTimeWeekly), "MaxDay": hours(partTimeDaily)}
	switch {
	case total > partTimeWeekly:
		return fail(RulePartTimeHours, "part_time_hours.week", data)
	case avg > partTimeDaily:
		return fail(RulePartTimeHours, "part_time_hours.day", data)
	}
	return pass(RulePartTimeHours, "part_time_hours.pass", data)
}

// hours writes a duration in hours with at most one decimal: "4", "4.5".
func hours(d time.Duration) string {
	return strconv.FormatFloat(d.Round(6*time.Minute).Hours(), 'f', -1, 64)
}

// WeekOf is the Monday 00:00 to Monday 00:00 week, local time, that holds t:
// the span art. 68's weekly limit counts.
func WeekOf(t time.Time, loc *time.Location) (time.Time, time.Time) {
	l := t.In(loc)
	back := (int(l.Weekday()) + 6) % 7
	start := time.Date(l.Year(), l.Month(), l.Day()-back, 0, 0, 0, 0, loc)
	return start, start.AddDate(0, 0, 7)
}
