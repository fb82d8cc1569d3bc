package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"flexwork/ent/application"
	"flexwork/ent/certification"
	"flexwork/ent/entdb"
	"flexwork/ent/membership"
	"flexwork/ent/rule"
	"flexwork/ent/shift"
	"flexwork/ent/workerprofile"
	"flexwork/ent/workerskill"
	"flexwork/market"
)

// lab is what the scenarios draw on: a sample of the seeded marketplace,
// with access tokens for its people.
type lab struct {
	db         *entdb.DB
	now        time.Time
	workers    []labWorker
	shifts     []labShift        // published, in the future, with open slots
	hot        []labShift        // shifts with hundreds of applicants
	owners     map[string]string // employer ID → its owner's access token
	ownerUsers map[string]string // employer ID → its owner's user ID
	pairs      []applyPair       // who may apply where (the apply scenario)
}

type labWorker struct {
	id, token string
	home      market.GeoPoint
	city      int
}

type labShift struct {
	id, employerID string
	place          market.GeoPoint
	skill, cert    string
}

type applyPair struct{ worker, shift int }

// sampleSize is how many workers act in the scenarios.
const sampleSize = 2000

func newLab(ctx context.Context, db *entdb.DB, r *rand.Rand) (*lab, error) {
	ctx = rule.System(ctx)
	l := &lab{db: db, now: time.Now(), owners: map[string]string{}, ownerUsers: map[string]string{}}
	tok, err := tokens()
	if err != nil {
		return nil, err
	}
	profiles, err := db.WorkerProfile.Query().Where(workerprofile.HomeLatNotNil()).
		Select(workerprofile.FieldID, workerprofile.FieldUserID, workerprofile.FieldHomeLat, workerprofile.FieldHomeLng).All(ctx)
	if err != nil {
		return nil, err
	}
	if len(profiles) == 0 {
		return nil, fmt.Errorf("the database has no workers: run `flexwork bench seed` first")
	}
	r.Shuffle(len(profiles), func(i, j int) { profiles[i], profiles[j] = profiles[j], profiles[i] })
	profiles = profiles[:min(sampleSize, len(profiles))]
	ids := make([]string, len(profiles))
	for i, p := range profiles {
		t, _, err := tok.Issue(p.UserID)
		if err != nil {
			return nil, err
		}
		home := market.GeoPoint{Lat: *p.HomeLat, Lng: *p.HomeLng}
		l.workers = append(l.workers, labWorker{id: p.ID, token: t, home: home, city: nearestCity(home)})
		ids[i] = p.ID
	}
	open, err := db.Shift.Query().Where(shift.StatusEQ(shift.StatusPUBLISHED), shift.StartsAtGT(l.now.Add(time.Hour))).
		Select(shift.FieldID, shift.FieldEmployerID, shift.FieldLat, shift.FieldLng, shift.FieldRequiredSkillIds,
			shift.FieldRequiredCertificationIds, shift.FieldFilled, shift.FieldSlots).All(ctx)
	if err != nil {
		return nil, err
	}
	for _, s := range open {
		if s.Filled >= s.Slots || len(s.RequiredSkillIds) == 0 {
			continue
		}
		ls := labShift{id: s.ID, employerID: s.EmployerID, place: market.GeoPoint{Lat: s.Lat, Lng: s.Lng}, skill: s.RequiredSkillIds[0]}
		if len(s.RequiredCertificationIds) > 0 {
			ls.cert = s.RequiredCertificationIds[0]
		}
		l.shifts = append(l.shifts, ls)
	}
	if len(l.shifts) == 0 {
		return nil, fmt.Errorf("no open shifts in the future: seed again (the dataset's shifts are placed around the day it was seeded)")
	}
	// Hot shifts: hundreds of applicants.
	rows, err := db.SQL.QueryContext(ctx, `SELECT shift_id FROM applications GROUP BY shift_id HAVING COUNT(*) >= 400`)
	if err != nil {
		return nil, err
	}
	hot := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		hot[id] = true
	}
	rows.Close()
	for _, s := range l.shifts {
		if hot[s.id] {
			l.hot = append(l.hot, s)
		}
	}
	owners, err := db.Membership.Query().Where(membership.RoleEQ(membership.RoleOWNER)).All(ctx)
	if err != nil {
		return nil, err
	}
	for _, m := range owners {
		t, _, err := tok.Issue(m.UserID)
		if err != nil {
			return nil, err
		}
		l.owners[m.EmployerID] = t
		l.ownerUsers[m.EmployerID] = m.UserID
	}
	return l, l.findPairs(ctx, ids, r)
}

// findPairs lists shifts each sampled worker could apply to: their skill,
// certificate if needed, within 10 km of home, not applied to yet.
func (l *lab) findPairs(ctx context.Context, ids []string, r *rand.Rand) error {
	skills := map[string]map[string]bool{}
	certs := map[string]map[string]bool{}
	applied := map[string]bool{}
	for start := 0; start < len(ids); start += 500 {
		part := ids[start:min(start+500, len(ids))]
		ws, err := l.db.WorkerSkill.Query().Where(workerskill.WorkerIDIn(part...)).All(ctx)
		if err != nil {
			return err
		}
		for _, s := range ws {
			if skills[s.WorkerID] == nil {
				skills[s.WorkerID] = map[string]bool{}
			}
			skills[s.WorkerID][s.SkillID] = true
		}
		cs, err := l.db.Certification.Query().Where(certification.WorkerIDIn(part...), certification.StatusEQ(certification.StatusVERIFIED)).All(ctx)
		if err != nil {
			return err
		}
		for _, c := range cs {
			if certs[c.WorkerID] == nil {
				certs[c.WorkerID] = map[string]bool{}
			}
			certs[c.WorkerID][c.SkillID] = true
		}
		apps, err := l.db.Application.Query().Where(application.WorkerIDIn(part...)).
			Select(application.FieldWorkerID, application.FieldShiftID).All(ctx)
		if err != nil {
			return err
		}
		for _, a := range apps {
			applied[a.WorkerID+a.ShiftID] = true
		}
	}
	for wi, w := range l.workers {
		found := 0
		for si, s := range l.shifts {
			if found >= 20 {
				break
			}
			if !skills[w.id][s.skill] || (s.cert != "" && !certs[w.id][s.cert]) || applied[w.id+s.id] ||
				market.DistanceKm(w.home, s.place) > 10 {
				continue
			}
			l.pairs = append(l.pairs, applyPair{wi, si})
			found++
		}
	}
	r.Shuffle(len(l.pairs), func(i, j int) { l.pairs[i], l.pairs[j] = l.pairs[j], l.pairs[i] })
	return nil
}

func nearestCity(p market.GeoPoint) int {
	best, bestD := 0, 1e9
	for i, c := range Cities {
		if d := market.DistanceKm(p, c.Centre); d < bestD {
			best, bestD = i, d
		}
	}
	return best
}
