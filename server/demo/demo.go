// Package demo fills an empty database with a small living city — Berlin —
// so that a newcomer running the server has something to explore: employers
// with owners, managers and viewers, workers with profiles and skills,
// shifts spread over the map in the coming days, a past of three weeks
// (history.go) and a present for worker1 and staff (present.go).
//
// Everything is built through market, as the apps would build it, and is
// reproducible: the same seed gives the same city.
package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"flexwork/ent"
	"flexwork/ent/membership"
	"flexwork/ent/rule"
	"flexwork/ent/schema/enum"
	"flexwork/ent/shift"
	"flexwork/ent/viewer"
	"flexwork/market"
	"flexwork/server"
	"flexwork/server/auth"
)

// Password is the password of every demo account.
const Password = "flexwork-demo"

// Centre is the middle of the demo city: Berlin, Alexanderplatz.
var Centre = market.GeoPoint{Lat: 52.5219, Lng: 13.4132}

// Summary tells what was created and how to sign in.
type Summary struct {
	Employers, Workers, Shifts, Hires int
	// Accounts lists a few sign-ins worth trying.
	Accounts []string
}

type employerDef struct {
	name, slug, description string
	skills                  []string
	engagement              enum.EngagementType
	km                      float64 // distance from the centre
}

var employers = []employerDef{
	{"Café Linde", "cafe-linde", "Neighbourhood café with a bakery counter.", []string{"barista", "waiter", "cashier"}, enum.PartTime, 1.5},
	{"Spree Logistics", "spree-logistics", "Parcel hub and warehouse by the river.", []string{"order-picking", "packing", "forklift", "loading"}, enum.Dispatch, 6},
	{"Arena Events", "arena-events", "Concerts and trade fairs.", []string{"event-setup", "security-guard", "ticketing", "cloakroom"}, enum.PlatformGig, 4},
	{"Hotel Mitte", "hotel-mitte", "Business hotel with a banquet floor.", []string{"room-attendant", "banquet-server", "kitchen-porter", "reception"}, enum.PartTime, 2},
	{"CleanCo", "cleanco", "Office and industrial cleaning.", []string{"office-cleaning", "deep-cleaning", "window-cleaning"}, enum.Outsourcing, 8},
	{"Kiez Markt", "kiez-markt", "Supermarket chain, three stores.", []string{"cashier", "shelf-stocking", "inventory-count"}, enum.PartTime, 3},
}

