package server_test

import (
	"fmt"
	"testing"
	"time"

	"flexwork/ent/entdb"
	"flexwork/ent/entdb/entdbtest"
	"flexwork/server/servertest"
)

const feedPageQ = `query($near: GeoPointInput!, $r: Float!, $n: Int!, $after: Cursor, $order: ShiftFeedOrder, $f: ShiftFeedFilter) {
	shiftFeed(near: $near, radiusKm: $r, first: $n, after: $after, orderBy: $order, filter: $f) {
		edges { cursor distanceKm node { id title startsAt employer { name } requiredSkills { name } pay { amount } }
		        eligibility { eligible rules { rule passed } } application { status } }
		pageInfo { hasNextPage endCursor } } }`

type feedPage struct {
	ShiftFeed struct {
		Edges []struct {
			Cursor     string
			DistanceKm float64
			Node       struct {
				ID, Title string
				StartsAt  time.Time
			}
			Eligibility struct{ Eligible bool }
			Application *struct{ Status string }
		}
		PageInfo struct {
			HasNextPage bool
			EndCursor   *string
		}
	}
}

// feedWorld posts n shifts at growing distances north of the place, one
// minute apart in start time, the further ones earlier.
func feedWorld(t testing.TB, db *entdb.DB, n int) (*servertest.Env, servertest.Account, []string) {
	env := servertest.Start(t, db)
	picking := skillID(t, db, "order-picking")
	olga := env.SignUp("olga@example.com", "Olga")
	emp := createEmployer(t, env, olga, "Spree Logistics")
	var ids []string
	for i := range n {
		id := postShift(t, env, olga, emp, map[string]any{
			"title":            fmt.Sprintf("Shift %02d", i),
			"location":         map[string]any{"lat": 52.52 + float64(i)*0.001, "lng": 13.405},
			"startsAt":         env.Clock.Now().Add(5*time.Hour - time.Duration(i)*time.Minute).Format(time.RFC3339),
			"endsAt":           env.Clock.Now().Add(9*time.Hour - time.Duration(i)*time.Minute).Format(time.RFC3339),
			"requiredSkillIDs": []string{picking},
		})
		ids = append(ids, id)
	}
	return env, newWorker(t, env, "ana@example.com", "Ana", picking), ids
}

func TestFeedStatementsDoNotGrowWithThePage(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env, ana, ids := feedWorld(t, db, 60)
		count := func(n int) int64 {
			before := db.Statements()
			var page feedPage
			env.Must(ana.Token, feedPageQ, map[string]any{"near": place, "r": 20.0, "n": n}, &page)
			if len(page.ShiftFeed.Edges) != n {
				t.Fatalf("a page of %d has %d items", n, len(page.ShiftFeed.Edges))
			}
			return db.Statements() - before
		}
		count(10) // the first request loads the skills taxonomy and the employers into memory
		ten, fifty := count(10), count(50)
		if ten != fifty {
			t.Fatalf("a feed page of 10 takes %d SQL statements, of 50 %d; want the same", ten, fifty)
		}
		// The app's own feed, with an application on the page: at most 4
		// (viewer, shifts, screening facts, the applications).
		var page struct {
			ShiftFeed struct {
				Edges []struct {
					Node        struct{ ID string }
					Application *struct{ Status string }
				}
			}
		}
		apply(env, ana, ids[0])
		before := db.Statements()
		env.MustOp(ana.Token, "ShiftFeed", map[string]any{"near": place, "radiusKm": 20.0, "first": 20}, &page)
		app := db.Statements() - before
		var applied []string
		for _, e := range page.ShiftFeed.Edges {
			if e.Application != nil {
				applied = append(applied, e.Node.ID+" "+e.Application.Status)
			}
		}
		if len(applied) != 1 || applied[0] != ids[0]+" APPLIED" {
			t.Fatalf("the feed shows applications %v, want %s APPLIED", applied, ids[0])
		}
		if app > 4 {
			t.Fatalf("the app's feed with an application takes %d SQL statements; want at most 4", app)
		}
		t.Logf("SQL statements per feed request: %d (viewer, shifts, screening facts); %d with an application on the page", ten, app)
	})
}

func TestFeedPagesThroughEveryShiftOnce(t *testing.T) {
	entdbtest.Each(t, func(t *testing.T, db *entdb.DB) {
		env, ana, ids := feedWorld(t, db, 25)
		for _, order := range []string{"DISTANCE", "START"} {
			var (
				seen  []string
				after any
				last  float64
				lastT time.Time
			)
			for pages := 0; ; pages++ {
				var page feedPage
				env.Must(ana.Token, feedPageQ, map[string]any{"near": place, "r": 20.0, "n": 7, "after": after, "order": order}, &page)
				for _, e := range page.ShiftFeed.Edges {
					if order == "DISTANCE" && e.DistanceKm < last || order == "START" && e.Node.StartsAt.Before(lastT) {
						t.Fatalf("%s order broken at %s", order, e.Node.Title)
					}
					last, lastT = e.DistanceKm, e.Node.StartsAt
					seen = append(seen, e.Node.ID)
				}
				if !page.ShiftFeed.PageInfo.HasNextPage {
					break
				}
				after = *page.ShiftFeed.PageInfo.EndCursor
				if pages > 10 {
					t.Fatal("feed pagination does not end")
				}
			}
			if len(seen) != len(ids) {
				t.Fatalf("%s: paged through %d shifts, want %d", order, len(seen), len(ids))
			}
			unique := map[string]bool{}
			for _, id := range seen {
				unique[id] = true
			}
			if len(unique) != len(ids) {
				t.Fatalf("%s: a shift appeared twice", order)
			}
		}
		// The nearest shift is at the place itself; the 25th is 2.7 km north.
		var page feedPage
		env.Must(ana.Token, feedPageQ, map[string]any{"near": place, "r": 1.05, "n": 50}, &page)
		if len(page.ShiftFeed.Edges) != 10 {
			t.Fatalf("within 1.05 km: %d shifts, want 10 (0 to 1.0 km)", len(page.ShiftFeed.Edges))
		}
	})
}

func TestFeedFilters(t *testing.T) {
	env, ana, _ := feedWorld(t, entdbtest.Open(t, "sqlite3"), 6)
	count := func(f map[string]any) int {
		var page feedPage
		env.Must(ana.Token, feedPageQ, map[string]any{"near": place, "r": 20.0, "n": 50, "f": f}, &page)
		return len(page.ShiftFeed.Edges)
	}
	cleaning := skillID(t, env.DB, "office-cleaning")
	for name, c := range map[string]struct {
		filter map[string]any
		want   int
	}{
		"no filter":           {nil, 6},
		"another skill":       {map[string]any{"skillIDs": []string{cleaning}}, 0},
		"part-time":           {map[string]any{"engagementTypes": []string{"PART_TIME"}}, 6},
		"platform gigs":       {map[string]any{"engagementTypes": []string{"PLATFORM_GIG"}}, 0},
		"pay at least 15/h":   {map[string]any{"minHourlyRate": 1500}, 6},
		"pay at least 20/h":   {map[string]any{"minHourlyRate": 2000}, 0},
		"starting from +5h":   {map[string]any{"startsAfter": env.Clock.Now().Add(4*time.Hour + 58*time.Minute)}, 3},
		"starting before +5h": {map[string]any{"startsBefore": env.Clock.Now().Add(4*time.Hour + 57*time.Minute)}, 3},
	} {
		if got := count(c.filter); got != c.want {
			t.Errorf("%s: %d shifts, want %d", name, got, c.want)
		}
	}
}
