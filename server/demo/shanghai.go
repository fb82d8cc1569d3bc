package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"flexwork/ent"
	"flexwork/ent/employer"
	"flexwork/ent/insurancecover"
	"flexwork/ent/rosterentry"
	"flexwork/ent/schema/enum"
	"flexwork/ent/shift"
	"flexwork/ent/viewer"
	"flexwork/i18n"
	"flexwork/market"
	"flexwork/market/jurisdiction"
	"flexwork/server/auth"
)

// Shanghai is the middle of the second demo city: People's Square.
var Shanghai = market.GeoPoint{Lat: 31.2304, Lng: 121.4737}

// cnOrg is an organisation of the Shanghai demo, under CN law.
type cnOrg struct {
	name, slug, description string
	kind                    employer.Kind
	// posts: the engagement of the shifts it posts, their skills, and the
	// third party they name (a slug of another cnOrg); none for a third
	// party that only employs and signs.
	engagement enum.EngagementType
	skills     []string
	agency     string
	km         float64
	// onCredit: paid wages by bank transfer after the work, with no funds
	// at flexwork, instead of prefunded from escrow.
	onCredit bool
}

// cnOrgs are the four forms of flexible work in one city: a restaurant chain
// with part-time staff, a warehouse staffed by a dispatch agency, a
// platform-gig delivery partner, an office tower whose cleaning is
// outsourced to a contractor.
var cnOrgs = []cnOrg{
	{name: "申城人力资源", slug: "shencheng-hr", description: "劳务派遣单位（持劳务派遣经营许可证）。", kind: employer.KindAGENCY, km: 3},
	{name: "净美保洁服务", slug: "jingmei-cleaning", description: "保洁外包服务商。", kind: employer.KindCONTRACTOR, km: 5},
	{name: "老弄堂餐饮", slug: "laonongtang", description: "本帮菜连锁餐厅，四家门店。", kind: employer.KindEMPLOYER,
		engagement: enum.PartTime, skills: []string{"waiter", "kitchen-porter", "cashier"}, km: 1.5, onCredit: true},
	{name: "浦东物流仓", slug: "pudong-logistics", description: "电商分拨中心与仓库。", kind: employer.KindEMPLOYER,
		engagement: enum.Dispatch, skills: []string{"order-picking", "packing", "loading"}, agency: "shencheng-hr", km: 12},
	{name: "闪送同城配送", slug: "shansong", description: "同城即时配送合作商。", kind: employer.KindEMPLOYER,
		engagement: enum.PlatformGig, skills: []string{"food-delivery", "bike-courier"}, km: 2},
	{name: "陆家嘴中心大厦", slug: "lujiazui-tower", description: "甲级写字楼。", kind: employer.KindEMPLOYER,
		engagement: enum.Outsourcing, skills: []string{"office-cleaning", "window-cleaning"}, agency: "jingmei-cleaning", km: 3},
}

var cnNames = []string{"李娜", "王伟", "张敏", "刘洋", "陈静", "杨帆", "赵磊", "黄丽", "周杰", "吴芳"}