// Seed builds the city when the database has no employers yet, and reports
// what it made. A database that already has employers is left alone.
func Seed(ctx context.Context, db *ent.Client, srv *server.Server, seed uint64) (*Summary, error) {
	sys, accounts, m := rule.System(ctx), srv.Accounts, srv.Market
	if n, err := db.Employer.Query().Count(sys); err != nil || n > 0 {
		return &Summary{}, err
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	skills, err := db.Skill.Query().All(sys)
	if err != nil {
		return nil, err
	}
	bySlug := map[string]*ent.Skill{}
	for _, s := range skills {
		bySlug[s.Slug] = s
	}
	sum := &Summary{}
	var (
		board   []posting         // every shift, with its employer's owner
		workers []context.Context // every worker, signed in
		owners  []context.Context // every employer's owner, signed in
		made    []*ent.Employer
		// skillsOf is each worker's skill IDs, by user, to staff the past.
		skillsOf = map[string][]string{}
	)
	signUp := func(email, name string) (*viewer.Viewer, error) {
		u, err := accounts.CreateAccount(ctx, auth.SignUpInput{Email: email, Password: Password, DisplayName: name})
		if err != nil {
			return nil, fmt.Errorf("demo: sign up %s: %w", email, err)
		}
		return &viewer.Viewer{UserID: u.ID, Roles: map[string]viewer.Role{}}, nil
	}

	staff, err := accounts.CreateAccount(ctx, auth.SignUpInput{Email: "staff@demo.flexwork", Password: Password, DisplayName: "Sam (flexwork staff)"})
	if err != nil {
		return nil, fmt.Errorf("demo: staff: %w", err)
	}
	if err := db.User.UpdateOneID(staff.ID).SetIsStaff(true).Exec(sys); err != nil {
		return nil, err
	}
	if err := m.StaffGranted(ctx, staff.ID, "the demo city's staff account"); err != nil {
		return nil, err
	}
	// Employers are founded prefunded: staff confirm a deposit for each, as
	// they would a bank transfer, so that their hires hold wages in escrow.
	staffCtx := viewer.NewContext(ctx, &viewer.Viewer{UserID: staff.ID, Staff: true, Roles: map[string]viewer.Role{}})
	// The city's labour inspectorate audits: it issues the rights report
	// the README shows.
	auditor, err := accounts.CreateAccount(ctx, auth.SignUpInput{Email: "auditor@demo.flexwork", Password: Password, DisplayName: "上海市劳动保障监察总队 (demo)"})
	if err != nil {
		return nil, fmt.Errorf("demo: auditor: %w", err)
	}
	if _, err := m.AppointAuditor(staffCtx, market.AppointAuditorInput{UserID: auditor.ID, Body: "上海市劳动保障监察总队"}); err != nil {
		return nil, fmt.Errorf("demo: auditor: %w", err)
	}
	fund := func(e *ent.Employer, amount int64, currency string) error {
		_, err := m.ConfirmFunding(staffCtx, market.FundingInput{EmployerID: e.ID,
			Amount: market.Money{Amount: amount, Currency: currency}, Reference: "DEMO-DEPOSIT-" + e.ID})
		return err
	}

	for i, def := range employers {
		owner, err := signUp("owner@"+def.slug+".demo", "Owner of "+def.name)
		if err != nil {
			return nil, err
		}
		where := around(rng, Centre, def.km)
		created, err := m.CreateEmployer(viewer.NewContext(ctx, owner), market.CreateEmployerInput{
			Name: def.name, Description: &def.description, Location: &where,
		})
		if err != nil {
			return nil, fmt.Errorf("demo: employer %s: %w", def.name, err)
		}
		e := created.Employer
		owner.Roles[e.ID] = viewer.RoleOwner
		if err := fund(e, 5_000_000, "EUR"); err != nil {
			return nil, fmt.Errorf("demo: funding %s: %w", def.name, err)
		}
		for _, role := range []membership.Role{membership.RoleMANAGER, membership.RoleVIEWER} {
			email := fmt.Sprintf("%s@%s.demo", role, def.slug)
			member, err := signUp(email, fmt.Sprintf("%s %d", role, i+1))
			if err != nil {
				return nil, err
			}
			invited, err := m.AddEmployerMember(viewer.NewContext(ctx, owner), market.AddEmployerMemberInput{
				EmployerID: e.ID, Email: email, Role: role,
			})
			if err != nil {
				return nil, fmt.Errorf("demo: member %s: %w", email, err)
			}
			if _, err := m.AcceptEmployerInvitation(viewer.NewContext(ctx, member),
				invited.Invitation.ID); err != nil {
				return nil, fmt.Errorf("demo: member %s accepting: %w", email, err)
			}
		}
		sum.Employers++
		ownerCtx := viewer.NewContext(ctx, owner)
		owners, made = append(owners, ownerCtx), append(made, e)
		posted, err := seedShifts(ownerCtx, m, rng, e, def, bySlug)
		if err != nil {
			return nil, err
		}
		sum.Shifts += len(posted)
		for _, id := range posted {
			board = append(board, posting{shiftID: id, owner: ownerCtx})
		}
	}

	for i := 1; i <= 40; i++ {
		w, err := signUp(fmt.Sprintf("worker%d@demo.flexwork", i), workerName(i))
		if err != nil {
			return nil, err
		}
		home := around(rng, Centre, 1+rng.Float64()*9)
		radius := 5 + rng.IntN(20)
		// The skills of one or two trades the city's employers ask for, as
		// a real worker's are: most can take some shift.
		var picked []market.WorkerSkillInput
		seen := map[string]bool{}
		for range 1 + rng.IntN(2) {
			trade := employers[rng.IntN(len(employers))].skills
			for _, j := range rng.Perm(len(trade))[:2+rng.IntN(len(trade)-1)] {
				if s := bySlug[trade[j]]; s != nil && !seen[s.ID] {
					seen[s.ID] = true
					picked = append(picked, market.WorkerSkillInput{SkillID: s.ID, Years: rng.IntN(8)})
				}
			}
		}
		headline := fmt.Sprintf("Reliable, %d years of shift work", 1+rng.IntN(10))
		types := engagementsFor(i)
		if i == 1 {
			// worker1, the account the README suggests, has every skill: the
			// feed shows what a worker may take, and only the shifts that
			// need a certificate say why not.
			picked, home, radius, types = allRounder(bySlug), Centre, 25, enum.EngagementTypes
		}
		p, err := m.UpdateWorkerProfile(viewer.NewContext(ctx, w), market.UpdateWorkerProfileInput{
			Headline: &headline, HomeLocation: &home, TravelRadiusKm: &radius, Skills: picked, EngagementTypes: types,
		})
		if err != nil {
			return nil, fmt.Errorf("demo: worker %d: %w", i, err)
		}
		w.WorkerID = p.WorkerProfile.ID
		for _, s := range picked {
			skillsOf[w.UserID] = append(skillsOf[w.UserID], s.SkillID)
		}
		workers = append(workers, viewer.NewContext(ctx, w))
		sum.Workers++
	}
	// The past first, then today: a shift about to start that worker1 may
	// check in to, offers waiting for them, their licence in staff's queue.
	past := planPast(m.Now(), workers, skillsOf, bySlug)
	soon := m.Now().Add(20 * time.Minute)
	past = append(past, &pastShift{employer: 0, start: soon, hours: 4, workers: workers[:1], ending: startingSoon})
	if err := seedHistory(ctx, m, m.Now(), owners, made, bySlug, past); err != nil {
		return nil, err
	}
	if _, err := offerWorker1(m, board, workers[0]); err != nil {
		return nil, err
	}
	if err := uploadLicence(ctx, m, srv.Handler, workers[0], bySlug["forklift"]); err != nil {
		return nil, err
	}
	hires, err := seedHires(ctx, m, board, workers[1:])
	if err != nil {
		return nil, err
	}
	sum.Hires += hires
	if err := seedShanghai(ctx, accounts, m, rng, bySlug, sum, fund, staffCtx); err != nil {
		return nil, err
	}
	// Sequence and sign the demo's ledger now, so that receipts are there
	// from the first request (the job would in a few seconds).
	if _, err := m.Checkpoint(ctx); err != nil {
		return nil, err
	}
	sum.Accounts = []string{
		"owner@cafe-linde.demo (employer owner)",
		"manager@spree-logistics.demo (employer manager)",
		"viewer@arena-events.demo (employer viewer)",
		"worker1@demo.flexwork (every skill; a shift starting in 20 minutes to check in to, 2 offers, a paid history, a licence waiting for review)",
		"staff@demo.flexwork (staff: the certificate queue, a credit dispute with both sides)",
		"auditor@demo.flexwork (auditor for Shanghai's labour inspectorate: issues the rights report; sees no person's data)",
		"worker2@demo.flexwork … worker40@demo.flexwork (workers with a few skills each)",
		"Shanghai (CN law, Chinese): owner@laonongtang.demo (restaurant, part-time), owner@pudong-logistics.demo (warehouse, dispatch), " +
			"owner@shencheng-hr.demo (dispatch agency), owner@shansong.demo (delivery, platform gig), owner@lujiazui-tower.demo (office tower, outsourced cleaning), " +
			"owner@jingmei-cleaning.demo (cleaning contractor), sh-worker1@demo.flexwork (李娜: a dispatch hire signed by all three parties) … sh-worker10@demo.flexwork",
	}
	return sum, nil
}

// allRounder is every skill the demo employers ask for; the ones that
// need a certificate still need it verified.
func allRounder(bySlug map[string]*ent.Skill) []market.WorkerSkillInput {
	seen := map[string]bool{}
	var out []market.WorkerSkillInput
	for _, e := range employers {
		for _, slug := range e.skills {
			if s := bySlug[slug]; s != nil && !seen[slug] {
				seen[slug] = true
				out = append(out, market.WorkerSkillInput{SkillID: s.ID, Years: 3})
			}
		}
	}
	return out
}

// seedShifts posts and publishes a handful of shifts for the employer over
// the next days, around its location, as its owner would in the app.
func seedShifts(ctx context.Context, m *market.Market, rng *rand.Rand, e *ent.Employer, def employerDef,
	skills map[string]*ent.Skill) ([]string, error) {
	n := 6 + rng.IntN(6)
	ids := make([]string, 0, n)
	for i := 0; i < n; i++ {
		s := skills[def.skills[rng.IntN(len(def.skills))]]
		day := m.Now().Truncate(24*time.Hour).AddDate(0, 0, 1+rng.IntN(10))
		start := day.Add(time.Duration(6+rng.IntN(12)) * time.Hour)
		hours := 4 + rng.IntN(5)
		place := around(rng, market.GeoPoint{Lat: *e.Lat, Lng: *e.Lng}, rng.Float64()*2)
		description := fmt.Sprintf("%s at %s. Bring comfortable shoes.", s.Name, e.Name)
		breakMinutes := 30
		in := market.CreateShiftInput{
			EmployerID: e.ID, Title: s.Name, Description: &description, EngagementType: def.engagement,
			Address: e.Name + ", Berlin", Location: place,
			StartsAt: start, EndsAt: start.Add(time.Duration(hours) * time.Hour), TimeZone: "Europe/Berlin",
			UnpaidBreakMinutes: &breakMinutes,
			Pay:                market.Money{Amount: int64(1400 + 50*rng.IntN(20)), Currency: "EUR"}, PayUnit: shift.PayUnitHOUR,
			Slots: 1 + rng.IntN(5), RequiredSkillIDs: []string{s.ID},
		}
		if s.CertificateRequired {
			in.RequiredCertificationIDs = []string{s.ID}
		}
		created, err := m.CreateShift(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("demo: shift: %w", err)
		}
		if _, err := m.PublishShift(ctx, created.Shift.ID); err != nil {
			return nil, fmt.Errorf("demo: publish: %w", err)
		}
		ids = append(ids, created.Shift.ID)
	}
	return ids, nil
}

// posting is a shift on the demo board and the owner who posted it.
type posting struct {
	shiftID string
	owner   context.Context
}

// seedHires brings a few shifts to life: eligible workers apply to the
// first shifts of the board, the owner offers the best-ranked one, who
// accepts, and both sign the contract. Every step goes through market, so
// the ledger records the hires as it would any other.
func seedHires(ctx context.Context, m *market.Market, board []posting, workers []context.Context) (int, error) {
	hires := 0
	for _, p := range board {
		if hires == 5 {
			break
		}
		applied := 0
		for _, w := range workers {
			if applied == 3 {
				break
			}
			e, err := m.Eligibility(w, p.shiftID)
			if err != nil {
				return hires, err
			}
			if !e.Eligible {
				continue
			}
			if _, err := m.ApplyToShift(w, market.ApplyInput{ShiftID: p.shiftID}); err != nil {
				return hires, fmt.Errorf("demo: apply: %w", err)
			}
			applied++
		}
		if applied == 0 {
			continue
		}
		page, err := m.Candidates(p.owner, p.shiftID, nil, nil, nil)
		if err != nil {
			return hires, err
		}
		best := page.Edges[0].Application
		o, err := m.SendOffer(p.owner, market.SendOfferInput{ApplicationID: &best.ID})
		if err != nil {
			return hires, fmt.Errorf("demo: offer: %w", err)
		}
		for _, w := range workers {
			if viewer.FromContext(w).WorkerID != best.WorkerID {
				continue
			}
			a, err := m.AcceptOffer(w, o.Offer.ID)
			if err != nil {
				return hires, fmt.Errorf("demo: accept: %w", err)
			}
			k := a.Contract
			for _, who := range []context.Context{w, p.owner} {
				if _, err := m.SignContract(who, k.ID); err != nil {
					return hires, fmt.Errorf("demo: sign: %w", err)
				}
			}
			hires++
		}
	}
	return hires, nil
}

// around returns a point about km from p in a random direction.
func around(rng *rand.Rand, p market.GeoPoint, km float64) market.GeoPoint {
	angle := rng.Float64() * 2 * math.Pi
	dLat := km / 111.32 * math.Cos(angle)
	dLng := km / (111.32 * math.Cos(p.Lat*math.Pi/180)) * math.Sin(angle)
	return market.GeoPoint{Lat: p.Lat + dLat, Lng: p.Lng + dLng}
}

var firstNames = []string{"Ana", "Ben", "Chiara", "Deniz", "Emil", "Fatima", "Gabriel", "Hannah", "Ilker", "Jana",
	"Kofi", "Lena", "Mateo", "Nora", "Oskar", "Paula", "Quentin", "Rosa", "Sami", "Tara"}
var lastInitials = "ABCDEFGHKLMNPRSTWZ"

func workerName(i int) string {
	return fmt.Sprintf("%s %c.", firstNames[(i-1)%len(firstNames)], lastInitials[(i*7)%len(lastInitials)])
}
