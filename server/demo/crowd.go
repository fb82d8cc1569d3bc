package demo

import (
	"context"
	"fmt"
	"math"

	"flexwork/ent"
	"flexwork/ent/device"
	"flexwork/ent/rule"
	"flexwork/market"
)

// Member of a crowd: a worker and, when asked for, their device token.
type Member struct {
	UserID, WorkerID, Token string
}

// Crowd writes n workers straight to the database — users, worker profiles
// with homes spread within about a kilometre of centre, the given skill, and
// with devices one push token each — in batches of 500. Tests and load runs
// use it to have thousands of workers without signing each one up.
func Crowd(ctx context.Context, db *ent.Client, n int, centre market.GeoPoint, skillID string, devices bool) ([]Member, error) {
	ctx = rule.System(ctx)
	out := make([]Member, 0, n)
	for start := 0; start < n; start += 500 {
		end := min(start+500, n)
		users := make([]*ent.UserCreate, 0, end-start)
		for i := start; i < end; i++ {
			users = append(users, db.User.Create().SetDisplayName(fmt.Sprintf("Worker %d", i)))
		}
		us, err := db.User.CreateBulk(users...).Save(ctx)
		if err != nil {
			return nil, err
		}
		profiles := make([]*ent.WorkerProfileCreate, len(us))
		for i, u := range us {
			// A spiral of homes, so distances vary but stay close.
			a, r := float64(start+i)*2.4, 0.01*math.Sqrt(float64(start+i)/float64(n))
			profiles[i] = db.WorkerProfile.Create().SetUserID(u.ID).
				SetHomeLat(centre.Lat + r*math.Cos(a)).SetHomeLng(centre.Lng + r*math.Sin(a))
		}
		ps, err := db.WorkerProfile.CreateBulk(profiles...).Save(ctx)
		if err != nil {
			return nil, err
		}
		skills := make([]*ent.WorkerSkillCreate, len(ps))
		for i, p := range ps {
			skills[i] = db.WorkerSkill.Create().SetWorkerID(p.ID).SetSkillID(skillID).SetYears(1)
		}
		if err := db.WorkerSkill.CreateBulk(skills...).Exec(ctx); err != nil {
			return nil, err
		}
		var devs []*ent.DeviceCreate
		for i, u := range us {
			m := Member{UserID: u.ID, WorkerID: ps[i].ID}
			if devices {
				m.Token = fmt.Sprintf("tok-%06d", start+i)
				devs = append(devs, db.Device.Create().SetUserID(u.ID).SetToken(m.Token).SetPlatform(device.PlatformANDROID))
			}
			out = append(out, m)
		}
		if len(devs) > 0 {
			if err := db.Device.CreateBulk(devs...).Exec(ctx); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}