// seedShanghai builds the Chinese demo city: CN-jurisdiction organisations
// of each form, ten workers whose phones are set to Chinese (the dispatch
// agency and the cleaning contractor employ some of them), lawful shifts
// of every form, and one dispatch hire signed by all three parties.
func seedShanghai(ctx context.Context, accounts *auth.Accounts, m *market.Market, rng *rand.Rand,
	bySlug map[string]*ent.Skill, sum *Summary, fund func(*ent.Employer, int64, string) error, staff context.Context) error {
	zh := i18n.WithLanguage(ctx, i18n.Chinese)
	signUp := func(email, name string) (*viewer.Viewer, error) {
		u, err := accounts.CreateAccount(zh, auth.SignUpInput{Email: email, Password: Password, DisplayName: name})
		if err != nil {
			return nil, fmt.Errorf("demo: sign up %s: %w", email, err)
		}
		return &viewer.Viewer{UserID: u.ID, Locale: i18n.Chinese, Roles: map[string]viewer.Role{}}, nil
	}
	as := func(v *viewer.Viewer) context.Context { return viewer.NewContext(zh, v) }

	orgs, owners := map[string]*ent.Employer{}, map[string]context.Context{}
	for _, o := range cnOrgs {
		owner, err := signUp("owner@"+o.slug+".demo", o.name+"负责人")
		if err != nil {
			return err
		}
		where := around(rng, Shanghai, o.km)
		kind, cn := o.kind, employer.JurisdictionCN
		created, err := m.CreateEmployer(as(owner), market.CreateEmployerInput{Name: o.name, Description: &o.description,
			Location: &where, Kind: &kind, Jurisdiction: &cn})
		if err != nil {
			return fmt.Errorf("demo: %s: %w", o.name, err)
		}
		owner.Roles[created.Employer.ID] = viewer.RoleOwner
		// Staff verified its business licence: the CN pack posts nothing before.
		if _, err := m.SubmitBusinessLicence(as(owner), market.LicenceInput{EmployerID: created.Employer.ID,
			CreditCode: jurisdiction.CreditCode(len(orgs) + 1)}); err != nil {
			return fmt.Errorf("demo: %s licence: %w", o.name, err)
		}
		if _, err := m.DecideBusinessLicence(staff, market.DecideLicenceInput{EmployerID: created.Employer.ID, Verified: true}); err != nil {
			return fmt.Errorf("demo: %s licence: %w", o.name, err)
		}
		if o.onCredit {
			if _, err := m.SetFundingTerms(staff, market.FundingTermsInput{EmployerID: created.Employer.ID, Terms: employer.FundingTermsCREDIT}); err != nil {
				return fmt.Errorf("demo: %s terms: %w", o.name, err)
			}
		} else if err := fund(created.Employer, 30_000_000, "CNY"); err != nil {
			return fmt.Errorf("demo: funding %s: %w", o.name, err)
		}
		orgs[o.slug], owners[o.slug] = created.Employer, as(owner)
		sum.Employers++
	}

	var workers []context.Context
	for i, name := range cnNames {
		w, err := signUp(fmt.Sprintf("sh-worker%d@demo.flexwork", i+1), name)
		if err != nil {
			return err
		}
		home, radius := around(rng, Shanghai, 1+rng.Float64()*8), 20
		var skills []market.WorkerSkillInput
		for _, o := range cnOrgs {
			for _, slug := range o.skills {
				if s := bySlug[slug]; s != nil && (i == 0 || rng.IntN(3) == 0) {
					skills = append(skills, market.WorkerSkillInput{SkillID: s.ID, Years: 1 + rng.IntN(5)})
				}
			}
		}
		headline := "踏实肯干，做过多种灵活工作"
		p, err := m.UpdateWorkerProfile(as(w), market.UpdateWorkerProfileInput{Headline: &headline, HomeLocation: &home,
			TravelRadiusKm: &radius, Skills: skills, EngagementTypes: enum.EngagementTypes})
		if err != nil {
			return fmt.Errorf("demo: %s: %w", name, err)
		}
		w.WorkerID = p.WorkerProfile.ID
		// Their real name, verified by staff (made-up numbers).
		if _, err := m.SubmitRealName(as(w), market.RealNameInput{LegalName: name,
			IDNumber: jurisdiction.ResidentID(time.Date(1985+i%15, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC), i)}); err != nil {
			return fmt.Errorf("demo: %s real name: %w", name, err)
		}
		if _, err := m.DecideRealName(staff, market.DecideRealNameInput{UserID: w.UserID, Verified: true}); err != nil {
			return fmt.Errorf("demo: %s real name: %w", name, err)
		}
		workers = append(workers, as(w))
		sum.Workers++
		// The agency employs the first four, the contractor the next three.
		for _, emp := range []struct {
			slug     string
			from, to int
		}{{"shencheng-hr", 0, 4}, {"jingmei-cleaning", 4, 7}} {
			if i >= emp.from && i < emp.to {
				if _, err := m.SetRoster(owners[emp.slug], market.RosterInput{EmployerID: orgs[emp.slug].ID,
					WorkerID: w.WorkerID, Kind: rosterentry.KindEMPLOYED}); err != nil {
					return fmt.Errorf("demo: %s employs %s: %w", emp.slug, name, err)
				}
			}
		}
	}

	var dispatch string
	for _, o := range cnOrgs {
		if o.engagement == "" {
			continue
		}
		e := orgs[o.slug]
		for n := range 4 {
			s := bySlug[o.skills[n%len(o.skills)]]
			start := m.Now().Truncate(24*time.Hour).AddDate(0, 0, 1+n).Add(time.Duration(1+rng.IntN(6)) * time.Hour) // 09:00–14:00 in Shanghai
			place := around(rng, market.GeoPoint{Lat: *e.Lat, Lng: *e.Lng}, rng.Float64())
			in := market.CreateShiftInput{
				EmployerID: e.ID, Title: s.Name, EngagementType: o.engagement,
				Address: "上海市 " + e.Name, Location: place, StartsAt: start, EndsAt: start.Add(4 * time.Hour),
				TimeZone: "Asia/Shanghai", Pay: market.Money{Amount: int64(2800 + 100*rng.IntN(10)), Currency: "CNY"},
				PayUnit: shift.PayUnitHOUR, Slots: 1 + rng.IntN(3), RequiredSkillIDs: []string{s.ID},
			}
			if o.agency != "" {
				in.AgencyID = &orgs[o.agency].ID
			}
			if o.engagement == enum.Dispatch {
				nature, months := shift.PostNatureTEMPORARY, 3
				in.PostNature, in.PostMonths = &nature, &months
			}
			created, err := m.CreateShift(owners[o.slug], in)
			if err != nil {
				return fmt.Errorf("demo: %s shift: %w", o.name, err)
			}
			if _, err := m.PublishShift(owners[o.slug], created.Shift.ID); err != nil {
				return err
			}
			sum.Shifts++
			if o.engagement == enum.Dispatch && dispatch == "" {
				dispatch = created.Shift.ID
			}
		}
	}
	// 李娜 (sh-worker1) is dispatched to the warehouse: she applies, is
	// offered the shift, accepts, and she, the warehouse and the agency sign.
	li := workers[0]
	applied, err := m.ApplyToShift(li, market.ApplyInput{ShiftID: dispatch})
	if err != nil {
		return fmt.Errorf("demo: dispatch application: %w", err)
	}
	offered, err := m.SendOffer(owners["pudong-logistics"], market.SendOfferInput{ApplicationID: &applied.Application.ID})
	if err != nil {
		return fmt.Errorf("demo: dispatch offer: %w", err)
	}
	hired, err := m.AcceptOffer(li, offered.Offer.ID)
	if err != nil {
		return fmt.Errorf("demo: dispatch hire: %w", err)
	}
	for _, party := range []context.Context{li, owners["pudong-logistics"], owners["shencheng-hr"]} {
		if _, err := m.SignContract(party, hired.Contract.ID); err != nil {
			return fmt.Errorf("demo: dispatch contract: %w", err)
		}
	}
	// The agency, her legal employer, carries her social insurance: with
	// it recorded, she can check in.
	if _, err := m.RecordCover(owners["shencheng-hr"], market.CoverInput{AssignmentID: hired.Assignment.ID,
		Kind: insurancecover.KindSOCIAL_INSURANCE, Insurer: "上海市社会保险事业管理中心", PolicyNumber: "SH-SI-310000-0001",
		CoversFrom: m.Now().Add(-24 * time.Hour), CoversTo: m.Now().AddDate(1, 0, 0)}); err != nil {
		return fmt.Errorf("demo: dispatch cover: %w", err)
	}
	sum.Hires++
	if err := seedShanghaiPast(ctx, m, orgs, owners, workers, bySlug, staff); err != nil {
		return fmt.Errorf("demo: Shanghai's past: %w", err)
	}
	return nil
}
