package jurisdiction

import (
	"strings"
	"testing"
	"time"

	"flexwork/ent/schema/enum"
	"flexwork/i18n"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

// partTime is a lawful 4-hour part-time shift in Shanghai on a Monday,
// posted by an employer whose licence is verified.
func partTime() Shift {
	start := time.Date(2026, 12, 7, 9, 0, 0, 0, shanghai)
	return Shift{Engagement: enum.PartTime, StartsAt: start, EndsAt: start.Add(4 * time.Hour), Location: shanghai,
		HourlyRate: 3000, Currency: "CNY", Lat: 31.23, Lng: 121.47, PayCycleDays: 7, Licensed: true}
}

// TestCNWantsVerifiedPeopleAndOrganisations: an unverified employer posts
// nothing, an unverified worker is hired by nobody, whatever the form.
func TestCNWantsVerifiedPeopleAndOrganisations(t *testing.T) {
	s := partTime()
	s.Licensed = false
	if f, en, zh := verdict(t, For(CN).Posting(s), RuleLicence); f.Passed || !strings.Contains(en, "art. 27") || !strings.Contains(zh, "营业执照") {
		t.Errorf("an unlicensed employer posting: passed=%v %q %q", f.Passed, en, zh)
	}
	for _, e := range []enum.EngagementType{enum.PartTime, enum.PlatformGig, enum.Dispatch} {
		s.Engagement = e
		if f, _, zh := verdict(t, For(CN).Hiring(Hire{Shift: s}), RuleRealName); f.Passed || !strings.Contains(zh, "实名认证") {
			t.Errorf("%s: an unverified worker hired", e)
		}
		if f, _, _ := verdict(t, For(CN).Hiring(Hire{Shift: s, RealName: true}), RuleRealName); !f.Passed {
			t.Errorf("%s: a verified worker refused", e)
		}
	}
	if fs := For(Generic).Hiring(Hire{Shift: s}); len(Failed(fs)) != 0 {
		t.Errorf("the generic pack asks for real names: %+v", fs)
	}
}

// verdict runs check and returns the finding of rule, with its message in
// both languages.
func verdict(t *testing.T, fs []Finding, rule string) (Finding, string, string) {
	t.Helper()
	for _, f := range fs {
		if f.Rule == rule {
			en, zh := i18n.T(i18n.English, "law."+f.Key, f.Data), i18n.T(i18n.Chinese, "law."+f.Key, f.Data)
			if en == "law."+f.Key || zh == "law."+f.Key {
				t.Fatalf("%s: message law.%s is missing", rule, f.Key)
			}
			return f, en, zh
		}
	}
	t.Fatalf("no verdict for %s in %+v", rule, fs)
	return Finding{}, "", ""
}

func TestCNMinimumWagePerCity(t *testing.T) {
	s := partTime()
	if f, _, _ := verdict(t, For(CN).Posting(s), RuleMinimumWage); !f.Passed {
		t.Fatal("30 yuan an hour in Shanghai was refused")
	}
	s.HourlyRate = 2400
	f, en, zh := verdict(t, For(CN).Posting(s), RuleMinimumWage)
	if f.Passed {
		t.Fatal("24 yuan an hour in Shanghai passed, below the 25 floor")
	}
	if !strings.Contains(en, "CN¥25.00") || !strings.Contains(en, "Shanghai") || !strings.Contains(zh, "¥25.00") || !strings.Contains(zh, "上海") {
		t.Errorf("the refusal does not state the floor: %q / %q", en, zh)
	}
	s.Lat, s.Lng = 39.9, 116.4 // Beijing: 27.70
	s.HourlyRate = 2700
	if f, _, zh := verdict(t, For(CN).Posting(s), RuleMinimumWage); f.Passed || !strings.Contains(zh, "北京") || !strings.Contains(zh, "¥27.70") {
		t.Errorf("27 yuan in Beijing: passed=%v %q", f.Passed, zh)
	}
}

func TestCNPartTimePayCycle(t *testing.T) {
	s := partTime()
	s.PayCycleDays = 15
	if f, _, _ := verdict(t, For(CN).Posting(s), RulePayCycle); !f.Passed {
		t.Fatal("a 15-day cycle was refused")
	}
	s.PayCycleDays = 16
	if f, en, zh := verdict(t, For(CN).Posting(s), RulePayCycle); f.Passed || !strings.Contains(en, "art. 72") || !strings.Contains(zh, "第七十二条") {
		t.Errorf("a 16-day cycle: passed=%v %q %q", f.Passed, en, zh)
	}
}

func TestCNCurrency(t *testing.T) {
	s := partTime()
	s.Currency = "EUR"
	if f, en, _ := verdict(t, For(CN).Posting(s), RuleCurrency); f.Passed || !strings.Contains(en, "EUR") {
		t.Errorf("EUR in China: passed=%v %q", f.Passed, en)
	}
}

func TestCNPartTimeHoursAcrossShifts(t *testing.T) {
	h := Hire{Shift: partTime()}
	// Five more 4-hour days with the employer this week: 4 + 20 = 24 hours.
	for d := 1; d <= 5; d++ {
		start := h.Shift.StartsAt.AddDate(0, 0, d)
		h.Others = append(h.Others, Interval{StartsAt: start, EndsAt: start.Add(4 * time.Hour)})
	}
	if f, _, _ := verdict(t, For(CN).Hiring(h), RulePartTimeHours); !f.Passed {
		t.Fatal("24 hours over 6 days was refused")
	}
	start := h.Shift.StartsAt.AddDate(0, 0, 6)
	h.Others = append(h.Others, Interval{StartsAt: start, EndsAt: start.Add(2 * time.Hour)})
	if f, en, zh := verdict(t, For(CN).Hiring(h), RulePartTimeHours); f.Passed || !strings.Contains(en, "26 hours") || !strings.Contains(zh, "26 小时") {
		t.Errorf("26 hours a week: passed=%v %q %q", f.Passed, en, zh)
	}
	// One day of 4 plus one of 5: 9 hours over 2 days, 4.5 a day.
	h = Hire{Shift: partTime()}
	h.Shift.EndsAt = h.Shift.StartsAt.Add(5 * time.Hour)
	other := h.Shift.StartsAt.AddDate(0, 0, 1)
	h.Others = []Interval{{StartsAt: other, EndsAt: other.Add(4 * time.Hour)}}
	if f, en, _ := verdict(t, For(CN).Hiring(h), RulePartTimeHours); f.Passed || !strings.Contains(en, "4.5 hours a day") {
		t.Errorf("4.5 a day: passed=%v %q", f.Passed, en)
	}
}

func TestCNDispatchPostAndAgency(t *testing.T) {
	s := partTime()
	s.Engagement = enum.Dispatch
	fs := For(CN).Posting(s)
	if f, _, _ := verdict(t, fs, RuleAgency); f.Passed {
		t.Error("a dispatch shift with no agency passed")
	}
	if f, _, zh := verdict(t, fs, RuleDispatchPost); f.Passed || !strings.Contains(zh, "临时性") {
		t.Errorf("a dispatch shift with no post nature: passed=%v %q", f.Passed, zh)
	}
	s.Agency = Organisation{ID: "emp_1", Kind: "EMPLOYER", Jurisdiction: CN}
	if f, _, _ := verdict(t, For(CN).Posting(s), RuleAgency); f.Passed {
		t.Error("an employer named as the agency passed")
	}
	s.Agency.Kind = "AGENCY"
	s.PostNature, s.PostMonths = "TEMPORARY", 7
	fs = For(CN).Posting(s)
	if f, _, _ := verdict(t, fs, RuleAgency); !f.Passed {
		t.Error("a CN agency was refused")
	}
	if f, en, _ := verdict(t, fs, RuleDispatchPost); f.Passed || !strings.Contains(en, "6 months") {
		t.Errorf("a 7-month temporary post: passed=%v %q", f.Passed, en)
	}
	s.PostMonths = 6
	if f, _, _ := verdict(t, For(CN).Posting(s), RuleDispatchPost); !f.Passed {
		t.Error("a 6-month temporary post was refused")
	}
	s.PostNature, s.PostMonths = "AUXILIARY", 0
	if fs := Failed(For(CN).Posting(s)); len(fs) != 0 {
		t.Errorf("a lawful dispatch shift failed %+v", fs)
	}
	if f, _, _ := verdict(t, For(CN).Hiring(Hire{Shift: s}), RuleAgencyEmploys); f.Passed {
		t.Error("a worker the agency does not employ was hired")
	}
	if f, _, _ := verdict(t, For(CN).Hiring(Hire{Shift: s, Employed: true}), RuleAgencyEmploys); !f.Passed {
		t.Error("the agency's own worker was refused")
	}
}

func TestTheGenericPackKeepsTodaysRules(t *testing.T) {
	s := partTime()
	s.Currency, s.HourlyRate, s.PayCycleDays = "EUR", 1, 30
	if fs := For(Generic).Posting(s); len(fs) != 0 {
		t.Errorf("the generic pack checks %+v", fs)
	}
	if For("XX").Code != Generic {
		t.Error("an unknown jurisdiction is not the generic pack")
	}
}

func TestWeekOfStartsOnMonday(t *testing.T) {
	sun := time.Date(2026, 12, 13, 23, 0, 0, 0, shanghai)
	from, to := WeekOf(sun, shanghai)
	if from.Weekday() != time.Monday || from.Day() != 7 || to.Day() != 14 {
		t.Errorf("week of Sunday 13 Dec = %v – %v", from, to)
	}
}

func TestContractsAreBilingualWhereTheLawIsChinese(t *testing.T) {
	s := partTime()
	terms := Terms{Engagement: enum.Dispatch, Employer: "浦东物流仓", Agency: "申城人力", Worker: "李娜", Title: "分拣员",
		Address: "上海市浦东新区", StartsAt: s.StartsAt, EndsAt: s.EndsAt, Location: shanghai,
		Pay: i18n.Money{Amount: 3000, Currency: "CNY", Digits: 2}, PerHour: true, PayCycleDays: 7,
		PostNature: "TEMPORARY", PostMonths: 3}
	body, err := For(CN).Contract.Render(terms, i18n.Chinese)
	if err != nil {
		t.Fatal(err)
	}
	zh, en := strings.Index(body, "第一条 合同各方"), strings.Index(body, "Article 1. Parties")
	if zh < 0 || en < zh {
		t.Fatalf("the CN contract is not Chinese first, then English:\n%s", body)
	}
	for _, want := range []string{"以中文文本为准", "the Chinese text prevails", "用人单位（劳务派遣单位）：申城人力", "同工同酬",
		"临时性岗位，存续期间为 3 个月", "每小时 ¥30.00", "CN¥30.00 per hour", "equal pay for equal work", "第六十六条", "art. 66",
		"代扣代缴", "个人信息保护法", "Personal Information Protection Law"} {
		if !strings.Contains(body, want) {
			t.Errorf("the dispatch contract lacks %q", want)
		}
	}
	terms.Engagement, terms.Agency = enum.PartTime, ""
	body, _ = For(CN).Contract.Render(terms, i18n.English)
	for _, want := range []string{"不约定试用期", "不向劳动者支付经济补偿", "最长不超过十五日", "no probation period", "owes no severance"} {
		if !strings.Contains(body, want) {
			t.Errorf("the part-time contract lacks %q", want)
		}
	}
	generic, _ := For(Generic).Contract.Render(terms, i18n.English)
	if strings.Contains(generic, "灵活用工合同") || !strings.Contains(generic, "FLEXIBLE WORK CONTRACT") {
		t.Errorf("an English reader's generic contract is not English only:\n%s", generic)
	}
	generic, _ = For(Generic).Contract.Render(terms, i18n.Chinese)
	if !strings.Contains(generic, "灵活用工合同") || !strings.Contains(generic, "the English text prevails") {
		t.Errorf("a Chinese reader's generic contract lacks the Chinese text:\n%s", generic)
	}
}
